"""Demo retrospectives: a finished "what stuck and why" over Nordwind's last two years, and one
still open that asks the demo manager and participant for their view.

The closed one covers the catalogue's initiatives with about ten raters from the leadership group
(admins and line managers) and fifteen participants, all done. Their answers follow a believable
pattern with some noise: initiatives with concrete practice tasks, manager follow-up and peer
support (workshops, mentoring, coaching, book circles, the Takeroot programmes) mostly stuck;
one-off conferences, hired-expert lectures and online courses nobody discussed were mostly
forgotten. Now and then a rater writes a comment in their own language. Hand-entered effect
indicators with their sources sit beside the ratings.

Called by core's demo builder once per demo workspace, inside its scope and transaction, after
the catalogue (``INSTALLED_APPS`` order). No mail is sent: raters are written directly, not through
``services.invite_raters``. Every random choice comes from the ``rng`` passed in.
"""

import datetime
import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from takeroot.catalogue.enums import InitiativeKind as K
from takeroot.catalogue.models import Initiative
from takeroot.core.demo import LOGIN_EMAILS
from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, User, Workspace
from takeroot.core.services import record_audit

from . import services
from .enums import RaterGroup, RetrospectiveState, WhyTag
from .models import Rater, Rating, Retrospective
from .queries import initiatives_in_period, leadership_group, participants_of

COUNTED = ("retrospectives", "raters", "ratings", "indicators")
LEADERSHIP_RATERS = 10
PARTICIPANT_RATERS = 15

# How well each kind of initiative tends to stick (0 forgotten … 3 changed how we work), and the
# reasons raters tend to give when it did.
STICK = {
    K.WORKSHOP: 2.1,
    K.MENTORING: 2.4,
    K.COACHING: 2.3,
    K.BOOK_CIRCLE: 2.0,
    K.OTHER: 2.2,
    K.STUDY_DAY: 1.6,
    K.EXTERNAL_COURSE: 1.3,
    K.STUDY_TRIP: 1.2,
    K.CONFERENCE: 0.4,
    K.HIRED_EXPERT: 0.4,
    K.ONLINE_COURSE: 0.5,
}
FACTORS = {
    K.WORKSHOP: [WhyTag.PRACTICE_TASKS, WhyTag.DISCUSSION, WhyTag.REAL_NEED],
    K.MENTORING: [WhyTag.PEER_SUPPORT, WhyTag.MANAGER_FOLLOW_UP, WhyTag.DISCUSSION],
    K.COACHING: [WhyTag.MANAGER_FOLLOW_UP, WhyTag.PRACTICE_TASKS, WhyTag.REAL_NEED],
    K.BOOK_CIRCLE: [WhyTag.DISCUSSION, WhyTag.PEER_SUPPORT, WhyTag.PRACTICE_TASKS],
    K.OTHER: [WhyTag.PRACTICE_TASKS, WhyTag.PEER_SUPPORT, WhyTag.REAL_NEED],
    K.STUDY_DAY: [WhyTag.REAL_NEED, WhyTag.PRACTICE_TASKS],
    K.EXTERNAL_COURSE: [WhyTag.PRACTICE_TASKS, WhyTag.REAL_NEED],
    K.STUDY_TRIP: [WhyTag.DISCUSSION, WhyTag.MEMORABLE_DELIVERY],
    K.CONFERENCE: [WhyTag.MEMORABLE_DELIVERY],
    K.HIRED_EXPERT: [WhyTag.MEMORABLE_DELIVERY, WhyTag.REAL_NEED],
    K.ONLINE_COURSE: [WhyTag.REAL_NEED],
}
# Initiatives that break their kind's habit, by title.
STICK_BY_TITLE = {
    "Lean Six Sigma Green Belt": 2.3,  # a DMAIC project in one's own warehouse
    "Uprawnienia UDT: operator wózka widłowego": 2.0,
    "Truckkort A+B": 1.9,
    "Negotiation masterclass with an external expert": 0.5,
}
FOLLOWED_UP = [WhyTag.MANAGER_FOLLOW_UP, WhyTag.PRACTICE_TASKS]  # what a Takeroot programme adds

