"""Demo programmes for the demo workspaces: designed trainings, their runs and the people in them.

Nordwind Logistics gets six programmes in five formats, each with past, running or upcoming
cohorts; Fjällbacka Bygg AB one small safety course that is running now. Every cohort that has
started has sessions, enrolments whose status fits its dates, goals agreed between trainer,
participants and managers, and a midpoint review; the finished ones also a trainer's decision.

Called by core's demo builder once per demo workspace, inside its scope and transaction, after the
people exist. Everything is written through the services; dates are relative to ``today`` and
every random choice comes from the ``rng`` passed in, so a build is repeatable.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from takeroot.core.demo import FJALLBACKA_ADMIN_EMAIL, LOGIN_EMAILS
from takeroot.core.models import Person, Team, Workspace

from . import services
from .enums import EnrolmentStatus, Pace, ProgrammeFormat
from .models import Cohort, Enrolment, Module, Programme

PAST, RUNNING, UPCOMING = "past", "running", "upcoming"
COUNTED = ("programmes", "modules", "goals", "cohorts", "sessions", "enrolments", "cohort_goals", "review_answers")

# Demo people, by the names core's demo gives them.
TRAINER = "Tom Bennett"  # the trainer login
MENTOR = "Ingrid Svensson"  # the mentor login, external, in both workspaces
PARTICIPANT = "李娜"  # the participant login, Kraków Contact Centre, reports to the manager login

CITY_TIMEZONES = {
    "Kraków": "Europe/Warsaw",
    "Gdańsk": "Europe/Warsaw",
    "Stockholm": "Europe/Stockholm",
    "Fjällbacka": "Europe/Stockholm",
}
# Job titles of people who lead a shift or a small team without being anyone's line manager.
LEAD_TITLES = ("Lider", "Brygadzist", "Skiftledare", "Product Owner")
MONTHS = [  # the names of the months in cohort names: English, Polish, Swedish
    ("January", "styczeń", "januari"),
    ("February", "luty", "februari"),
    ("March", "marzec", "mars"),
    ("April", "kwiecień", "april"),
    ("May", "maj", "maj"),
    ("June", "czerwiec", "juni"),
    ("July", "lipiec", "juli"),
    ("August", "sierpień", "augusti"),
    ("September", "wrzesień", "september"),
    ("October", "październik", "oktober"),
    ("November", "listopad", "november"),
    ("December", "grudzień", "december"),
]
MONTH_COLUMNS = {"en": 0, "pl": 1, "sv": 2}


# Plans ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionPlan:
    day: int  # days after the cohort starts (on a Monday); a weekend moves to the Monday after
    start: str  # local time, "09:30"
    hours: float
    module: int | None = None  # 1-based; its title is the session's unless ``title`` is given
    title: str = ""
    where: str = ""  # "room", "online" or "both"; empty for the cohort's usual


@dataclass(frozen=True)
class CohortPlan:
    name: str  # "{month}" and "{year}" are filled from the start date, in ``language``
    when: str  # PAST, RUNNING or UPCOMING
    starts_in: int  # days from today, negative for the past; the cohort starts on that week's Monday
    days: int
    sessions: tuple[SessionPlan, ...]
    teams: tuple[str, ...]  # where its participants come from; empty for anywhere
    size: int
    trainers: tuple[str, ...] = ()
    mentors: tuple[str, ...] = ()  # each participant gets one of them, in turn
    where: str = "room"  # where its sessions usually are: "room", "online" or "both"
    place: str = ""
    city: str = ""  # the place's time zone; online sessions use the lead trainer's
    language: str = "en"
    midpoint_in: int | None = None  # days from today; None for halfway
    leads_only: bool = False  # line managers, shift leaders and the like (see LEAD_TITLES)
    include: tuple[str, ...] = ()  # always enrolled; never withdrawn
    with_needs: bool = False  # enrol (up to two) people from the teams who stated accessibility needs
    # (proposed by "trainer", "mentor", "participant" or "manager", the goal)
    goals: tuple[tuple[str, str], ...] = ()
    review: tuple[tuple[int, ...], tuple[int, ...]] = ((0, 1, 3, 6, 3), (1, 6, 2))  # weights: 1–5; slow/right/fast
    decision: str = ""
    accommodations: tuple[tuple[str, dict], ...] = ()  # (a name, or "" for someone drawn, the fields)


@dataclass(frozen=True)
class ProgrammePlan:
    name: str
    format: str
    description: str
    currency: str
    costs: dict[str, Decimal]  # Programme's cost fields → amounts, from ``costs()``
    modules: tuple[tuple[str, str, tuple[str, ...]], ...]  # (title, description, objectives)
    goals: tuple[tuple[str, str, str], ...]  # (goal, organisation or team goal, team name or "")
    cohorts: tuple[CohortPlan, ...]
    link: str  # the meeting-room slug of its online sessions


def costs(price=0, trainer_rate=0, trainer_hours=0, mentor_rate=0, mentor_hours=0, fixed=0, hours=0) -> dict:
    values = {
        "price_per_participant": price,
        "trainer_hourly_rate": trainer_rate,
        "trainer_hours": trainer_hours,
        "mentor_hourly_rate": mentor_rate,
        "mentor_hours": mentor_hours,
        "fixed_costs": fixed,
        "participant_hours": hours,
    }
    return {name: Decimal(str(value)) for name, value in values.items()}


CUSTOMER_CONVERSATIONS = ProgrammePlan(
    name="Customer conversations that stick",
    format=ProgrammeFormat.CLASSROOM,
    description=(
        "A two-day classroom workshop for the Kraków Contact Centre, followed by six weeks of practice on "
        "real contacts: each consultant picks two techniques, tries them on live calls and discusses the "
        "recordings with their shift leader. Built on last year's CSAT analysis: customers rate us well on "
        "speed and poorly on feeling heard."
    ),
    currency="PLN",
    costs=costs(price=1450, trainer_rate=280, trainer_hours=28, fixed=4200, hours=22),
    modules=(
        (
            "Opening the conversation",
            "The first thirty seconds: greeting, name, and the customer's reason in their own words.",
            (
                "Open every contact with a greeting, your name and an open question",
                "Restate the customer's reason in their words before solving it",
                "Keep the opening under thirty seconds on routine contacts",
            ),
        ),
        (
            "Listening for the real need",
            "Questions that find the problem behind the request.",
            (
                "Ask clarifying questions instead of assuming the issue",
                "Recognise the emotion behind a complaint and name it",
                "Summarise the need and check it with the customer",
            ),
        ),
        (
            "Difficult conversations and complaints",
            "De-escalation with the LEAP steps, saying no well, and complaints the back office can act on.",
            (
                "Calm an angry customer with the LEAP steps",
                "Turn down a request and offer a realistic alternative",
                "Log a complaint so the back office can act without calling back",
            ),
        ),
        (
            "Closing with a clear next step",
            "Who does what by when, and a case note a colleague understands.",
            (
                "Confirm what happens next, who does it and by when",
                "Write a case note a colleague understands without the recording",
            ),
        ),
    ),
    goals=(
        (
            "Raise CSAT in the Kraków Contact Centre from 4.1 to 4.4 within three months",
            "Customer Service plan: CSAT of 4.4 or better on every desk",
            "Kraków Contact Centre",
        ),
        (
            "Cut repeat contacts within 7 days from 18 % to 13 % of cases",
            "Lower the cost per resolved case by 10 %",
            "Customer Service",
        ),
        ("Bring complaints below 2 % of handled contacts", "", "Kraków Contact Centre"),
    ),
    link="nordwind-customer-conversations",
    cohorts=(
        CohortPlan(
            name="Kraków · {month} {year}",
            language="pl",
            when=PAST,
            starts_in=-215,
            days=42,
            trainers=("Karolina Pawlak",),
            teams=("Kraków Contact Centre",),
            size=14,
            place="Kraków, sala Wisła",
            city="Kraków",
            sessions=(
                SessionPlan(0, "09:00", 7, 1, "Day 1: opening and listening"),
                SessionPlan(1, "09:00", 7, 3, "Day 2: difficult conversations and complaints"),
                SessionPlan(21, "10:00", 2, 2, "Follow-up: what worked on real calls"),
                SessionPlan(42, "10:00", 2, 4, "Closing session: results and next steps"),
            ),
            goals=(
                ("trainer", "Everyone tries the LEAP steps on five real complaints and brings one recording"),
                ("participant", "Summarise the need in the customer's own words on every complaint call"),
                ("manager", "Shift leaders review two calls per consultant a week and give feedback within a day"),
            ),
            decision=(
                "The pace was right, but the complaints module came before people had practised listening. "
                "For the rest of the cohort: an extra hour of de-escalation practice with our own recordings, "
                "and shift leaders run a 15-minute call review every Friday."
            ),
        ),
        CohortPlan(
            name="Kraków · {month} {year}",
            language="pl",
            when=RUNNING,
            starts_in=-19,
            days=40,
            midpoint_in=-2,
            trainers=("Karolina Pawlak", TRAINER),
            teams=("Kraków Contact Centre",),
            size=16,
            include=(PARTICIPANT,),
            with_needs=True,
            place="Kraków, sala Wisła",
            city="Kraków",
            sessions=(
                SessionPlan(0, "09:00", 7, 1, "Day 1: opening and listening"),
                SessionPlan(1, "09:00", 7, 3, "Day 2: difficult conversations and complaints"),
                SessionPlan(21, "10:00", 2, 2, "Follow-up: what worked on real calls"),
                SessionPlan(40, "10:00", 2, 4, "Closing session: results and next steps"),
            ),
            goals=(
                ("trainer", "Everyone tries the LEAP steps on five real complaints and brings one recording"),
                ("participant", "Solve complaints on the Chinese-language desk in one contact, without a call-back"),
                ("manager", "CSAT of this group at 4.4 or better by the end of the follow-up"),
            ),
            review=((0, 1, 2, 6, 4), (0, 5, 4)),
            accommodations=(
                (
                    PARTICIPANT,
                    {"accommodation_notes": "Proszę o materiały także po angielsku, polski to mój drugi język."},
                ),
            ),
        ),
    ),
)

DEVOPS = ProgrammePlan(
    name="DevOps release practices",
    format=ProgrammeFormat.BLENDED,
    description=(
        "Six weeks of short e-learning units, two hands-on workshops and pair work on each team's own "
        "pipeline, with a staff engineer as mentor. Every team leaves with its release lead time measured "
        "and a plan to cut it by 15 % within three months."
    ),
    currency="EUR",
    costs=costs(price=390, trainer_rate=110, trainer_hours=16, mentor_rate=85, mentor_hours=4, fixed=2400, hours=26),
    modules=(
        (
            "Measuring the flow",
            "Lead time, deployment frequency and where a change waits.",
            (
                "Measure release lead time from merge to production for your own service",
                "Read the four DORA metrics for your team",
                "Find the longest wait in the current release process",
            ),
        ),
        (
            "Trunk-based development and small batches",
            "",
            (
                "Keep branches alive for less than a day",
                "Hide unfinished work behind feature flags",
                "Split a change into slices that can each be released",
            ),
        ),
        (
            "Pipelines people trust",
            "Fast, reliable builds and tests, and staging on every merge.",
            (
                "Make the pipeline fail within ten minutes on a broken build",
                "Quarantine flaky tests and fix them within a sprint",
                "Deploy to staging on every merge without manual steps",
            ),
        ),
        (
            "Releasing safely",
            "",
            (
                "Roll out with canary or staged releases",
                "Roll back within five minutes",
                "Run a blameless post-incident review",
            ),
        ),
    ),
    goals=(
        (
            "Cut release lead time by 15 % within three months using DevOps practices",
            "Engineering plan: customer fixes in production within a day",
            "Engineering",
        ),
        ("Deploy the Platform services daily instead of weekly", "", "Platform"),
        ("Keep the change failure rate under 10 % while releasing more often", "", "Engineering"),
    ),
    link="nordwind-devops-release",
    cohorts=(
        CohortPlan(
            name="Platform & Mobile · {month} {year}",
            when=PAST,
            starts_in=-160,
            days=45,
            trainers=(TRAINER,),
            mentors=("Łukasz Wiśniewski",),
            teams=("Platform", "Mobile"),
            size=12,
            where="both",
            place="Kraków, biuro Nordwind, sala Wawel",
            city="Kraków",
            sessions=(
                SessionPlan(0, "10:00", 2, 1, "Kick-off: measuring our lead time", where="online"),
                SessionPlan(9, "09:30", 6, 2, "Workshop 1: small batches"),
                SessionPlan(23, "09:30", 6, 3, "Workshop 2: our own pipelines"),
                SessionPlan(45, "14:00", 2, 4, "Retrospective: lead time after six weeks", where="online"),
            ),
            goals=(
                ("trainer", "Each team measures its release lead time weekly and posts it in #releases"),
                ("participant", "Our service deploys to staging on every merge by the end of the programme"),
                ("manager", "Lead time of our services down from 5.2 to 4.4 days by the end of the quarter"),
            ),
            review=((0, 1, 4, 5, 2), (3, 5, 1)),
            decision=(
                "Teams asked for less theory and more time on their own pipelines. Workshop 2 becomes a "
                "hands-on day on each team's pipeline with the mentor; the e-learning unit on release "
                "strategies becomes optional."
            ),
        ),
        CohortPlan(
            name="Platform & Mobile · {month} {year}",
            when=UPCOMING,
            starts_in=40,
            days=45,
            trainers=(TRAINER,),
            mentors=("Łukasz Wiśniewski",),
            teams=("Platform", "Mobile"),
            size=10,
            where="both",
            place="Kraków, biuro Nordwind, sala Wawel",
            city="Kraków",
            sessions=(
                SessionPlan(0, "10:00", 2, 1, "Kick-off: measuring our lead time", where="online"),
                SessionPlan(9, "09:30", 6, 2, "Workshop 1: small batches"),
                SessionPlan(23, "09:30", 6, 3, "Workshop 2: our own pipelines"),
                SessionPlan(45, "14:00", 2, 4, "Retrospective: lead time after six weeks", where="online"),
            ),
        ),
    ),
)

REMOTE_TEAMS = ProgrammePlan(
    name="Leading remote teams",
    format=ProgrammeFormat.LIVE_ONLINE,
    description=(
        "Four live online sessions for line managers whose teams work across Kraków, Gdańsk, Göteborg, "
        "Stockholm and Shanghai. Between sessions each manager tries one practice with their own team and "
        "reports back; at the end their own manager holds a development talk with them."
    ),
    currency="EUR",
    costs=costs(trainer_rate=90, trainer_hours=14, fixed=600, hours=14),
    modules=(
        (
            "Rhythm and rituals",
            "",
            (
                "Set a weekly team rhythm that works across three time zones",
                "Run a 15-minute stand-up that is not a status report",
                "Agree response times for chat and e-mail",
            ),
        ),
        (
            "One-to-ones at a distance",
            "",
            (
                "Hold a one-to-one with every report at least every two weeks",
                "Ask questions that bring blockers out early",
                "Write down agreements where both sides find them",
            ),
        ),
        (
            "Trust and feedback without the corridor",
            "",
            (
                "Give feedback within 48 hours as situation, behaviour and impact",
                "Notice signs of isolation or overload in a remote team",
                "Recognise wins in front of the team",
            ),
        ),
        (
            "Decisions in writing",
            "",
            (
                "Write a decision note that colleagues in another time zone can act on",
                "Choose between deciding in a meeting and deciding in writing",
            ),
        ),
    ),
    goals=(
        (
            "Every manager holds documented one-to-ones with all reports at least every two weeks",
            "People strategy: every employee has a development talk twice a year",
            "People & Culture",
        ),
        ("Raise 'I get regular feedback' in the engagement survey from 62 % to 75 %", "", ""),
        ("Answer questions between Kraków and Shanghai within one working day", "", "Shanghai Office"),
    ),
    link="nordwind-leading-remote",
    cohorts=(
        CohortPlan(
            name="Managers · {month} {year}",
            when=PAST,
            starts_in=-250,
            days=35,
            trainers=(TRAINER,),
            leads_only=True,
            teams=(),
            size=9,
            where="online",
            sessions=(
                SessionPlan(0, "10:00", 2.5, 1),
                SessionPlan(7, "10:00", 2.5, 2),
                SessionPlan(14, "10:00", 2.5, 3),
                SessionPlan(21, "10:00", 2.5, 4),
                SessionPlan(35, "10:00", 1.5, None, "Follow-up: what changed in your team"),
            ),
            goals=(
                ("trainer", "Each manager runs a written weekly check-in with their team for four weeks"),
                ("participant", "Move the weekly handover between sites from a call to a shared written log"),
                ("manager", "Development talks with every report held and documented by the end of the quarter"),
            ),
            review=((0, 0, 2, 6, 4), (1, 4, 1)),
            decision=(
                "Sessions at 10:00 UK time end in the Shanghai evening. This group keeps its times and gets "
                "the recordings with captions; the next run starts at 08:30 UK time, and the module on "
                "decisions uses a written case from the Sourcing team."
            ),
        ),
        CohortPlan(
            name="Managers · {month} {year}",
            when=RUNNING,
            starts_in=-15,
            days=35,
            midpoint_in=-1,
            trainers=(TRAINER,),
            leads_only=True,
            teams=(),
            size=10,
            where="online",
            sessions=(
                SessionPlan(0, "08:30", 2.5, 1),
                SessionPlan(7, "08:30", 2.5, 2),
                SessionPlan(14, "08:30", 2.5, 3),
                SessionPlan(21, "08:30", 2.5, 4),
                SessionPlan(35, "08:30", 1.5, None, "Follow-up: what changed in your team"),
            ),
            goals=(
                ("trainer", "Each manager runs a written weekly check-in with their team for four weeks"),
                ("participant", "A shared decision log with the sites my team works with"),
                ("manager", "Fortnightly one-to-ones with every report, documented, from next month"),
            ),
            accommodations=(
                (
                    "",
                    {
                        "needs_captions": True,
                        "accommodation_notes": "Please send the slides a day before each session.",
                    },
                ),
            ),
        ),
    ),
)

WAREHOUSE_SAFETY = ProgrammePlan(
    name="Bezpieczeństwo w magazynie",
    format=ProgrammeFormat.CLASSROOM,
    description=(
        "Szkolenie stacjonarne dla zespołu magazynu w Gdańsku: ruch wózków widłowych i pieszych, bezpieczne "
        "składowanie, ergonomia i pierwsza pomoc. Po szkoleniu brygadziści przez miesiąc prowadzą "
        "pięciominutowe odprawy bezpieczeństwa na początku każdej zmiany."
    ),
    currency="PLN",
    costs=costs(price=380, trainer_rate=220, trainer_hours=16, fixed=2600, hours=15),
    modules=(
        (
            "Ruch wózków i pieszych",
            "Strefy ruchu, pierwszeństwo i zgłaszanie zdarzeń potencjalnie wypadkowych.",
            (
                "Wskazać strefy ruchu pieszego i wózków na planie magazynu",
                "Nawiązać kontakt wzrokowy z operatorem przed wejściem w strefę wózka",
                "Zgłosić zdarzenie potencjalnie wypadkowe w systemie jeszcze na tej samej zmianie",
            ),
        ),
        (
            "Bezpieczne składowanie i praca na wysokości",
            "",
            (
                "Sprawdzić nośność regału przed składowaniem",
                "Prawidłowo zabezpieczyć ładunek na palecie",
                "Korzystać z podestów zamiast wchodzić na regały",
            ),
        ),
        (
            "Ergonomia i podnoszenie",
            "",
            (
                "Podnosić ładunki do 25 kg z zachowaniem prawidłowej postawy",
                "Planować przerwy przy pracy powtarzalnej",
            ),
        ),
        (
            "Pierwsza pomoc i ewakuacja",
            "Ćwiczenia na manekinie i przejście drogi ewakuacyjnej.",
            (
                "Udzielić pierwszej pomocy i wykonać RKO na manekinie",
                "Wskazać drogi ewakuacyjne i miejsce zbiórki",
                "Wezwać pomoc zgodnie z procedurą magazynu",
            ),
        ),
    ),
    goals=(
        (
            "Zero wypadków z udziałem wózków widłowych w ciągu roku od szkolenia",
            "Polityka BHP Nordwind: zero wypadków przy pracy",
            "Warehouse Gdańsk",
        ),
        ("Podwoić liczbę zgłaszanych zdarzeń potencjalnie wypadkowych z 6 do 12 miesięcznie", "", "Warehouse Gdańsk"),
        ("Zmniejszyć liczbę dni nieobecności z powodu urazów o 30 %", "", "Operations"),
    ),
    link="nordwind-bhp-magazyn",
    cohorts=(
        CohortPlan(
            name="Gdańsk · zmiana A · {month} {year}",
            language="pl",
            when=PAST,
            starts_in=-120,
            days=14,
            trainers=("Karolina Pawlak",),
            teams=("Warehouse Gdańsk",),
            size=13,
            with_needs=True,
            place="Gdańsk, magazyn, sala szkoleniowa w budynku B",
            city="Gdańsk",
            sessions=(
                SessionPlan(0, "08:00", 4, 1),
                SessionPlan(1, "08:00", 4, 2),
                SessionPlan(2, "08:00", 3, 3),
                SessionPlan(9, "08:00", 4, 4),
            ),
            goals=(
                ("trainer", "Każdy uczestnik zgłasza co najmniej jedno zdarzenie potencjalnie wypadkowe w miesiącu"),
                ("participant", "Stałe miejsce na puste palety, żeby nie blokowały przejścia przy bramie 4"),
                ("manager", "Pięciominutowa odprawa BHP na początku każdej zmiany przez cały kwartał"),
            ),
            review=((0, 0, 2, 5, 5), (2, 6, 1)),
            decision=(
                "Ćwiczenia na hali oceniono najlepiej, teorię w sali najsłabiej. Moduł o składowaniu "
                "prowadzimy przy regałach, a test końcowy można zdawać ustnie."
            ),
            accommodations=(
                (
                    "",
                    {
                        "needs_extra_time": True,
                        "accommodation_notes": "Test końcowy ustnie: trudności z czytaniem dłuższych tekstów.",
                    },
                ),
            ),
        ),
        CohortPlan(
            name="Gdańsk · zmiana B · {month} {year}",
            language="pl",
            when=UPCOMING,
            starts_in=24,
            days=14,
            trainers=("Karolina Pawlak",),
            teams=("Warehouse Gdańsk",),
            size=12,
            place="Gdańsk, magazyn, sala szkoleniowa w budynku B",
            city="Gdańsk",
            sessions=(
                SessionPlan(0, "14:00", 4, 1),
                SessionPlan(1, "14:00", 4, 2, "Składowanie: zajęcia przy regałach"),
                SessionPlan(2, "14:00", 3, 3),
                SessionPlan(9, "14:00", 4, 4),
            ),
        ),
    ),
)

SALES_OFFER = ProgrammePlan(
    name="Sales offer workshop",
    format=ProgrammeFormat.MENTOR_LED,
    description=(
        "Each participant builds a real offer for one of their own clients in four stages, each ending in "
        "a finished result, with a mentor from Kompetensbron AB or our senior key account team. Group "
        "sessions cover what everyone needs; the rest is one-to-one: submit, get comments, revise. Offers "
        "stay between the participant, their mentor and their manager."
    ),
    currency="SEK",
    costs=costs(
        price=12500, trainer_rate=1350, trainer_hours=8, mentor_rate=1150, mentor_hours=6, fixed=8000, hours=30
    ),
    modules=(
        (
            "Stage 1: Needs analysis",
            "Finish with a one-page needs analysis the client has confirmed.",
            (
                "Interview the client's decision-makers with a prepared question guide",
                "Describe the client's problem in numbers the client agrees with",
                "Identify who decides, who influences and who pays",
            ),
        ),
        (
            "Stage 2: Draft offer",
            "Finish with a draft offer, commented by the mentor and revised.",
            (
                "Build the offer around the client's problem, not our catalogue",
                "Price the offer with a clear margin calculation",
                "Revise the draft with the mentor's written comments",
            ),
        ),
        (
            "Stage 3: Pilot with a client",
            "Finish with a pilot run and the client's feedback.",
            (
                "Agree a small pilot with success criteria",
                "Run the pilot and collect the client's feedback",
                "Adjust the offer with what the pilot showed",
            ),
        ),
        (
            "Stage 4: Final offer",
            "Finish with the final offer presented to the client.",
            (
                "Present the final offer to the client's decision-makers",
                "Answer objections on price and risk",
                "Hand a signed offer over to delivery",
            ),
        ),
    ),
    goals=(
        (
            "Raise offer-to-order conversion from 22 % to 30 %",
            "Sales plan: grow revenue from existing clients by 12 %",
            "Sales",
        ),
        ("Every participant presents a final offer to a real client within the programme", "", ""),
        ("Shorten the time from first meeting to offer from five weeks to three", "", "Sales Nordics"),
    ),
    link="nordwind-sales-offer",
    cohorts=(
        CohortPlan(
            name="Pilot · {month} {year}",
            when=PAST,
            starts_in=-200,
            days=70,
            trainers=("Paulina Grabowska",),
            mentors=(MENTOR,),
            teams=("Sales Poland", "Sales Nordics"),
            size=8,
            where="online",
            place="Stockholm, Kompetensbron, rum Ekoln",
            city="Stockholm",
            sessions=(
                SessionPlan(0, "09:00", 4, 1, "Kick-off and stage 1: needs analysis", where="both"),
                SessionPlan(21, "13:00", 2, 2, "Group review: draft offers"),
                SessionPlan(45, "13:00", 2, 3, "Group review: what the pilots showed"),
                SessionPlan(70, "10:00", 3, 4, "Final offers: presentations and feedback"),
            ),
            goals=(
                ("trainer", "Every final offer states the client's problem in the client's own numbers"),
                ("participant", "A pilot with one client who already buys warehousing from us"),
                ("manager", "Two of the final offers signed within a month of the programme"),
                ("mentor", "Comments on every draft within three working days"),
            ),
            decision=(
                "Stage 3 took longer than planned: clients need time to agree to a pilot. The rest of this "
                "run gets two more weeks for the pilot, and the next run starts the pilot conversation "
                "already in stage 1."
            ),
        ),
        CohortPlan(
            name="Norden & Polska · {month} {year}",
            when=RUNNING,
            starts_in=-38,
            days=84,
            midpoint_in=-3,
            trainers=("Paulina Grabowska",),
            mentors=(MENTOR, "Åsa Lindqvist"),
            teams=("Sales Poland", "Sales Nordics"),
            size=10,
            where="online",
            place="Stockholm, Kompetensbron, rum Ekoln",
            city="Stockholm",
            sessions=(
                SessionPlan(0, "09:00", 4, 1, "Kick-off and stage 1: needs analysis", where="both"),
                SessionPlan(21, "13:00", 2, 2, "Group review: draft offers"),
                SessionPlan(49, "13:00", 2, 3, "Group review: what the pilots showed"),
                SessionPlan(84, "10:00", 3, 4, "Final offers: presentations and feedback"),
            ),
            goals=(
                ("trainer", "Every final offer states the client's problem in the client's own numbers"),
                ("participant", "Pilot the cross-dock offer with one existing client"),
                ("manager", "Offers from this group reach the client within three weeks of the first meeting"),
                ("mentor", "Comments on every draft within three working days"),
            ),
            review=((0, 0, 2, 5, 4), (2, 5, 2)),
        ),
    ),
)

EXCEL = ProgrammePlan(
    name="Excel for analysts",
    format=ProgrammeFormat.SELF_PACED,
    description=(
        "Self-paced e-learning in short units with practice files made from our own data: shipment lists, "
        "complaint logs and stock reports. Two live Q&A sessions per run; everyone who finishes automates "
        "one report they prepare every week."
    ),
    currency="PLN",
    costs=costs(price=290, trainer_rate=200, trainer_hours=4, hours=12),
    modules=(
        (
            "Clean data first",
            "",
            (
                "Remove duplicates and fix inconsistent entries in an export",
                "Split and join text columns with formulas",
                "Turn dates and numbers stored as text into real values",
            ),
        ),
        (
            "Lookups and joins",
            "",
            (
                "Join two tables with XLOOKUP",
                "Handle missing matches without errors",
                "Choose between XLOOKUP and a Power Query merge",
            ),
        ),
        (
            "Pivot tables that answer questions",
            "",
            (
                "Build a pivot table of shipments by week and site",
                "Group dates and add calculated fields",
                "Filter a monthly report with slicers",
            ),
        ),
        (
            "A report you use every week",
            "",
            (
                "Refresh a weekly report with Power Query instead of copying data",
                "Chart a trend without misleading the reader",
            ),
        ),
    ),
    goals=(
        ("Cut the time to prepare the weekly operations report from four hours to one", "", "Operations"),
        ("Every participant automates one recurring report they own", "", ""),
    ),
    link="nordwind-excel",
    cohorts=(
        CohortPlan(
            name="Open enrolment · {month} {year}",
            when=PAST,
            starts_in=-180,
            days=60,
            trainers=("Paulina Grabowska",),
            teams=("Kraków Contact Centre", "Sales Poland", "Warehouse Gdańsk", "Warehouse Göteborg"),
            size=15,
            include=(PARTICIPANT,),
            where="online",
            sessions=(
                SessionPlan(14, "12:00", 1, 2, "Live Q&A: lookups and joins"),
                SessionPlan(42, "12:00", 1, 3, "Live Q&A: pivot tables and weekly reports"),
            ),
            goals=(
                ("trainer", "Everyone finishes the first two units within three weeks"),
                ("participant", "A weekly summary of Chinese-desk complaints for the shift leaders"),
                ("manager", "The complaint summary is ready by 10:00 every Monday"),
            ),
            review=((0, 1, 3, 5, 2), (1, 4, 4)),
            decision=(
                "Many found the lookup unit too fast. The rest of this run gets a practice file per team; the "
                "next run splits the unit in two and adds a third Q&A session."
            ),
        ),
        CohortPlan(
            name="上海 · {year}年{month}月",
            language="zh-hans",
            when=UPCOMING,
            starts_in=35,
            days=60,
            trainers=("刘洋",),
            teams=("Sourcing", "Quality"),
            size=10,
            where="online",
            sessions=(
                SessionPlan(14, "10:00", 1.5, 2, "在线答疑：查找与合并"),
                SessionPlan(42, "10:00", 1.5, 3, "在线答疑：数据透视表与周报"),
            ),
        ),
    ),
)

SITE_SAFETY = ProgrammePlan(
    name="Arbetsmiljö och säkerhet på bygget",
    format=ProgrammeFormat.CLASSROOM,
    description=(
        "En utbildningsdag på plats för båda arbetslagen: fallskydd och ställningar, buller och damm, och "
        "hur vi rapporterar tillbud. Därefter en kort säkerhetsgenomgång varje måndag under en månad, "
        "med stöd av en mentor från Kompetensbron."
    ),
    currency="SEK",
    costs=costs(price=2900, mentor_rate=950, mentor_hours=1, fixed=4500, hours=10),
    modules=(
        (
            "Fallskydd och ställningar",
            "",
            (
                "Kontrollera en ställning innan den används",
                "Använda fallskydd rätt vid arbete på mer än två meters höjd",
            ),
        ),
        (
            "Buller, damm och kemikalier",
            "",
            ("Välja rätt andningsskydd vid kvartsdamm", "Läsa ett säkerhetsdatablad"),
        ),
        (
            "Tillbud och riskbedömning",
            "",
            (
                "Rapportera ett tillbud samma dag i appen",
                "Göra en enkel riskbedömning innan ett nytt arbetsmoment",
            ),
        ),
    ),
    goals=(
        ("Alla tillbud rapporteras samma dag", "", "Produktion"),
        ("Inga olyckor med fall från höjd under året", "Arbetsmiljöplanen: noll allvarliga olyckor", "Produktion"),
    ),
    link="fjallbacka-arbetsmiljo",
    cohorts=(
        CohortPlan(
            name="Båda arbetslagen · {month} {year}",
            language="sv",
            when=RUNNING,
            starts_in=-14,
            days=30,
            midpoint_in=-2,
            mentors=(MENTOR,),
            teams=("Arbetslag Fjällbacka", "Arbetslag Grebbestad"),
            size=8,
            with_needs=True,
            place="Fjällbacka, kontoret, konferensrummet",
            city="Fjällbacka",
            sessions=(
                SessionPlan(0, "07:30", 8, 1, "Utbildningsdag: fallskydd, damm och tillbud"),
                SessionPlan(7, "07:00", 0.5, 3, "Måndagsgenomgång: veckans tillbud"),
                SessionPlan(14, "07:00", 0.5, 2, "Måndagsgenomgång: damm och andningsskydd"),
                SessionPlan(21, "07:00", 0.5, 3, "Måndagsgenomgång: veckans tillbud"),
                SessionPlan(28, "07:00", 1, None, "Avslutning: vad har ändrats på bygget?"),
            ),
            goals=(
                ("mentor", "Varje arbetslag går igenom veckans tillbud på måndagsmötet"),
                ("participant", "Skyddsräcken på plats innan vi börjar på nästa tak"),
                ("manager", "Tillbudsrapporterna når arbetsledaren samma dag"),
            ),
        ),
    ),
)

PROGRAMMES = {
    "nordwind": (CUSTOMER_CONVERSATIONS, DEVOPS, REMOTE_TEAMS, WAREHOUSE_SAFETY, SALES_OFFER, EXCEL),
    "fjallbacka": (SITE_SAFETY,),
}
# Who designs the programmes and enrols the people: the workspace's L&D admin.
ADMINS = {"nordwind": LOGIN_EMAILS["admin"], "fjallbacka": FJALLBACKA_ADMIN_EMAIL}

# Midpoint comments, in the language of whoever writes them.
PARTICIPANT_COMMENTS = {
    "pl": [
        "Przykłady z naszej pracy pomagają najbardziej — przydałoby się ich więcej.",
        "Trochę za dużo teorii na raz, ale ćwiczenia są bardzo konkretne.",
        "Już stosuję dwie techniki na co dzień.",
        "Brakuje czasu na ćwiczenia między spotkaniami — dużo pracy na zmianie.",
    ],
    "sv": [
        "Bra tempo, och övningarna går att använda direkt i jobbet.",
        "Jag skulle vilja ha fler exempel från vår egen vardag.",
        "Svårt att hinna med uppgifterna mellan träffarna.",
    ],
    "en": [
        "Very practical so far; I've already changed how I run my week.",
        "The exercises are good, but I'd like the material a few days earlier.",
        "A bit fast in places — one more worked example would help.",
    ],
    "zh-hans": [
        "内容和工作很贴近，希望多一些实际案例。",
        "节奏有点快，希望提前拿到资料。",
        "已经在工作中用上了，效果不错。",
    ],
}
MANAGER_COMMENTS = {
    "pl": [
        "Widzę zmianę w rozmowach z klientami, szczególnie przy reklamacjach.",
        "Zespół chętnie ćwiczy, ale potrzebuje więcej czasu w grafiku.",
    ],
    "sv": [
        "Jag ser redan skillnad i hur teamet planerar veckan.",
        "Bra innehåll, men uppgifterna krockar med högsäsongen.",
    ],
    "en": [
        "I can see the difference in our team meetings already.",
        "Useful, but the homework competes with the release schedule.",
    ],
    "zh-hans": ["团队反馈不错，希望课程时间能照顾上海的时差。"],
}


# Building ------------------------------------------------------------------------------------


def _weekday(day: datetime.date) -> datetime.date:
    """The day itself, or the Monday after a weekend."""
    return day + datetime.timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _leads(person: Person) -> bool:
    return person.is_manager or any(word in person.job_title for word in LEAD_TITLES)


def _monday(day: datetime.date) -> datetime.date:
    """The Monday of the day's week: cohorts start on Mondays, so weekly sessions fall on them."""
    return day - datetime.timedelta(days=day.weekday())


