"""Demo data: a realistic organisation to explore Takeroot with, and a small one beside it.

"Nordwind Logistics" is a Polish-Swedish logistics company with an office in Shanghai: 200
people in nested teams, every one with a line manager, named and titled in their own languages.
"Fjällbacka Bygg AB" is a small Swedish builder that shows one workspace never sees another;
the demo mentor works for a training provider and belongs to both.

Everything is written through the services, so the audit log reads like a real start. Names,
teams and roles come from a fixed seed, so every build is the same.
"""

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Person, Team, User, Workspace
from .scope import across_workspaces, workspace_scope

DEMO_PASSWORD = "takeroot-demo"
DEMO_LOGINS = [  # (role, email): one sign-in per role, printed by `takeroot demo` and `takeroot run`
    ("admin", "admin@demo.takeroot.test"),
    ("trainer", "trainer@demo.takeroot.test"),
    ("mentor", "mentor@demo.takeroot.test"),
    ("manager", "manager@demo.takeroot.test"),
    ("participant", "participant@demo.takeroot.test"),
]
FJALLBACKA_ADMIN_EMAIL = "admin@fjallbacka.takeroot.test"
NORDWIND = ("Nordwind Logistics", "nordwind")
FJALLBACKA = ("Fjällbacka Bygg AB", "fjallbacka")
DEMO_SLUGS = (NORDWIND[1], FJALLBACKA[1])
SEED = 2026

LOGIN_EMAILS = dict(DEMO_LOGINS)
LANGUAGE_TIMEZONES = {
    "pl": "Europe/Warsaw",
    "sv": "Europe/Stockholm",
    "zh-hans": "Asia/Shanghai",
    "en": "Europe/London",
}


DEMO_EXTENSIONS: list[Callable[..., object]] = []


def register_demo_extension(extend: Callable[..., object]) -> None:
    """Apps above core add their demo data here (from their ``AppConfig.ready``); each is called
    per demo workspace as ``extend(workspace, rng=…, today=…)`` inside its scope."""
    if extend not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(extend)


@dataclass(frozen=True)
class DemoSummary:
    """What one call of ``build_demo`` did."""

    created: bool
    removed: bool = False
    workspaces: int = 0
    teams: int = 0
    people: int = 0

    def __str__(self) -> str:
        if not self.created:
            return "The demo data already exists; nothing changed (use --reset to build it again)."
        verb = "Rebuilt" if self.removed else "Built"
        return f"{verb} the demo: {self.workspaces} workspaces, {self.teams} teams, {self.people} people."


# Names ---------------------------------------------------------------------------------------