COMMENTS = {
    "en": {
        "high": [
            "We still use the checklist from this every week.",
            "My manager asked about it in every one-to-one; that made the difference.",
            "The practice tasks between sessions were what made it stick.",
        ],
        "low": [
            "Inspiring on the day, but nobody talked about it afterwards.",
            "I cannot remember a single thing we changed because of it.",
            "Good speaker, no follow-up.",
        ],
    },
    "pl": {
        "high": [
            "Do dziś korzystamy z tej listy kontrolnej na każdej zmianie.",
            "Kierownik pytał o postępy na każdym spotkaniu — to pomogło.",
            "Zadania praktyczne między spotkaniami zrobiły różnicę.",
        ],
        "low": [
            "Ciekawie, ale po powrocie nikt do tego nie wrócił.",
            "Nie pamiętam, co z tego wdrożyliśmy.",
            "Dobry wykładowca, zero kontynuacji.",
        ],
    },
    "sv": {
        "high": [
            "Vi använder fortfarande arbetssättet varje vecka.",
            "Att chefen följde upp gjorde att det blev av.",
            "Övningsuppgifterna mellan träffarna var det som fastnade.",
        ],
        "low": [
            "Inspirerande för stunden, men ingen pratade om det efteråt.",
            "Jag kan inte komma på något vi ändrade.",
            "Bra föreläsare, ingen uppföljning.",
        ],
    },
    "zh-hans": {
        "high": [
            "我们现在每周仍在使用这套方法。",
            "经理每次一对一都会跟进，这很关键。",
            "课后的练习任务让我们真正用起来了。",
        ],
        "low": ["当天很有启发，但之后没人再提。", "想不起来因此改变了什么。", "讲师很好，但没有后续跟进。"],
    },
}
OTHER_REASONS = {
    "en": "It came right before our busiest season.",
    "pl": "Zbiegło się z wdrożeniem nowego systemu.",
    "sv": "Det kom precis innan högsäsongen.",
    "zh-hans": "正好赶上新系统上线。",
}
# (initiative title, indicator, value, unit, source)
INDICATORS = [
    ("Warsztat: rozmowa z trudnym klientem", "Customer complaints per month", "41", "complaints", "CRM report Q3"),
    ("Customer conversations that stick", "First-contact resolution", "78", "%", "Contact-centre dashboard, Q3"),
    ("Lean Six Sigma Green Belt", "Picking errors per 10,000 lines", "3.2", "errors", "WMS quality report, Gdańsk"),
    ("Bezpieczeństwo w magazynie", "Forklift incidents in the last 12 months", "0", "incidents", "HSE incident log"),
    (
        "Workshop: blameless incident post-mortems",
        "Post-mortems written within five working days",
        "92",
        "%",
        "Incident tracker export",
    ),
    ("DevOps release practices", "Failed releases per month", "1.5", "releases", "Release dashboard"),
    (
        "Negotiation masterclass with an external expert",
        "Average discount in annual renewals",
        "6.1",
        "%",
        "CRM report Q3",
    ),
    ("Coaching for managers", "Managers with a written appraisal plan", "11", "of 12", "HR system, appraisal module"),
    (
        "Uprawnienia UDT: operator wózka widłowego",
        "Certified forklift operators per shift",
        "2.5",
        "people",
        "Shift plan",
    ),
]