def _cohort_name(plan: CohortPlan, starts_on: datetime.date) -> str:
    month = starts_on.month if plan.language == "zh-hans" else MONTHS[starts_on.month - 1][MONTH_COLUMNS[plan.language]]
    return plan.name.format(month=month, year=starts_on.year)


class _Builder:
    """Builds one workspace's programmes and counts what it made."""

    def __init__(self, workspace: Workspace, rng: random.Random, today: datetime.date) -> None:
        self.workspace, self.rng, self.today = workspace, rng, today
        people = Person.objects.filter(workspace=workspace).select_related("user", "team").order_by("user__email")
        self.people = list(people)
        self.by_name = {person.user.name: person for person in self.people}
        self.by_pk = {person.pk: person for person in self.people}
        self.teams = {team.name: team for team in Team.objects.filter(workspace=workspace)}
        self.admin = next(person.user for person in self.people if person.user.email == ADMINS[workspace.slug])
        # The demo logins join only the cohorts written out for them.
        self.logins = set(LOGIN_EMAILS.values())
        self.counts = dict.fromkeys(COUNTED, 0)

    # Programmes

    def programme(self, plan: ProgrammePlan) -> Programme:
        programme = services.create_programme(
            workspace=self.workspace,
            actor=self.admin,
            name=plan.name,
            description=plan.description,
            format=plan.format,
            currency=plan.currency,
            **plan.costs,
        )
        modules = [
            services.save_module(
                programme=programme, actor=self.admin, title=title, description=description, objectives=list(objectives)
            )
            for title, description, objectives in plan.modules
        ]
        for text, organisation_goal, team in plan.goals:
            services.save_programme_goal(
                programme=programme,
                actor=self.admin,
                text=text,
                organisation_goal=organisation_goal,
                team=self.teams.get(team),
            )
        self.counts["programmes"] += 1
        self.counts["modules"] += len(modules)
        self.counts["goals"] += len(plan.goals)
        taken: set[int] = set()  # nobody takes the same programme twice
        for number, cohort_plan in enumerate(plan.cohorts, start=1):
            link = f"https://meet.example.com/{plan.link}-{number}"
            self.cohort(programme, modules, cohort_plan, link=link, taken=taken)
        return programme

    # Cohorts

    def cohort(
        self, programme: Programme, modules: list[Module], plan: CohortPlan, *, link: str, taken: set[int]
    ) -> Cohort:
        starts_on = _monday(self.today + datetime.timedelta(days=plan.starts_in))
        days = [_weekday(starts_on + datetime.timedelta(days=session.day)) for session in plan.sessions]
        ends_on = max([starts_on + datetime.timedelta(days=plan.days), *days])
        midpoint_on = None
        if plan.midpoint_in is not None:
            midpoint_on = min(max(self.today + datetime.timedelta(days=plan.midpoint_in), starts_on), ends_on)
        trainers = [self.by_name[name] for name in plan.trainers]
        mentors = [self.by_name[name] for name in plan.mentors]
        cohort = services.create_cohort(
            programme=programme,
            actor=self.admin,
            name=_cohort_name(plan, starts_on),
            starts_on=starts_on,
            ends_on=ends_on,
            midpoint_on=midpoint_on,
            trainers=trainers,
            mentors=mentors,
        )
        self.counts["cohorts"] += 1
        lead = (trainers or mentors)[0]
        for session, day in zip(plan.sessions, days, strict=True):
            self.session(cohort, plan, session, day, modules=modules, lead=lead, link=link)
        enrolments = self.enrol(cohort, plan, staff=trainers + mentors, taken=taken)
        for name, fields in plan.accommodations:
            enrolment = self.someone(enrolments, name, plan)
            services.update_enrolment(enrolment=enrolment, actor=lead.user, **fields)
        if plan.when != UPCOMING:
            self.statuses(enrolments, plan, actor=lead.user)
            self.cohort_goals(cohort, plan, enrolments, trainers=trainers, mentors=mentors)
            self.review(cohort, plan, enrolments, decided_by=lead)
        return cohort

    def session(self, cohort, plan: CohortPlan, session: SessionPlan, day, *, modules, lead: Person, link: str) -> None:
        where = session.where or plan.where
        in_room = where in ("room", "both")
        zone = ZoneInfo(CITY_TIMEZONES[plan.city] if in_room else lead.user.timezone)
        hour, minute = map(int, session.start.split(":"))
        starts_at = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)
        module = modules[session.module - 1] if session.module else None
        services.save_session(
            cohort=cohort,
            actor=lead.user,
            title=session.title or module.title,
            module=module,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=session.hours),
            place=plan.place if in_room else "",
            online_link=link if where in ("online", "both") else "",
        )
        self.counts["sessions"] += 1

    # Enrolments

    def candidates(self, plan: CohortPlan, staff: list[Person], taken: set[int]) -> list[Person]:
        """Who may be drawn: participants from the plan's teams, not yet in another run of the
        programme. Line managers join their team's trainings only when the team is too small."""
        pool = [
            person
            for person in self.people
            if person.is_participant
            and person not in staff
            and person.pk not in taken
            and person.user.email not in self.logins
            and (not plan.teams or (person.team and person.team.name in plan.teams))
            and (not plan.leads_only or _leads(person))
        ]
        if plan.leads_only:
            return pool
        staff_only = [person for person in pool if not person.is_manager]
        return staff_only if len(staff_only) >= plan.size else pool

    def enrol(self, cohort: Cohort, plan: CohortPlan, *, staff: list[Person], taken: set[int]) -> list[Enrolment]:
        pool = self.candidates(plan, staff, taken)
        chosen = [self.by_name[name] for name in plan.include]
        if plan.with_needs:
            chosen += [person for person in pool if person.user.accessibility_needs][:2]
        rest = [person for person in pool if person not in chosen]
        chosen += self.rng.sample(rest, min(len(rest), plan.size - len(chosen)))
        mentors = [self.by_name[name] for name in plan.mentors]
        if not mentors:
            enrolments = services.enrol_people(cohort=cohort, actor=self.admin, people=chosen)
        else:  # each participant works one-to-one with one of the cohort's mentors
            enrolments = []
            for index, mentor in enumerate(mentors):
                share = chosen[index :: len(mentors)]
                enrolments += services.enrol_people(cohort=cohort, actor=self.admin, people=share, mentor=mentor)
        self.counts["enrolments"] += len(enrolments)
        taken.update(person.pk for person in chosen)
        return enrolments

    def someone(self, enrolments: list[Enrolment], name: str, plan: CohortPlan) -> Enrolment:
        """The enrolment of the person named, or of someone drawn who is not written out by hand."""
        if name:
            return next(e for e in enrolments if e.person.user.name == name)
        included = set(plan.include)
        return self.rng.choice(
            [e for e in enrolments if e.person.user.name not in included and not e.person.user.accessibility_needs]
        )

    def statuses(self, enrolments: list[Enrolment], plan: CohortPlan, *, actor) -> None:
        """Everyone in a started cohort took part; in a finished one most completed, one or two left."""
        withdrawn = []
        if plan.when == PAST:
            leavers = [e for e in enrolments if e.person.user.name not in plan.include]
            withdrawn = self.rng.sample(leavers, self.rng.randint(1, 2))
        for enrolment in enrolments:
            services.set_enrolment_status(enrolment=enrolment, actor=actor, status=EnrolmentStatus.ACTIVE)
            if plan.when == PAST:
                final = EnrolmentStatus.WITHDRAWN if enrolment in withdrawn else EnrolmentStatus.COMPLETED
                services.set_enrolment_status(enrolment=enrolment, actor=actor, status=final)

    # Goals and the midpoint review

    def cohort_goals(self, cohort: Cohort, plan: CohortPlan, enrolments, *, trainers, mentors) -> None:
        """Goals proposed by the trainer, the mentor, a participant and a manager, confirmed by the others."""
        taking_part = [e for e in enrolments if e.status != EnrolmentStatus.WITHDRAWN]
        named = [e for e in taking_part if e.person.user.name in plan.include]
        proposer = named[0] if named else self.rng.choice([e for e in taking_part if e.manager_id])
        manager = self.by_pk[proposer.manager_id]
        people = {
            "trainer": trainers[0] if trainers else None,
            "mentor": self.by_pk.get(proposer.mentor_id) or (mentors[0] if mentors else None),
            "participant": proposer.person,
            "manager": manager,
        }
        for kind, text in plan.goals:
            goal = services.propose_cohort_goal(cohort=cohort, person=people[kind], text=text)
            others = [person for key, person in people.items() if person and key != kind]
            # Everyone agrees in a finished cohort; in a running one, some have not got round to it.
            others = [p for p in others if plan.when == PAST or self.rng.random() < 0.75]
            others += [e.person for e in self.rng.sample(taking_part, min(len(taking_part), self.rng.randint(1, 4)))]
            for person in dict.fromkeys(others):
                if person != people[kind]:
                    services.toggle_goal_confirmation(goal=goal, person=person)
            self.counts["cohort_goals"] += 1

    def review(self, cohort: Cohort, plan: CohortPlan, enrolments, *, decided_by: Person) -> None:
        """Answers from most participants and some of their managers; in a finished cohort, a decision.
        In a running cohort the people written out by hand have not answered yet: it is theirs to try."""
        taking_part = [e for e in enrolments if e.status != EnrolmentStatus.WITHDRAWN]
        if plan.when == RUNNING:
            taking_part = [e for e in taking_part if e.person.user.name not in plan.include]
        answering = self.rng.sample(taking_part, max(3, round(len(taking_part) * 0.6)))
        answered = {e.person_id for e in answering}
        managers = {e.manager_id for e in enrolments if e.manager_id and e.manager_id not in answered}
        managers = sorted(managers, key=lambda pk: self.by_pk[pk].user.email)
        managers = self.rng.sample(managers, min(len(managers), 3))
        respondents = [(e.person, False) for e in answering] + [(self.by_pk[pk], True) for pk in managers]
        content_weights, pace_weights = plan.review
        for person, as_manager in respondents:
            comments = (MANAGER_COMMENTS if as_manager else PARTICIPANT_COMMENTS).get(person.user.language, [])
            services.answer_midpoint_review(
                cohort=cohort,
                person=person,
                as_manager=as_manager,
                content_match=self.rng.choices(range(1, 6), content_weights)[0],
                pace=self.rng.choices([Pace.TOO_SLOW, Pace.RIGHT, Pace.TOO_FAST], pace_weights)[0],
                comment=self.rng.choice(comments) if comments and self.rng.random() < 0.6 else "",
            )
            self.counts["review_answers"] += 1
        if plan.when == PAST:
            services.decide_midpoint_review(cohort=cohort, person=decided_by, decision=plan.decision)


@transaction.atomic
def build_programmes_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Build the demo programmes of one demo workspace, inside its workspace scope.

    Side effects: programmes with modules and goals, cohorts with sessions and enrolments, cohort
    goals and midpoint reviews, and their audit entries. Returns how many of each it made; a
    workspace without demo programmes gets none."""
    plans = PROGRAMMES.get(workspace.slug)
    if not plans:
        return dict.fromkeys(COUNTED, 0)
    builder = _Builder(workspace, rng, today)
    for plan in plans:
        builder.programme(plan)
    return builder.counts