PL_FIRST = {
    "m": [
        "Adam",
        "Andrzej",
        "Bartosz",
        "Damian",
        "Dawid",
        "Filip",
        "Grzegorz",
        "Hubert",
        "Igor",
        "Jakub",
        "Jan",
        "Jerzy",
        "Kamil",
        "Karol",
        "Konrad",
        "Krzysztof",
        "Łukasz",
        "Maciej",
        "Marcin",
        "Mateusz",
        "Michał",
        "Paweł",
        "Piotr",
        "Przemysław",
        "Radosław",
        "Rafał",
        "Sebastian",
        "Sławomir",
        "Szymon",
        "Tomasz",
        "Wiktor",
        "Wojciech",
    ],
    "f": [
        "Agnieszka",
        "Aleksandra",
        "Alicja",
        "Anna",
        "Barbara",
        "Beata",
        "Dorota",
        "Elżbieta",
        "Ewa",
        "Gabriela",
        "Grażyna",
        "Iwona",
        "Joanna",
        "Jolanta",
        "Julia",
        "Justyna",
        "Karolina",
        "Katarzyna",
        "Magdalena",
        "Małgorzata",
        "Marta",
        "Monika",
        "Natalia",
        "Oliwia",
        "Patrycja",
        "Paulina",
        "Sylwia",
        "Urszula",
        "Weronika",
        "Zofia",
        "Żaneta",
    ],
}
# Masculine forms; "-ski", "-cki" and "-dzki" take "-ska", "-cka", "-dzka" for women, the rest do not change.
PL_SURNAMES = [
    "Adamczyk",
    "Andrzejewski",
    "Baran",
    "Bąk",
    "Borkowski",
    "Brzeziński",
    "Chmielewski",
    "Cieślak",
    "Czarnecki",
    "Czerwiński",
    "Duda",
    "Gajewski",
    "Głowacki",
    "Górski",
    "Grabowski",
    "Jabłoński",
    "Jankowski",
    "Jasiński",
    "Jaworski",
    "Kaczmarek",
    "Kalinowski",
    "Kamiński",
    "Kaźmierczak",
    "Kołodziej",
    "Kowalczyk",
    "Kozłowski",
    "Krajewski",
    "Krawczyk",
    "Król",
    "Kubiak",
    "Kucharski",
    "Kwiatkowski",
    "Laskowski",
    "Lis",
    "Maciejewski",
    "Majewski",
    "Makowski",
    "Malinowski",
    "Marciniak",
    "Mazur",
    "Mazurek",
    "Michalak",
    "Michalski",
    "Olszewski",
    "Ostrowski",
    "Pawłowski",
    "Pietrzak",
    "Piotrowski",
    "Przybylski",
    "Rutkowski",
    "Sadowski",
    "Sawicki",
    "Sikora",
    "Sikorski",
    "Sobczak",
    "Sokołowski",
    "Stępień",
    "Szczepański",
    "Szewczyk",
    "Szulc",
    "Szymański",
    "Szymczak",
    "Tomaszewski",
    "Urbański",
    "Walczak",
    "Wieczorek",
    "Wilk",
    "Włodarczyk",
    "Wojciechowski",
    "Woźniak",
    "Wójcik",
    "Wróblewski",
    "Wysocki",
    "Zając",
    "Zakrzewski",
    "Zalewski",
    "Zieliński",
    "Ziółkowski",
]
SV_FIRST = {
    "m": [
        "Anders",
        "Axel",
        "Åke",
        "Björn",
        "Daniel",
        "Emil",
        "Erik",
        "Fredrik",
        "Göran",
        "Gustav",
        "Henrik",
        "Johan",
        "Jonas",
        "Karl",
        "Lars",
        "Linus",
        "Magnus",
        "Måns",
        "Mattias",
        "Niklas",
        "Olof",
        "Oskar",
        "Per",
        "Pontus",
        "Stefan",
        "Sven",
        "Ulf",
        "Viktor",
    ],
    "f": [
        "Agneta",
        "Annika",
        "Åsa",
        "Britt",
        "Camilla",
        "Ebba",
        "Elin",
        "Emma",
        "Frida",
        "Hanna",
        "Ida",
        "Johanna",
        "Karin",
        "Klara",
        "Lena",
        "Linnea",
        "Lisa",
        "Maja",
        "Malin",
        "Maria",
        "Märta",
        "Moa",
        "Sara",
        "Sofia",
        "Therese",
        "Ylva",
    ],
}
SV_SURNAMES = [
    "Åberg",
    "Åkesson",
    "Andersson",
    "Axelsson",
    "Bengtsson",
    "Berg",
    "Berglund",
    "Bergman",
    "Bergström",
    "Björk",
    "Blom",
    "Dahl",
    "Danielsson",
    "Eklund",
    "Ekström",
    "Engström",
    "Eriksson",
    "Forsberg",
    "Fransson",
    "Fredriksson",
    "Gunnarsson",
    "Gustafsson",
    "Håkansson",
    "Hansson",
    "Hedlund",
    "Henriksson",
    "Holm",
    "Isaksson",
    "Jakobsson",
    "Jansson",
    "Johansson",
    "Jonsson",
    "Jönsson",
    "Karlsson",
    "Larsson",
    "Lindberg",
    "Lindgren",
    "Lindqvist",
    "Lindström",
    "Löfgren",
    "Lundberg",
    "Lundin",
    "Lundqvist",
    "Magnusson",
    "Mattsson",
    "Nilsson",
    "Nordström",
    "Nyström",
    "Öberg",
    "Olsson",
    "Persson",
    "Pettersson",
    "Samuelsson",
    "Sandberg",
    "Sjöberg",
    "Sjögren",
    "Söderberg",
    "Ström",
    "Sundberg",
    "Wallin",
    "Wikström",
]
EN_FIRST = {
    "m": [
        "Adam",
        "Alex",
        "Ben",
        "Callum",
        "Christopher",
        "Daniel",
        "Ethan",
        "George",
        "Harry",
        "Jack",
        "Liam",
        "Mark",
        "Matthew",
        "Oliver",
        "Owen",
        "Ryan",
        "Samuel",
        "Thomas",
    ],
    "f": [
        "Aisha",
        "Amelia",
        "Charlotte",
        "Chloe",
        "Eleanor",
        "Emily",
        "Grace",
        "Hannah",
        "Jessica",
        "Laura",
        "Lucy",
        "Megan",
        "Niamh",
        "Olivia",
        "Priya",
        "Rebecca",
        "Sarah",
        "Sophie",
    ],
}
EN_SURNAMES = [
    "Brown",
    "Campbell",
    "Davies",
    "Edwards",
    "Evans",
    "Green",
    "Hall",
    "Hughes",
    "Jackson",
    "Johnson",
    "Jones",
    "Kelly",
    "Khan",
    "Murphy",
    "O'Brien",
    "Patel",
    "Roberts",
    "Robinson",
    "Shaw",
    "Smith",
    "Taylor",
    "Thompson",
    "Turner",
    "Walker",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
]
# Chinese names are written as their owners write them; the pinyin only builds the email address.
ZH_SURNAMES = [
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("林", "lin"),
    ("高", "gao"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
]
ZH_GIVEN = {
    "m": [
        ("伟", "wei"),
        ("强", "qiang"),
        ("磊", "lei"),
        ("军", "jun"),
        ("勇", "yong"),
        ("杰", "jie"),
        ("涛", "tao"),
        ("明", "ming"),
        ("超", "chao"),
        ("志强", "zhiqiang"),
        ("晓东", "xiaodong"),
        ("浩然", "haoran"),
        ("文博", "wenbo"),
        ("俊杰", "junjie"),
        ("宇航", "yuhang"),
        ("子轩", "zixuan"),
    ],
    "f": [
        ("芳", "fang"),
        ("敏", "min"),
        ("丽", "li"),
        ("婷", "ting"),
        ("霞", "xia"),
        ("秀英", "xiuying"),
        ("海燕", "haiyan"),
        ("雪梅", "xuemei"),
        ("欣怡", "xinyi"),
        ("子涵", "zihan"),
        ("佳怡", "jiayi"),
        ("慧", "hui"),
        ("颖", "ying"),
        ("晶", "jing"),
        ("琳", "lin"),
    ],
}


def _feminine(surname: str) -> str:
    return surname[:-1] + "a" if surname.endswith(("ski", "cki", "dzki")) else surname


def _ascii(text: str) -> str:
    """An email-friendly form of a name: "Łukasz Wiśniewski" → "lukasz.wisniewski"."""
    text = text.replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ".".join("".join(ch for ch in part if ch.isalnum()) for part in text.lower().split())


def _random_name(rng: random.Random, language: str, gender: str) -> tuple[str, str]:
    """A realistic (name, email local part) for someone of this language."""
    if language == "zh-hans":
        (surname, surname_py), (given, given_py) = rng.choice(ZH_SURNAMES), rng.choice(ZH_GIVEN[gender])
        return surname + given, f"{given_py}.{surname_py}"
    if language == "pl":
        first, last = rng.choice(PL_FIRST[gender]), rng.choice(PL_SURNAMES)
        last = _feminine(last) if gender == "f" else last
    elif language == "sv":
        first, last = rng.choice(SV_FIRST[gender]), rng.choice(SV_SURNAMES)
    else:
        first, last = rng.choice(EN_FIRST[gender]), rng.choice(EN_SURNAMES)
    return f"{first} {last}", _ascii(f"{first} {last}")


# Organisations -------------------------------------------------------------------------------


@dataclass
class Named:
    """Someone written out by hand: leaders, the demo logins and the people around them."""

    name: str
    language: str
    team: str | None
    job_title: str
    leads: bool = False
    roles: tuple[str, ...] = ("participant",)
    email: str = ""  # the local part for the organisation's domain, or a full address
    timezone: str = ""
    needs: dict = field(default_factory=dict)


@dataclass
class Staff:
    """The people of one team beyond those named by hand: how many, who they are, what they do."""

    timezone: str
    size: int
    languages: dict[str, int]  # language → weight
    titles: dict[str, list]  # language (or "*" for any) → titles; gendered ones as (masculine, feminine)


@dataclass
class Organisation:
    name: str
    slug: str
    domain: str
    teams: list[tuple[str, list[str]]]  # (top-level team, its sub-teams); the first is the leadership
    named: list[Named]
    staff: dict[str, Staff] = field(default_factory=dict)
    needs: list[tuple[str, str, dict]] = field(default_factory=list)  # (team, language, needs of one person)


# A training provider's mentor who works with both demo organisations: one account, two workspaces.
EXTERNAL_MENTOR = Named(
    "Ingrid Svensson",
    "sv",
    None,
    "Extern mentor, Kompetensbron AB",
    roles=("mentor",),
    email=LOGIN_EMAILS["mentor"],
)

NORDWIND_ORG = Organisation(
    name=NORDWIND[0],
    slug=NORDWIND[1],
    domain="nordwind.takeroot.test",
    teams=[
        ("Management", []),
        ("Sales", ["Sales Poland", "Sales Nordics"]),
        ("Customer Service", ["Kraków Contact Centre", "Stockholm Support"]),
        ("Engineering", ["Platform", "Mobile"]),
        ("Operations", ["Warehouse Gdańsk", "Warehouse Göteborg"]),
        ("People & Culture", []),
        ("Shanghai Office", ["Sourcing", "Quality"]),
    ],
    named=[
        # Leadership: the CEO, then a head for every department and a manager for every team.
        Named("Johan Ekström", "sv", "Management", "Chief Executive Officer", leads=True, roles=("manager",)),
        Named("Katarzyna Zielińska", "pl", "Management", "Chief Financial Officer"),
        Named("Natalia Mazur", "pl", "Management", "Executive Assistant"),
        Named("Piotr Zawadzki", "pl", "Sales", "Sales Director", leads=True),
        Named("Anna Lundgren", "sv", "Customer Service", "Head of Customer Service", leads=True),
        Named("James Whitfield", "en", "Engineering", "Head of Engineering", leads=True),
        Named("Tomasz Dąbrowski", "pl", "Operations", "Operations Director", leads=True),
        Named("Emma Clarke", "en", "People & Culture", "Chief People Officer", leads=True, roles=("admin", "manager")),
        Named("陈建华", "zh-hans", "Shanghai Office", "上海办事处总经理", leads=True, email="jianhua.chen"),
        Named("Michał Lewandowski", "pl", "Sales Poland", "Kierownik zespołu sprzedaży", leads=True),
        Named("Erik Sandberg", "sv", "Sales Nordics", "Försäljningschef Norden", leads=True),
        Named(
            "Marek Kowalski",
            "pl",
            "Kraków Contact Centre",
            "Kierownik Contact Center",
            leads=True,
            roles=("manager",),
            email=LOGIN_EMAILS["manager"],
        ),
        Named("Maja Nyström", "sv", "Stockholm Support", "Supportchef", leads=True),
        Named("Joanna Kaczmarek", "pl", "Platform", "Engineering Manager, Platform", leads=True),
        Named("Linnea Forsberg", "sv", "Mobile", "Engineering Manager, Mobile", leads=True),
        Named("Krzysztof Wróbel", "pl", "Warehouse Gdańsk", "Kierownik magazynu", leads=True),
        Named("Björn Öberg", "sv", "Warehouse Göteborg", "Lagerchef", leads=True),
        Named("王伟", "zh-hans", "Sourcing", "采购经理", leads=True, email="wei.wang"),
        Named(
            "张静",
            "zh-hans",
            "Quality",
            "质量经理",
            leads=True,
            roles=("manager", "mentor", "participant"),
            email="jing.zhang",
        ),
        # The demo logins and the other admins, trainers and mentors.
        Named(
            "Agnieszka Nowak",
            "pl",
            "People & Culture",
            "Learning & Development Manager",
            roles=("admin",),
            email=LOGIN_EMAILS["admin"],
        ),
        Named(
            "Tom Bennett",
            "en",
            "People & Culture",
            "Learning & Development Trainer",
            roles=("trainer",),
            email=LOGIN_EMAILS["trainer"],
        ),
        EXTERNAL_MENTOR,
        Named(
            "李娜",
            "zh-hans",
            "Kraków Contact Centre",
            "Konsultantka ds. obsługi klienta (język chiński)",
            email=LOGIN_EMAILS["participant"],
            timezone="Europe/Warsaw",
        ),
        Named("Paulina Grabowska", "pl", "Sales Poland", "Trenerka sprzedaży", roles=("trainer",)),
        Named("Karolina Pawlak", "pl", "Kraków Contact Centre", "Trenerka wewnętrzna", roles=("trainer",)),
        Named("刘洋", "zh-hans", "Quality", "培训主管", roles=("trainer",), email="yang.liu"),
        Named("Åsa Lindqvist", "sv", "Sales Nordics", "Senior key account manager", roles=("mentor", "participant")),
        Named("Łukasz Wiśniewski", "pl", "Platform", "Staff Engineer", roles=("mentor", "participant")),
    ],
    staff={
        "Sales Poland": Staff(
            "Europe/Warsaw",
            22,
            {"pl": 1},
            {
                "pl": [
                    ("Przedstawiciel handlowy", "Przedstawicielka handlowa"),
                    ("Przedstawiciel handlowy", "Przedstawicielka handlowa"),
                    ("Specjalista ds. sprzedaży", "Specjalistka ds. sprzedaży"),
                    ("Młodszy specjalista ds. sprzedaży", "Młodsza specjalistka ds. sprzedaży"),
                    ("Key Account Manager", "Key Account Manager"),
                    ("Koordynator ds. ofert", "Koordynatorka ds. ofert"),
                ]
            },
        ),
        "Sales Nordics": Staff(
            "Europe/Stockholm",
            13,
            {"sv": 1},
            {
                "sv": [
                    "Säljare",
                    "Säljare",
                    "Innesäljare",
                    "Key account manager",
                    "Säljsupport",
                ]
            },
        ),
        "Kraków Contact Centre": Staff(
            "Europe/Warsaw",
            31,
            {"pl": 9, "zh-hans": 1},
            {
                "pl": [
                    ("Konsultant ds. obsługi klienta", "Konsultantka ds. obsługi klienta"),
                    ("Konsultant ds. obsługi klienta", "Konsultantka ds. obsługi klienta"),
                    ("Konsultant ds. obsługi klienta", "Konsultantka ds. obsługi klienta"),
                    ("Starszy konsultant ds. obsługi klienta", "Starsza konsultantka ds. obsługi klienta"),
                    ("Specjalista ds. reklamacji", "Specjalistka ds. reklamacji"),
                    ("Lider zmiany", "Liderka zmiany"),
                ],
                # The Chinese-language desk: Chinese speakers living in Kraków.
                "zh-hans": [
                    (
                        "Konsultant ds. obsługi klienta (język chiński)",
                        "Konsultantka ds. obsługi klienta (język chiński)",
                    )
                ],
            },
        ),
        "Stockholm Support": Staff(
            "Europe/Stockholm",
            14,
            {"sv": 1},
            {
                "sv": [
                    "Kundtjänstmedarbetare",
                    "Kundtjänstmedarbetare",
                    "Supporttekniker",
                    "Senior supporttekniker",
                    "Kvalitetscoach kundtjänst",
                ]
            },
        ),
        # Engineering works in English; its English speakers work remotely from the UK.
        "Platform": Staff(
            "Europe/Warsaw",
            14,
            {"pl": 2, "en": 1},
            {
                "*": [
                    "Backend Engineer",
                    "Backend Engineer",
                    "Senior Backend Engineer",
                    "Site Reliability Engineer",
                    "Data Engineer",
                    "QA Engineer",
                ]
            },
        ),
        "Mobile": Staff(
            "Europe/Stockholm",
            10,
            {"sv": 3, "en": 2},
            {
                "*": [
                    "iOS Developer",
                    "Android Developer",
                    "Senior Mobile Developer",
                    "UX Designer",
                    "Product Owner",
                ]
            },
        ),
        "Warehouse Gdańsk": Staff(
            "Europe/Warsaw",
            25,
            {"pl": 1},
            {
                "pl": [
                    ("Magazynier", "Magazynierka"),
                    ("Magazynier", "Magazynierka"),
                    ("Magazynier", "Magazynierka"),
                    ("Operator wózka widłowego", "Operatorka wózka widłowego"),
                    ("Operator wózka widłowego", "Operatorka wózka widłowego"),
                    ("Planista logistyki", "Planistka logistyki"),
                    ("Brygadzista zmiany", "Brygadzistka zmiany"),
                    ("Kontroler jakości", "Kontrolerka jakości"),
                ]
            },
        ),
        "Warehouse Göteborg": Staff(
            "Europe/Stockholm",
            17,
            {"sv": 1},
            {
                "sv": [
                    "Lagermedarbetare",
                    "Lagermedarbetare",
                    "Lagermedarbetare",
                    "Truckförare",
                    "Truckförare",
                    "Logistikplanerare",
                    "Skiftledare",
                ]
            },
        ),
        "People & Culture": Staff(
            "Europe/Warsaw",
            4,
            {"pl": 3, "en": 1},
            {
                "*": [
                    "HR Business Partner",
                    "HR Specialist",
                    "Talent Acquisition Specialist",
                    "Payroll Specialist",
                ]
            },
        ),
        "Sourcing": Staff(
            "Asia/Shanghai",
            12,
            {"zh-hans": 1},
            {
                "zh-hans": [
                    "采购专员",
                    "采购专员",
                    "高级采购专员",
                    "供应商开发工程师",
                    "采购助理",
                ]
            },
        ),
        "Quality": Staff(
            "Asia/Shanghai",
            10,
            {"zh-hans": 1},
            {
                "zh-hans": [
                    "质量工程师",
                    "质量工程师",
                    "质量检验员",
                    "供应商质量工程师",
                    "质量体系专员",
                ]
            },
        ),
    },
    needs=[
        (
            "Warehouse Gdańsk",
            "pl",
            {
                "needs_sign_language": True,
                "needs_captions": True,
                "accessibility_notes": "Jestem osobą głuchą — na spotkaniach na żywo proszę o tłumacza PJM.",
            },
        ),
        (
            "Kraków Contact Centre",
            "pl",
            {
                "needs_screen_reader": True,
                "accessibility_notes": "Korzystam z czytnika ekranu NVDA — proszę o dokumenty z nagłówkami.",
            },
        ),
        (
            "Kraków Contact Centre",
            "pl",
            {
                "needs_extra_time": True,
                "accessibility_notes": "Dysleksja — proszę o materiały z wyprzedzeniem.",
            },
        ),
        (
            "Stockholm Support",
            "sv",
            {
                "needs_captions": True,
                "accessibility_notes": "Hörselnedsättning – textning behövs även i filmer.",
            },
        ),
        ("Warehouse Göteborg", "sv", {"accessibility_notes": "Rullstolsanvändare – boka lokaler utan trappor."}),
        ("Platform", "en", {"needs_screen_reader": True}),
        ("Mobile", "en", {"needs_captions": True}),
        (
            "Quality",
            "zh-hans",
            {
                "needs_extra_time": True,
                "accessibility_notes": "请提前发送培训材料，测验请适当延长时间。",
            },
        ),
    ],
)

FJALLBACKA_ORG = Organisation(
    name=FJALLBACKA[0],
    slug=FJALLBACKA[1],
    domain="fjallbacka.takeroot.test",
    teams=[
        ("Ledning", []),
        ("Kontor", []),
        ("Produktion", ["Arbetslag Fjällbacka", "Arbetslag Grebbestad"]),
    ],
    named=[
        Named("Anders Hallberg", "sv", "Ledning", "VD", leads=True, roles=("manager",)),
        Named(
            "Karin Holmberg",
            "sv",
            "Kontor",
            "Ekonomi- och personalansvarig",
            leads=True,
            roles=("admin", "manager"),
            email=FJALLBACKA_ADMIN_EMAIL,
        ),
        Named("Lena Strand", "sv", "Kontor", "Administratör"),
        Named("Per Ekdahl", "sv", "Produktion", "Produktionschef", leads=True),
        Named("Mikael Berntsson", "sv", "Arbetslag Fjällbacka", "Arbetsledare", leads=True),
        Named("Jonas Kjellberg", "sv", "Arbetslag Fjällbacka", "Snickare", needs={"needs_captions": True}),
        Named("Elias Hermansson", "sv", "Arbetslag Fjällbacka", "Snickare"),
        Named("Moa Carlsson", "sv", "Arbetslag Fjällbacka", "Lärling, snickeri"),
        Named("Sanna Olausson", "sv", "Arbetslag Grebbestad", "Arbetsledare", leads=True),
        Named("Fredrik Alm", "sv", "Arbetslag Grebbestad", "Betongarbetare"),
        Named("Oskar Lund", "sv", "Arbetslag Grebbestad", "Maskinförare"),
        EXTERNAL_MENTOR,
    ],
)


# Building ------------------------------------------------------------------------------------


@dataclass
class _Member:
    name: str
    email: str
    language: str
    timezone: str
    team: str | None
    job_title: str
    leads: bool
    roles: tuple[str, ...]
    needs: dict
    state: str  # "login", "active", "invited" or "not_invited"


class _Builder:
    """Builds one organisation inside its workspace scope and remembers the accounts to finish."""

    def __init__(self, rng: random.Random, now: datetime, password: str) -> None:
        self.rng, self.now, self.password = rng, now, password
        self.accounts: dict[int, tuple[User, str]] = {}
        self.teams = self.people = 0

    def members(self, org: Organisation) -> list[_Member]:
        """Everyone in the organisation, hand-named first, then the staff of each team."""
        logins = set(LOGIN_EMAILS.values()) | {FJALLBACKA_ADMIN_EMAIL}
        members = []
        for named in org.named:
            email = named.email if "@" in named.email else f"{named.email or _ascii(named.name)}@{org.domain}"
            members.append(
                _Member(
                    name=named.name,
                    email=email,
                    language=named.language,
                    timezone=named.timezone or LANGUAGE_TIMEZONES[named.language],
                    team=named.team,
                    job_title=named.job_title,
                    leads=named.leads,
                    roles=named.roles,
                    needs=dict(named.needs),
                    state="login" if email in logins else "active",
                )
            )
        taken = {member.name for member in members} | {member.email for member in members}
        generated: list[_Member] = []
        for team, staff in org.staff.items():
            languages, weights = list(staff.languages), list(staff.languages.values())
            for _ in range(staff.size):
                language = self.rng.choices(languages, weights)[0]
                gender = self.rng.choice("mf")
                name, local = _random_name(self.rng, language, gender)
                while name in taken:
                    name, local = _random_name(self.rng, language, gender)
                email, n = f"{local}@{org.domain}", 2
                while email in taken:  # different names can share an ASCII form (徐 and 许 are both "xu")
                    email, n = f"{local}{n}@{org.domain}", n + 1
                taken |= {name, email}
                title = self.rng.choice(staff.titles.get(language) or staff.titles["*"])
                if isinstance(title, tuple):
                    title = title[gender == "f"]
                roll = self.rng.random()
                state = "active" if roll < 0.55 else "invited" if roll < 0.8 else "not_invited"
                generated.append(
                    _Member(
                        name=name,
                        email=email,
                        language=language,
                        # English speakers in these teams work remotely from the UK.
                        timezone=LANGUAGE_TIMEZONES["en"] if language == "en" else staff.timezone,
                        team=team,
                        job_title=title,
                        leads=False,
                        roles=("participant",),
                        needs={},
                        state=state,
                    )
                )
        for team, language, needs in org.needs:
            candidates = [m for m in generated if m.team == team and m.language == language and not m.needs]
            self.rng.choice(candidates).needs = needs
        return members + generated

    def build(self, org: Organisation) -> Workspace:
        workspace = services.create_workspace(name=org.name, slug=org.slug)
        members = self.members(org)
        with workspace_scope(workspace):
            teams: dict[str, Team] = {}
            parents: dict[str, str | None] = {}
            for name, children in org.teams:
                teams[name] = services.create_team(workspace=workspace, actor=None, name=name)
                parents[name] = None
                for child in children:
                    teams[child] = services.create_team(workspace=workspace, actor=None, name=child, parent=teams[name])
                    parents[child] = name
            leads = {member.team: member for member in members if member.leads}
            missing = set(teams) - set(leads)
            if missing:
                raise ValueError(f"Demo teams without a line manager: {sorted(missing)}")
            top = leads[org.teams[0][0]]

            def line_manager(member: _Member) -> _Member | None:
                # Members report to their team's manager, managers to the head of the department
                # above, heads to the top of the organisation.
                if member.team is None or member is top:
                    return None
                if not member.leads:
                    return leads[member.team]
                parent = parents[member.team]
                return leads[parent] if parent else top

            def depth(member: _Member) -> int:
                boss = line_manager(member)
                return 0 if boss is None else depth(boss) + 1

            # Managers are created before the people who report to them.
            people: dict[int, Person] = {}
            for member in sorted(members, key=depth):
                boss = line_manager(member)
                people[id(member)] = self.add_person(
                    workspace, member, team=teams.get(member.team), manager=people[id(boss)] if boss else None
                )
        self.teams += len(teams)
        self.people += len(people)
        return workspace

    def add_person(self, workspace: Workspace, member: _Member, *, team: Team | None, manager: Person | None) -> Person:
        person = services.create_person(
            workspace=workspace,
            actor=None,
            email=member.email,
            name=member.name,
            language=member.language,
            timezone=member.timezone,
            team=team,
            manager=manager,
            job_title=member.job_title,
            is_admin="admin" in member.roles,
            is_trainer="trainer" in member.roles,
            is_mentor="mentor" in member.roles,
            is_manager=member.leads or "manager" in member.roles,
            is_participant="participant" in member.roles,
            **member.needs,
        )
        self.accounts.setdefault(person.user.pk, (person.user, member.state))
        return person

    def finish_accounts(self) -> None:
        """Give the accounts their history: invited, signed in, or not yet invited."""
        users = []
        between = self.rng.randint
        for user, state in self.accounts.values():
            if state == "login":
                user.password, user.invited_at = self.password, self.now - timedelta(days=30)
            elif state == "active":
                user.password = self.password
                user.invited_at = self.now - timedelta(days=between(20, 90))
                user.last_login = self.now - timedelta(days=between(0, 14), minutes=between(0, 600))
            elif state == "invited":
                user.invited_at = self.now - timedelta(days=between(1, 12), minutes=between(0, 600))
            users.append(user)
        User.objects.bulk_update(users, ["password", "invited_at", "last_login"], batch_size=100)


def demo_exists() -> bool:
    with across_workspaces():
        return Workspace.objects.filter(slug__in=DEMO_SLUGS).exists()


def _remove_demo() -> None:
    """Delete the demo workspaces and the accounts that belong to no other workspace."""
    with across_workspaces():
        workspace_ids = list(Workspace.objects.filter(slug__in=DEMO_SLUGS).values_list("pk", flat=True))
        members = set(Person.objects.filter(workspace__in=workspace_ids).values_list("user_id", flat=True))
        elsewhere = set(
            Person.objects.filter(user__in=members)
            .exclude(workspace__in=workspace_ids)
            .values_list("user_id", flat=True)
        )
        Workspace.objects.filter(pk__in=workspace_ids).delete()
        User.objects.filter(pk__in=members - elsewhere).delete()


def build_demo(*, reset: bool = False) -> DemoSummary:
    """Create the demo workspaces, unless they exist; with ``reset``, replace them.

    Side effects: two workspaces with teams, people and audit entries; accounts for them (the demo
    logins and the active people get ``DEMO_PASSWORD``). No mail is sent. Called by ``takeroot
    demo`` and by ``takeroot run`` on an empty database."""
    if demo_exists() and not reset:
        return DemoSummary(created=False)
    # Hashed once, outside the transaction: the slow part of a build, and SQLite holds its write lock
    # for the whole transaction.
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        removed = demo_exists()
        if removed:
            _remove_demo()
        builder = _Builder(random.Random(SEED), timezone.now(), password)  # noqa: S311 (made-up data, not secrets)
        workspaces = [builder.build(NORDWIND_ORG), builder.build(FJALLBACKA_ORG)]
        builder.finish_accounts()
        # Later apps add their part (programmes, plans, …) once the people exist.
        for extend in DEMO_EXTENSIONS:
            for workspace in workspaces:
                with workspace_scope(workspace):
                    extend(workspace, rng=random.Random(SEED), today=timezone.localdate())  # noqa: S311
    return DemoSummary(created=True, removed=removed, workspaces=2, teams=builder.teams, people=builder.people)