class _Builder:
    def __init__(self, workspace: Workspace, rng: random.Random, today: datetime.date):
        self.workspace, self.rng, self.today = workspace, rng, today
        self.admin = User.objects.filter(email=LOGIN_EMAILS["admin"]).first()
        self.now = timezone.now()
        self.counts = dict.fromkeys(COUNTED, 0)

    def moment(self, days_ago: int) -> datetime.datetime:
        return self.now - timedelta(days=days_ago, minutes=self.rng.randint(0, 600))

    def retrospective(self, *, title: str, start: datetime.date, initiatives: list[Initiative], state: str):
        retrospective = Retrospective.objects.create(
            workspace=self.workspace,
            title=title,
            period_start=start,
            period_end=self.today,
            state=state,
            introduction=(
                "Which of our initiatives changed how you work, and why? Be honest: "
                "“forgotten” is as useful an answer as any."
            ),
            opened_by=self.admin,
        )
        retrospective.initiatives.set(initiatives)
        record_audit(workspace=self.workspace, actor=self.admin, action=AuditAction.CREATED, obj=retrospective)
        self.counts["retrospectives"] += 1
        return retrospective

    def raters(self, retrospective, people: list[tuple[Person, str]], *, invited_ago: int, done: set[int]):
        raters = [
            Rater(
                workspace=self.workspace,
                retrospective=retrospective,
                person=person,
                group=group,
                invited_at=self.moment(invited_ago),
                submitted_at=self.moment(self.rng.randint(2, max(invited_ago - 2, 2))) if person.pk in done else None,
            )
            for person, group in people
        ]
        Rater.objects.bulk_create(raters)
        self.counts["raters"] += len(raters)
        return list(Rater.objects.filter(retrospective=retrospective).select_related("person__user"))

    def answer(self, initiative: Initiative, language: str) -> dict:
        rng = self.rng
        base = STICK_BY_TITLE.get(initiative.title, STICK.get(initiative.kind, 1.2))
        factors = list(FACTORS.get(initiative.kind, [WhyTag.REAL_NEED]))
        if initiative.programme_id:
            base += 0.4
            factors += [f for f in FOLLOWED_UP if f not in factors]
        level = max(0, min(3, round(base + rng.gauss(0, 0.75))))
        if level >= 2:
            reasons = rng.sample(factors, min(len(factors), rng.randint(1, 3)))
        elif level == 1:
            reasons = rng.sample(factors, 1) if rng.random() < 0.5 else []
        else:
            reasons = [WhyTag.MEMORABLE_DELIVERY] if rng.random() < 0.3 else []
        other_reason = ""
        if rng.random() < 0.04:
            reasons.append(WhyTag.OTHER)
            other_reason = OTHER_REASONS.get(language, OTHER_REASONS["en"])
        repeat = rng.random() < (0.05, 0.2, 0.6, 0.85)[level]
        comment = ""
        if rng.random() < 0.15:
            bank = COMMENTS.get(language, COMMENTS["en"])["high" if level >= 2 else "low"]
            comment = rng.choice(bank)
        return {
            "level": level,
            "reasons": [str(reason) for reason in reasons],
            "other_reason": other_reason,
            "repeat": repeat,
            "comment": comment,
        }

    def ratings(self, raters: list[Rater], initiatives: list[Initiative], took_part: dict[int, set[int]]) -> None:
        ratings = []
        for rater in raters:
            for initiative in initiatives:
                was_there = rater.person_id in took_part.get(initiative.pk, set())
                if rater.group == RaterGroup.LEADERSHIP:
                    knows = self.rng.random() < (0.9 if was_there else 0.55)
                else:
                    knows = self.rng.random() < (0.95 if was_there else 0.15)
                if not knows:
                    continue
                ratings.append(
                    Rating(
                        workspace=self.workspace,
                        rater=rater,
                        initiative=initiative,
                        **self.answer(initiative, rater.person.user.language),
                    )
                )
        Rating.objects.bulk_create(ratings, batch_size=500)
        self.counts["ratings"] += len(ratings)

    def closed(self) -> None:
        start, end = services.default_period(self.today)
        initiatives = initiatives_in_period(self.workspace, start, end)
        if not initiatives:
            return
        retrospective = self.retrospective(
            title=services.default_title(start, end),
            start=start,
            initiatives=initiatives,
            state=RetrospectiveState.OPEN,
        )
        logins = {LOGIN_EMAILS["manager"], LOGIN_EMAILS["participant"]}
        leaders = [p for p in leadership_group(self.workspace).order_by("user__email") if p.user.email not in logins]
        chosen = self.rng.sample(leaders, min(LEADERSHIP_RATERS, len(leaders)))
        admin = next((p for p in leaders if p.user_id == getattr(self.admin, "pk", None)), None)
        if admin is not None and admin not in chosen:
            chosen[-1] = admin  # the demo admin can see their own answers too
        taken = {p.pk for p in chosen}
        pool = sorted(
            (p for p in participants_of(initiatives, start, end) if p.pk not in taken and p.user.email not in logins),
            key=lambda p: p.user.email,
        )
        participants = self.rng.sample(pool, min(PARTICIPANT_RATERS, len(pool)))
        people = [(p, RaterGroup.LEADERSHIP) for p in chosen] + [(p, RaterGroup.PARTICIPANT) for p in participants]
        raters = self.raters(retrospective, people, invited_ago=40, done={p.pk for p, _group in people})
        took_part = {i.pk: {p.pk for p in participants_of([i], start, end)} for i in initiatives}
        self.ratings(raters, initiatives, took_part)
        by_title = {initiative.title: initiative for initiative in initiatives}
        for title, name, value, unit, source in INDICATORS:
            if title in by_title:
                services.add_indicator(
                    retrospective=retrospective,
                    actor=self.admin,
                    initiative=by_title[title],
                    name=name,
                    value=Decimal(value),
                    unit=unit,
                    source=source,
                )
                self.counts["indicators"] += 1
        services.close_retrospective(retrospective=retrospective, actor=self.admin)
        Retrospective.objects.filter(pk=retrospective.pk).update(
            opened_at=self.moment(42), closed_at=self.moment(3), state=RetrospectiveState.CLOSED
        )

    def open(self) -> None:
        start = self.today - timedelta(days=183)
        initiatives = initiatives_in_period(self.workspace, start, self.today)
        if not initiatives:
            return
        retrospective = self.retrospective(
            title="What stuck from the last six months",
            start=start,
            initiatives=initiatives,
            state=RetrospectiveState.OPEN,
        )
        asked = list(
            Person.objects.filter(
                workspace=self.workspace, user__email__in=[LOGIN_EMAILS["manager"], LOGIN_EMAILS["participant"]]
            ).select_related("user")
        )
        leaders = [p for p in leadership_group(self.workspace).order_by("user__email") if p not in asked]
        others = self.rng.sample(leaders, min(4, len(leaders)))
        people = [(p, RaterGroup.LEADERSHIP if p.is_manager or p.is_admin else RaterGroup.PARTICIPANT) for p in asked]
        people += [(p, RaterGroup.LEADERSHIP) for p in others]
        done = {p.pk for p in others[:2]}
        raters = self.raters(retrospective, people, invited_ago=6, done=done)
        answered = [rater for rater in raters if rater.person_id in done]
        self.ratings(answered, initiatives, {})
        Retrospective.objects.filter(pk=retrospective.pk).update(opened_at=self.moment(6))


@transaction.atomic
def build_retrospectives_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Nordwind's retrospectives, inside its workspace scope; other workspaces get none.

    Side effects: two retrospectives with raters, ratings and effect indicators, and audit
    entries for the retrospectives and indicators. No mail. Returns what it made."""
    builder = _Builder(workspace, rng, today)
    if workspace.slug == "nordwind":
        builder.closed()
        builder.open()
    return builder.counts
