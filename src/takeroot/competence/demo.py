"""Demo plans: a competence-development plan for the current year for every team of both demo
workspaces, and last year's for a few.

Each plan has two or three goals in the team's field, initiatives planned for them — some from the
catalogue, some new ones added to it with the team as audience, some already done — and a weekly
or fortnightly learning time block in the time zone of the team's manager. The demo manager leads
the Kraków Contact Centre, whose plan (with its learning lunch) the demo participant sees.

Called by core's demo builder once per demo workspace, inside its scope and transaction, after the
catalogue. Written through the services; every random choice comes from the ``rng`` passed in.
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.db import transaction

from takeroot.catalogue.enums import InitiativeKind as K
from takeroot.catalogue.models import Initiative
from takeroot.core.demo import DEMO_SLUGS
from takeroot.core.models import Person, Team, Workspace

from . import services
from .enums import PlannedStatus, Recurrence, Weekday

# Goals by department: (goal, how success shows). Sub-teams take their department's.
GOALS = {
    "Management": [
        ("Lead through change with clear priorities", "Every department can name its three priorities for the year."),
        ("Decide with data", "Monthly reviews use the same five indicators for every department."),
        ("Grow the next line of managers", "Each director has a named successor with a development plan."),
    ],
    "Sales": [
        ("Negotiate value, not discounts", "Average discount falls from 12 % to 8 % by the fourth quarter."),
        ("Keep key accounts for the long term", "Every key account has an account plan reviewed each quarter."),
        ("Use the CRM for every customer contact", "Forecast accuracy within 10 % two quarters in a row."),
    ],
    "Customer Service": [
        ("Solve the problem in the first contact", "First-contact resolution rises from 68 % to 80 %."),
        ("Handle difficult conversations calmly", "Complaints about our tone fall by half."),
        ("Write answers customers understand", "Satisfaction with written answers above 4.3 of 5."),
    ],
    "Engineering": [
        ("Cut release time by 15 % with DevOps practices", "Lead time from merge to production under two days."),
        ("Secure the move to the cloud", "No critical findings in the autumn security audit."),
        ("Share knowledge across teams", "Each engineer gives one internal talk or pairs on another team's code."),
    ],
    "Operations": [
        ("Work safely every shift", "No lost-time injuries; near misses reported within a day."),
        ("Pick faster with fewer errors", "Picking errors below 0.3 % after the move to the new WMS."),
        ("Lead the shift through Lean daily routines", "Every shift runs a 10-minute board meeting."),
    ],
    "People & Culture": [
        ("Make training stick", "Every programme has follow-up and a measured effect on the job."),
        ("Coach line managers in development talks", "Every employee has two development talks a year."),
    ],
    "Shanghai Office": [
        ("提升供应商质量管理能力", "供应商来料不合格率下降到 0.5% 以下。"),
        ("用英语高效沟通", "与欧洲同事的周会无需翻译。"),
        ("掌握精益改善方法", "每个小组每季度完成一个改善项目。"),
    ],
    # Fjällbacka Bygg AB
    "Ledning": [
        ("Planera projekten med marginal", "Inga projekt över budget med mer än 5 %."),
        ("Bli en attraktiv arbetsgivare", "Alla lärlingar vill stanna efter utbildningen."),
    ],
    "Kontor": [
        ("Digitalisera tidrapporteringen", "Alla arbetslag rapporterar tid i appen varje vecka."),
        ("Säker hantering av personuppgifter", "Rutiner för GDPR finns och följs."),
    ],
    "Produktion": [
        ("Noll olyckor på våra byggen", "Inga olyckor med sjukfrånvaro; skyddsronder varje vecka."),
        ("Bygga energieffektivt", "Alla nya hus klarar kraven utan efterjusteringar."),
        ("Lära lärlingarna hantverket", "Varje lärling har en handledare och en plan."),
    ],
}
# New initiatives to add to the catalogue, by department: (title, kind, hours per person).
NEW = {
    "Management": [
        ("Strategy off-site: priorities for the year", K.STUDY_DAY, 8),
        ("Book circle: Thinking in Bets", K.BOOK_CIRCLE, 6),
    ],
    "Sales": [("Value-selling practice pairs", K.MENTORING, 10), ("Negotiation role-play lab", K.WORKSHOP, 4)],
    "Customer Service": [("Peer call reviews", K.MENTORING, 12), ("Plain-language writing clinic", K.WORKSHOP, 3)],
    "Engineering": [("DevOps guild: pipeline katas", K.WORKSHOP, 12), ("Cloud security game day", K.STUDY_DAY, 6)],
    "Operations": [
        ("Safety walk with a training ambassador", K.MENTORING, 4),
        ("Lean daily board coaching", K.COACHING, 6),
    ],
    "People & Culture": [("Follow-up design studio", K.WORKSHOP, 6), ("Coaching for development talks", K.COACHING, 8)],
    "Shanghai Office": [("商务英语角", K.BOOK_CIRCLE, 20), ("精益改善工作坊", K.WORKSHOP, 8)],
    "Ledning": [("Studiebesök hos ett annat byggföretag", K.STUDY_TRIP, 8)],
    "Kontor": [("Kurs i tidrapportappen", K.ONLINE_COURSE, 2)],
    "Produktion": [("Skyddsrond med handledare", K.MENTORING, 4), ("Energieffektiva byggdetaljer", K.WORKSHOP, 6)],
}
# (title, weekday, from, until, every N weeks); the first for weekly teams, the second for fortnightly.
BLOCKS = {
    "en": [
        ("Learning lunch", Weekday.FRIDAY, (12, 0), (13, 0)),
        ("Learning hour", Weekday.WEDNESDAY, (14, 0), (15, 30)),
    ],
    "sv": [("Lärlunch", Weekday.FRIDAY, (12, 0), (13, 0)), ("Lärtimme", Weekday.TUESDAY, (7, 0), (8, 0))],
    "zh-hans": [("学习午餐", Weekday.FRIDAY, (12, 0), (13, 0)), ("学习时间", Weekday.THURSDAY, (16, 0), (17, 0))],
}
SWEDISH = {"Ledning", "Kontor", "Produktion"}
LAST_YEAR = {"Kraków Contact Centre", "Platform", "Warehouse Gdańsk", "Arbetslag Fjällbacka"}


class _Builder:
    def __init__(self, workspace: Workspace, rng: random.Random, today: datetime.date):
        self.workspace, self.rng, self.today = workspace, rng, today
        self.teams = list(Team.objects.filter(workspace=workspace).select_related("parent").order_by("name"))
        self.people = list(Person.objects.filter(workspace=workspace).select_related("user").order_by("pk"))
        self.catalogue = list(
            Initiative.objects.filter(workspace=workspace).prefetch_related("teams").order_by("title", "pk")
        )
        self.counts = {"plans": 0, "goals": 0, "initiatives": 0, "new_initiatives": 0, "blocks": 0}

    def department(self, team: Team) -> str:
        return team.parent.name if team.parent_id else team.name

    def lead(self, team: Team) -> Person | None:
        members = [p for p in self.people if p.team_id == team.pk]
        return next((p for p in members if p.is_manager), None)

    def timezone(self, team: Team) -> str:
        lead = self.lead(team)
        if lead is not None:
            return lead.user.timezone
        zones = Counter(p.user.timezone for p in self.people if p.team_id == team.pk)
        return zones.most_common(1)[0][0] if zones else "Europe/Stockholm"

    def language(self, team: Team) -> str:
        if self.department(team) in SWEDISH:
            return "sv"
        return "zh-hans" if self.department(team) == "Shanghai Office" else "en"

    def plan(self, team: Team, year: int, *, current: bool) -> None:
        department = self.department(team)
        lead = self.lead(team)
        actor = lead.user if lead else None
        plan = services.create_plan(
            workspace=self.workspace, actor=actor, team=team, year=year, timezone=self.timezone(team)
        )
        self.counts["plans"] += 1
        pool = GOALS.get(department, GOALS["Produktion" if department in SWEDISH else "People & Culture"])
        goals = [
            services.add_goal(plan=plan, actor=actor, title=title, description=description)
            for title, description in self.rng.sample(pool, min(len(pool), self.rng.choice((2, 3))))
        ]
        self.counts["goals"] += len(goals)
        # Catalogue initiatives meant for this team first, then any others of the workspace.
        mine = [i for i in self.catalogue if team in i.teams.all()]
        others = [i for i in self.catalogue if i not in mine]
        existing = (mine + self.rng.sample(others, min(len(others), 3)))[: self.rng.randint(1, 3)]
        new = NEW.get(department, [])[: self.rng.randint(1, 2)]
        # Planned so far this year: about as much done as the year has gone by.
        done_share = 1.0 if not current else (self.today.timetuple().tm_yday / 366)
        for index, initiative in enumerate(existing):
            self._item(plan, actor, goals[index % len(goals)], done_share, initiative=initiative)
        for index, (title, kind, hours) in enumerate(new):
            new_initiative = {"title": title, "kind": kind, "starts_on": None}
            self._item(plan, actor, goals[(index + 1) % len(goals)], done_share, new=new_initiative, hours=hours)
        weekly = self.rng.random() < 0.6 or team.name == "Kraków Contact Centre"
        title, weekday, start, end = BLOCKS[self.language(team)][0 if weekly else 1]
        services.add_block(
            plan=plan,
            actor=actor,
            title=title,
            weekday=weekday,
            starts_at=datetime.time(*start),
            ends_at=datetime.time(*end),
            every_weeks=Recurrence.WEEKLY if weekly else Recurrence.FORTNIGHTLY,
        )
        self.counts["blocks"] += 1

    def _item(self, plan, actor, goal, done_share, *, initiative=None, new=None, hours=None) -> None:
        roll = self.rng.random()
        status = PlannedStatus.DONE if roll < done_share * 0.7 else PlannedStatus.PLANNED
        if roll > 0.95:
            status = PlannedStatus.CANCELLED
        if new is not None:
            new = {k: v for k, v in new.items() if v is not None}
            if any(i.title == new["title"] for i in self.catalogue):
                initiative, new = next(i for i in self.catalogue if i.title == new["title"]), None
        if initiative is not None and plan.items.filter(initiative=initiative).exists():
            return
        item = services.add_planned_initiative(
            plan=plan,
            actor=actor,
            goal=goal,
            initiative=initiative,
            new_initiative=new,
            status=status,
            planned_hours=Decimal(hours) if hours is not None else None,
        )
        if new is not None:
            self.catalogue.append(item.initiative)
            self.counts["new_initiatives"] += 1
        self.counts["initiatives"] += 1


@transaction.atomic
def build_plans_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Give every team of a demo workspace this year's plan, and a few teams last year's too.

    Side effects: plans, goals, planned initiatives (new ones also in the catalogue), learning time
    blocks and their audit entries. Returns how many of each it made; other workspaces get none."""
    builder = _Builder(workspace, rng, today)
    if workspace.slug not in DEMO_SLUGS:
        return builder.counts
    for team in builder.teams:
        if team.name in LAST_YEAR:
            builder.plan(team, today.year - 1, current=False)
        builder.plan(team, today.year, current=True)
    return builder.counts
