"""Demo initiatives: two years of development activities in the demo workspaces' catalogues.

Nordwind Logistics lists about thirty initiatives of every kind from the last two years — study
days, conferences, online and external courses, a hired expert, study trips, book circles,
workshops, mentoring, coaching — titled in the language of the people they were for, with their
providers, goals, audience and costs; a handful are the Takeroot programmes of the workspace,
which give those their dates, people and cost. Fjällbacka Bygg AB lists a few small safety courses
and a study trip.

Called by core's demo builder once per demo workspace, inside its scope and transaction, after the
programmes (the programmes app comes first in ``INSTALLED_APPS``). Written through
``services.create_initiative``; dates are relative to ``today`` and every random choice comes from
the ``rng`` passed in, so a build is repeatable.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from takeroot.core.demo import FJALLBACKA_ADMIN_EMAIL, LOGIN_EMAILS
from takeroot.core.models import Person, Team, User, Workspace
from takeroot.programmes.models import Programme

from . import services
from .enums import InitiativeKind as K

COUNTED = ("initiatives", "linked", "with_teams", "with_people", "with_head_count")
ADMINS = {"nordwind": LOGIN_EMAILS["admin"], "fjallbacka": FJALLBACKA_ADMIN_EMAIL}
OLDEST = 700  # days before today an initiative may start: all of them fall in the last two years


@dataclass(frozen=True)
class Plan:
    """One initiative. ``ago`` is how many days before today it starts (give or take a week),
    ``days`` how many days it runs. ``people`` picks a sample: ``(teams, how many)``, where the team
    ``"@managers"`` means the people who manage someone. With ``programme`` the initiative is
    linked to that Takeroot programme when it exists, and the rest is used only when it does not."""

    kind: str
    title: str
    provider: str
    goals: str
    ago: int
    days: int = 1
    teams: tuple[str, ...] = ()
    people: tuple[tuple[str, ...], int] | None = None
    named: tuple[str, ...] = ()
    head_count: int | None = None
    cost: str | None = None
    currency: str = "EUR"
    programme: str = ""


INTERNAL = "Nordwind Logistics"

NORDWIND = [
    # Internal study days
    Plan(
        K.STUDY_DAY,
        "Dzień wiedzy: nowy system WMS",
        f"{INTERNAL} — IT i Operacje",
        "Cały zespół magazynu zna nowe ekrany przyjęcia i kompletacji przed przejściem na nowy WMS; "
        "liczba błędów kompletacji w pierwszym miesiącu nie rośnie.",
        ago=610,
        teams=("Warehouse Gdańsk",),
        cost="4800",
        currency="PLN",
    ),
    Plan(
        K.STUDY_DAY,
        "Kunskapsdag: nya returflödet i kundtjänst",
        f"{INTERNAL} — Customer Service",
        "Alla i supporten kan hantera en retur från början till slut i det nya flödet utan att eskalera.",
        ago=250,
        teams=("Stockholm Support",),
        cost="14500",
        currency="SEK",
    ),
    Plan(
        K.STUDY_DAY,
        "Engineering study day: observability and on-call",
        f"{INTERNAL} — Engineering",
        "Every engineer can find a failing request across services in the new tracing tool and knows the "
        "on-call escalation path.",
        ago=120,
        teams=("Platform", "Mobile"),
        cost="2100",
        currency="EUR",
    ),
    # Conferences
    Plan(
        K.CONFERENCE,
        "DevOps Days Stockholm",
        "DevOpsDays Stockholm",
        "Bring back two practices for safer releases and present them at the next engineering all-hands.",
        ago=420,
        days=2,
        people=(("Platform", "Mobile"), 4),
        cost="31600",
        currency="SEK",
    ),
    Plan(
        K.CONFERENCE,
        "Kongres Logistyki i Magazynowania, Poznań",
        "Targi logistyczne Poznań",
        "Przegląd rozwiązań automatyzacji magazynu przed decyzją o inwestycji w Gdańsku.",
        ago=540,
        days=2,
        named=("Tomasz Dąbrowski", "Krzysztof Wróbel"),
        people=(("Warehouse Gdańsk",), 1),
        cost="7900",
        currency="PLN",
    ),
    Plan(
        K.CONFERENCE,
        "Kundservicedagarna",
        "Kundservicedagarna, Stockholm",
        "Inspiration kring AI-stöd i kundtjänst och nätverk med andra supportchefer i Norden.",
        ago=355,
        days=2,
        named=("Anna Lundgren", "Maja Nyström"),
        people=(("Stockholm Support",), 1),
        cost="18900",
        currency="SEK",
    ),
    Plan(
        K.CONFERENCE,
        "中国国际物流与供应链博览会（上海）",
        "上海国际物流博览会组委会",
        "了解华东地区新的仓储与运输供应商，为明年的供应商评估建立候选名单。",
        ago=460,
        days=3,
        named=("陈建华", "王伟"),
        people=(("Sourcing",), 3),
        cost="9600",
        currency="CNY",
    ),
    # Online courses
    Plan(
        K.ONLINE_COURSE,
        "Supply Chain Management Specialization",
        "Coursera (Rutgers University)",
        "Sourcing specialists share one vocabulary for supply-chain planning with the European offices.",
        ago=380,
        days=84,
        people=(("Sourcing",), 5),
        cost="1950",
        currency="EUR",
    ),
    Plan(
        K.ONLINE_COURSE,
        "Excel: Advanced Formulas and Functions",
        "LinkedIn Learning",
        "Planners build their weekly capacity reports without copying formulas by hand.",
        ago=290,
        days=28,
        people=(("Warehouse Gdańsk", "Warehouse Göteborg", "Sales Poland"), 9),
        cost="2700",
        currency="PLN",
    ),
    Plan(
        K.ONLINE_COURSE,
        "Kotlin Coroutines and Flow",
        "LinkedIn Learning",
        "The Android developers move the tracking app's network layer to coroutines.",
        ago=175,
        days=21,
        teams=("Mobile",),
        cost="640",
        currency="EUR",
    ),
    Plan(
        K.ONLINE_COURSE,
        "AWS Cloud Practitioner Essentials",
        "AWS Skill Builder",
        "Everyone on Platform passes the Cloud Practitioner exam before the migration of the route planner.",
        ago=530,
        days=42,
        teams=("Platform",),
        cost="1400",
        currency="EUR",
    ),
    Plan(
        K.ONLINE_COURSE,
        "ISO 9001:2015 内审员在线课程",
        "中国质量认证中心（CQC）在线学院",
        "质量团队每位成员都能独立完成一次供应商内部审核。",
        ago=220,
        days=35,
        teams=("Quality",),
        cost="12800",
        currency="CNY",
    ),
    # External courses
    Plan(
        K.EXTERNAL_COURSE,
        "Lean Six Sigma Green Belt",
        "Lean Six Sigma Institute, Warszawa",
        "Each participant runs one DMAIC project in their warehouse and cuts picking errors measurably.",
        ago=480,
        days=40,
        named=("Krzysztof Wróbel",),
        people=(("Warehouse Gdańsk", "Warehouse Göteborg"), 3),
        cost="23600",
        currency="PLN",
    ),
    Plan(
        K.EXTERNAL_COURSE,
        "Uprawnienia UDT: operator wózka widłowego",
        "Ośrodek Szkolenia Zawodowego, Gdańsk",
        "Sześć osób z magazynu zdaje egzamin UDT, żeby każda zmiana miała co najmniej dwóch operatorów.",
        ago=350,
        days=10,
        people=(("Warehouse Gdańsk",), 6),
        cost="8400",
        currency="PLN",
    ),
    Plan(
        K.EXTERNAL_COURSE,
        "Truckkort A+B",
        "Truckutbildarna i Göteborg",
        "Nya lagermedarbetare får truckkort före högsäsongen.",
        ago=150,
        days=3,
        people=(("Warehouse Göteborg",), 4),
        cost="22000",
        currency="SEK",
    ),
    Plan(
        K.EXTERNAL_COURSE,
        "ADR — przewóz towarów niebezpiecznych",
        "Centrum Szkoleń ADR, Gdynia",
        "Planiści i brygadziści znają zasady przyjęcia i składowania towarów ADR.",
        ago=640,
        days=2,
        head_count=8,
        cost="5200",
        currency="PLN",
    ),
    # Hired experts
    Plan(
        K.HIRED_EXPERT,
        "Negotiation masterclass with an external expert",
        "Independent negotiation trainer (former procurement director)",
        "Key account managers hold their price in annual renewals: average discount below 4 %.",
        ago=300,
        days=2,
        teams=("Sales Poland", "Sales Nordics"),
        cost="6800",
        currency="EUR",
    ),
    Plan(
        K.HIRED_EXPERT,
        "RODO w praktyce — spotkanie z prawnikiem",
        "Kancelaria prawna specjalizująca się w ochronie danych",
        "Konsultanci wiedzą, jakich danych klienta nie wolno zapisywać w notatkach zgłoszenia.",
        ago=200,
        head_count=36,
        cost="6000",
        currency="PLN",
    ),
    # Study trips
    Plan(
        K.STUDY_TRIP,
        "Study visit to a Göteborg automated warehouse",
        "Partner 3PL, Göteborg",
        "See an AutoStore installation in daily use and decide whether one fits the Gdańsk warehouse.",
        ago=500,
        days=2,
        named=("Tomasz Dąbrowski", "Krzysztof Wróbel", "Björn Öberg"),
        people=(("Warehouse Gdańsk",), 2),
        cost="16400",
        currency="PLN",
    ),
    Plan(
        K.STUDY_TRIP,
        "苏州智能仓储中心参观学习",
        "苏州工业园区物流企业",
        "学习自动化分拣与质量抽检的结合方式，改进上海办事处的来料检验流程。",
        ago=95,
        named=("张静",),
        people=(("Quality", "Sourcing"), 5),
        cost="4200",
        currency="CNY",
    ),
    # Book circles
    Plan(
        K.BOOK_CIRCLE,
        "Book circle: 'Atomic Habits'",
        INTERNAL,
        "Six evenings, one chapter each: every participant keeps one small new work habit for a month.",
        ago=260,
        days=42,
        people=(("People & Culture", "Customer Service", "Kraków Contact Centre", "Stockholm Support"), 8),
        cost="190",
        currency="EUR",
    ),
    Plan(
        K.BOOK_CIRCLE,
        "Bokcirkel: ”Radical Candor”",
        INTERNAL,
        "Cheferna i Norden övar att ge rak och omtänksam feedback och delar exempel vid varje träff.",
        ago=140,
        days=35,
        named=("Erik Sandberg", "Maja Nyström", "Björn Öberg", "Linnea Forsberg", "Anna Lundgren"),
        cost="1250",
        currency="SEK",
    ),
    Plan(
        K.BOOK_CIRCLE,
        "Klub książki: „Accelerate”",
        INTERNAL,
        "Zespół Platform wybiera dwie metryki DORA, które zacznie mierzyć w tym kwartale.",
        ago=560,
        days=28,
        people=(("Platform",), 6),
        cost="540",
        currency="PLN",
    ),
    # Workshops
    Plan(
        K.WORKSHOP,
        "Warsztat: rozmowa z trudnym klientem",
        "Trenerka wewnętrzna, Kraków Contact Centre",
        "Konsultanci kończą rozmowę z niezadowolonym klientem ustaleniem kolejnego kroku.",
        ago=440,
        teams=("Kraków Contact Centre",),
        cost="2400",
        currency="PLN",
    ),
    Plan(
        K.WORKSHOP,
        "Workshop: blameless incident post-mortems",
        f"{INTERNAL} — Engineering",
        "Every incident above severity 2 gets a written post-mortem within five working days.",
        ago=60,
        teams=("Platform",),
        cost="350",
        currency="EUR",
    ),
    Plan(
        K.WORKSHOP,
        "Workshop: säljplanering och OKR för Norden",
        "Extern facilitator",
        "Säljteamet i Norden enas om tre mål för året och hur de följs upp varje månad.",
        ago=670,
        teams=("Sales Nordics",),
        cost="24000",
        currency="SEK",
    ),
    # Mentoring and coaching
    Plan(
        K.MENTORING,
        "Cross-office mentoring programme",
        INTERNAL,
        "Pairs across Poland, Sweden and Shanghai meet monthly for six months; every mentee sets and reviews "
        "one development goal.",
        ago=400,
        days=182,
        named=("Łukasz Wiśniewski", "Åsa Lindqvist", "张静"),
        people=(("Sales Poland", "Platform", "Kraków Contact Centre", "Sourcing", "Mobile"), 9),
        cost="3000",
        currency="EUR",
    ),
    Plan(
        K.COACHING,
        "Coaching for managers",
        "Kompetensbron AB",
        "Every team manager has six one-to-one sessions with an external coach and a written plan for "
        "their next appraisal round.",
        ago=230,
        days=120,
        people=(("@managers",), 12),
        cost="14400",
        currency="EUR",
    ),
    Plan(
        K.COACHING,
        "Coaching dla nowych liderów zmian",
        "Coach ICF, Gdańsk",
        "Nowi liderzy zmian prowadzą odprawę zmiany i rozmowę korygującą bez wsparcia kierownika.",
        ago=80,
        days=60,
        people=(("Warehouse Gdańsk", "Kraków Contact Centre"), 4),
        cost="9600",
        currency="PLN",
    ),
    # Other
    Plan(
        K.OTHER,
        "Job rotation: Gdańsk ↔ Göteborg warehouses",
        INTERNAL,
        "Two shift leaders from each warehouse spend two weeks in the other one and bring back one change.",
        ago=360,
        days=14,
        people=(("Warehouse Gdańsk", "Warehouse Göteborg"), 4),
        cost="5600",
        currency="EUR",
    ),
    # Takeroot programmes: their cohorts give the dates, the people and the cost.
    Plan(
        K.WORKSHOP,
        "Customer conversations that stick",
        INTERNAL,
        "Contact-centre conversations end with a clear next step; first-contact resolution goes up.",
        ago=190,
        days=30,
        teams=("Kraków Contact Centre",),
        cost="6000",
        currency="PLN",
        programme="Customer conversations that stick",
    ),
    Plan(
        K.EXTERNAL_COURSE,
        "DevOps release practices",
        INTERNAL,
        "Fewer failed releases and faster recovery when one fails.",
        ago=160,
        days=42,
        teams=("Platform", "Mobile"),
        cost="4500",
        currency="EUR",
        programme="DevOps release practices",
    ),
    Plan(
        K.COACHING,
        "Leading remote teams",
        INTERNAL,
        "Managers of distributed teams keep regular one-to-ones and clear written priorities.",
        ago=110,
        days=35,
        people=(("@managers",), 10),
        cost="5200",
        currency="EUR",
        programme="Leading remote teams",
    ),
    Plan(
        K.STUDY_DAY,
        "Bezpieczeństwo w magazynie",
        INTERNAL,
        "Zero wypadków z udziałem wózków widłowych w magazynie w Gdańsku.",
        ago=270,
        days=14,
        teams=("Warehouse Gdańsk",),
        cost="3600",
        currency="PLN",
        programme="Bezpieczeństwo w magazynie",
    ),
    Plan(
        K.MENTORING,
        "Sales offer workshop",
        INTERNAL,
        "Offers that answer the customer's problem first; a higher share of offers accepted.",
        ago=90,
        days=56,
        teams=("Sales Poland", "Sales Nordics"),
        cost="7000",
        currency="EUR",
        programme="Sales offer workshop",
    ),
]

FJALLBACKA = [
    Plan(
        K.EXTERNAL_COURSE,
        "Fallskyddsutbildning",
        "Byggföretagens utbildningspartner, Uddevalla",
        "Alla som arbetar på tak och ställning kan välja, kontrollera och använda fallskydd rätt.",
        ago=410,
        teams=("Arbetslag Fjällbacka", "Arbetslag Grebbestad"),
        cost="19500",
        currency="SEK",
    ),
    Plan(
        K.EXTERNAL_COURSE,
        "Heta arbeten",
        "Brandskyddsföreningen, Göteborg",
        "Certifikat för heta arbeten innan takläggningen på skolbygget i Grebbestad.",
        ago=230,
        named=("Mikael Berntsson", "Sanna Olausson", "Fredrik Alm"),
        cost="8850",
        currency="SEK",
    ),
    Plan(
        K.STUDY_TRIP,
        "Studiebesök: passivhusbygge i Kungälv",
        "Byggnadsfirma i Kungälv",
        "Se hur lufttätheten säkras i praktiken inför vårt första passivhus.",
        ago=150,
        named=("Anders Hallberg", "Per Ekdahl", "Mikael Berntsson", "Sanna Olausson"),
        cost="3200",
        currency="SEK",
    ),
    Plan(
        K.EXTERNAL_COURSE,
        "HLR och första hjälpen",
        "Svenska Röda Korset",
        "Minst en person i varje arbetslag kan ge första hjälpen och HLR.",
        ago=560,
        head_count=11,
        cost="6600",
        currency="SEK",
    ),
    Plan(
        K.EXTERNAL_COURSE,
        "Arbetsmiljö och säkerhet på bygget",
        "Kompetensbron AB",
        "Inga arbetsplatsolyckor på våra byggen.",
        ago=40,
        days=21,
        teams=("Produktion",),
        cost="12000",
        currency="SEK",
        programme="Arbetsmiljö och säkerhet på bygget",
    ),
]

PLANS = {"nordwind": NORDWIND, "fjallbacka": FJALLBACKA}


class _Builder:
    def __init__(self, workspace: Workspace, rng: random.Random, today: datetime.date):
        self.workspace, self.rng, self.today = workspace, rng, today
        people = Person.objects.filter(workspace=workspace).select_related("user", "team").order_by("user__email")
        self.people = list(people)
        self.by_name = {person.user.name: person for person in self.people}
        self.teams = {team.name: team for team in Team.objects.filter(workspace=workspace)}
        manager_ids = set(Person.objects.filter(workspace=workspace).values_list("manager_id", flat=True))
        self.managers = [person for person in self.people if person.pk in manager_ids]
        self.admin = User.objects.filter(email=ADMINS.get(workspace.slug, "")).first()
        self.counts = dict.fromkeys(COUNTED, 0)

    def dates(self, plan: Plan) -> tuple[datetime.date, datetime.date]:
        ago = min(max(plan.ago + self.rng.randint(-7, 7), plan.days + 14), OLDEST)
        starts = self.today - datetime.timedelta(days=ago)
        # Nothing starts on a weekend, and an event of a few days runs within one working week.
        while starts.weekday() >= 5 or (plan.days <= 5 and starts.weekday() + plan.days > 5):
            starts -= datetime.timedelta(days=1)
        return starts, starts + datetime.timedelta(days=plan.days - 1)

    def audience(self, plan: Plan) -> tuple[list[Team], list[Person]]:
        teams = [self.teams[name] for name in plan.teams if name in self.teams]
        chosen = [self.by_name[name] for name in plan.named if name in self.by_name]
        if plan.people:
            names, count = plan.people
            if names == ("@managers",):
                pool = self.managers
            else:
                pool = [p for p in self.people if p.team and p.team.name in names and p.is_participant]
            pool = [p for p in pool if p not in chosen]
            chosen += self.rng.sample(pool, min(count, len(pool)))
        return teams, chosen

    def initiative(self, plan: Plan) -> None:
        programme = None
        if plan.programme:
            programme = Programme.objects.filter(workspace=self.workspace, name=plan.programme).first()
        fields = {"kind": plan.kind, "title": plan.title, "provider": plan.provider, "goals": plan.goals}
        teams, people = [], []
        if programme is None:
            # Only unlinked initiatives carry their own facts (and draw from the rng for them).
            starts_on, ends_on = self.dates(plan)
            teams, people = self.audience(plan)
            head_count = plan.head_count
            if not teams and not people and head_count is None:
                head_count = max(len(plan.named), 5)
            fields.update(
                starts_on=starts_on,
                ends_on=ends_on,
                head_count=head_count,
                cost=Decimal(plan.cost) if plan.cost is not None else None,
                currency=plan.currency,
            )
        else:
            fields.update(programme=programme, currency=programme.currency or plan.currency)
        services.create_initiative(workspace=self.workspace, actor=self.admin, teams=teams, people=people, **fields)
        self.counts["initiatives"] += 1
        self.counts["linked"] += programme is not None
        self.counts["with_teams"] += bool(teams)
        self.counts["with_people"] += bool(people)
        self.counts["with_head_count"] += fields.get("head_count") is not None


@transaction.atomic
def build_catalogue_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Fill the initiative catalogue of one demo workspace, inside its workspace scope.

    Side effects: initiatives with their teams and people, and their audit entries. Returns how
    many it made (and how many are linked to programmes or have teams, people or a head count); a
    workspace without demo initiatives gets none."""
    plans = PLANS.get(workspace.slug)
    if not plans:
        return dict.fromkeys(COUNTED, 0)
    builder = _Builder(workspace, rng, today)
    for plan in plans:
        builder.initiative(plan)
    return builder.counts
