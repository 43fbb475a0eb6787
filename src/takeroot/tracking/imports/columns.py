"""What each kind of file holds: the fields an import reads, and the header spellings that name them.

A field is filled from one column of the file. The admin picks the column in the mapping step;
the page starts from the saved source's mapping and from the spellings below (English, Polish,
Swedish, Chinese), so a usual LMS export needs no change at all.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..enums import ImportKind, Input


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise
    required: bool
    help: Promise
    spellings: frozenset[str]


def _field(key: str, label: Promise, required: bool, help: Promise, *spellings: str) -> Field:
    return Field(key, label, required, help, frozenset(normalise_header(spelling) for spelling in spellings))


def normalise_header(title: str) -> str:
    """A header as it is compared: case-folded, "_" and "-" read as spaces, single spaces, no colon."""
    return " ".join(title.casefold().replace("_", " ").replace("-", " ").rstrip(":：").split())


EMAIL = _field(
    "email",
    _("Email"),
    True,
    _("The participant's email address in Takeroot."),
    *("email", "e-mail", "email address", "e-mail address", "mail", "user email", "participant email", "login"),
    *("adres e-mail", "adres email", "e-mail uczestnika", "email uczestnika", "poczta"),
    *("e-post", "e-postadress", "epost", "mejl", "mejladress"),
    *("邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址", "電子郵件"),
)
DATE = _field(
    "date",
    _("Date"),
    True,
    _("When it happened: 2026-10-05, 05.10.2026, 05/10/2026 or a spreadsheet date."),
    *("date", "day", "session date", "completed", "completion date", "date completed", "submitted", "timestamp"),
    *("data", "dzień", "data zajęć", "data ukończenia", "termin"),
    *("datum", "dag", "slutförd", "inlämnad"),
    *("日期", "完成日期", "上课日期"),
)
MODULE = _field(
    "module",
    _("Module"),
    False,
    _("Optional: the module's title, or its number in the programme (1 for the first)."),
    *("module", "module title", "module name", "section", "course module", "lesson", "unit", "stage"),
    *("moduł", "nazwa modułu", "lekcja", "etap"),
    *("modul", "kursmodul", "avsnitt", "lektion"),
    *("模块", "单元", "课程模块", "阶段"),
)
ATTENDED = _field(
    "attended",
    _("Attended"),
    True,
    _("yes/no, 1/0, present/absent or x; an empty cell means absent."),
    *("attended", "attendance", "present", "presence", "status", "attendance status"),
    *("obecność", "obecny", "frekwencja", "obecna"),
    *("närvaro", "närvarande", "deltog"),
    *("出勤", "出席", "考勤", "签到"),
)
MINUTES = _field(
    "minutes",
    _("Time online"),
    True,
    _("Minutes (45 or 45,5), or hours and minutes (1:30 or 01:30:00)."),
    *("minutes", "time online", "time spent", "time", "duration", "minutes online", "time (minutes)"),
    *("czas", "czas online", "minuty", "czas w minutach", "czas nauki"),
    *("tid", "tid online", "minuter", "tid (minuter)"),
    *("时长", "在线时间", "分钟", "学习时长"),
)
SCORE = _field(
    "score",
    _("Score"),
    True,
    _("Points (with a maximum) or a percentage such as 85 %."),
    *("score", "grade", "points", "result", "mark", "assignment score", "quiz score"),
    *("wynik", "ocena", "punkty", "liczba punktów"),
    *("poäng", "betyg", "resultat"),
    *("分数", "成绩", "得分"),
)
MAXIMUM = _field(
    "maximum",
    _("Maximum score"),
    False,
    _("Optional: the most points possible. Without it, scores are read as percentages."),
    *("maximum", "max", "max score", "maximum score", "out of", "max points", "maximum points"),
    *("maksimum", "maks", "maks punktów", "maksymalna liczba punktów", "punkty maks"),
    *("max poäng", "maxpoäng", "maximal poäng"),
    *("满分", "总分", "最高分"),
)
RATING = _field(
    "rating",
    _("Rating"),
    True,
    _("The supervisor's rating, a number from 0 to the scale maximum."),
    *("rating", "evaluation", "supervisor rating", "supervisor evaluation", "assessment", "score"),
    *("ocena", "ocena przełożonego", "ocena kierownika", "ewaluacja"),
    *("bedömning", "betyg", "chefens bedömning"),
    *("评分", "评价", "主管评分", "上级评价"),
)
SCALE = _field(
    "scale",
    _("Scale maximum"),
    False,
    _("Optional: the top of the rating scale; 5 when there is no such column."),
    *("scale", "scale maximum", "scale max", "out of", "max", "maximum"),
    *("skala", "skala max", "maks skali"),
    *("skala max", "skalans max", "skalmax"),
    *("量表", "满分", "最高分"),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    ImportKind.ATTENDANCE: (EMAIL, DATE, MODULE, ATTENDED),
    ImportKind.TIME_ONLINE: (EMAIL, DATE, MODULE, MINUTES),
    ImportKind.GRADES: (EMAIL, DATE, MODULE, SCORE, MAXIMUM),
    ImportKind.SUPERVISOR_EVALUATION: (EMAIL, DATE, MODULE, RATING, SCALE),
}
# What each kind of file becomes (see ``enums.Input`` for the normalised values).
INPUTS = {
    ImportKind.ATTENDANCE: Input.ATTENDANCE,
    ImportKind.TIME_ONLINE: Input.TIME_ONLINE,
    ImportKind.GRADES: Input.ASSIGNMENT_SCORE,
    ImportKind.SUPERVISOR_EVALUATION: Input.SUPERVISOR_EVALUATION,
}


def guess_columns(header: list[str], kind: str, saved: dict[str, str] | None = None) -> dict[str, int]:
    """The column position for each field that the header names: the saved mapping first (by
    title), then the usual spellings. A column fills one field at most."""
    titles = [normalise_header(title) for title in header]
    taken: set[int] = set()
    guessed: dict[str, int] = {}
    for field in FIELDS[kind]:
        wanted = (saved or {}).get(field.key)
        if wanted and normalise_header(wanted) in titles and titles.index(normalise_header(wanted)) not in taken:
            guessed[field.key] = titles.index(normalise_header(wanted))
            taken.add(guessed[field.key])
    for field in FIELDS[kind]:
        if field.key in guessed:
            continue
        for position, title in enumerate(titles):
            if position not in taken and title in field.spellings:
                guessed[field.key] = position
                taken.add(position)
                break
    return guessed


def titles_of(header: list[str], positions: dict[str, int]) -> dict[str, str]:
    """A mapping by column title, as sources and imports keep it (the next file's columns may move)."""
    return {key: header[position] for key, position in positions.items()}


def positions_of(header: list[str], titles: dict[str, str]) -> dict[str, int]:
    """A mapping by title read against this header; titles the header lacks are left out."""
    found = {normalise_header(title): position for position, title in reversed(list(enumerate(header)))}
    return {key: found[normalise_header(title)] for key, title in titles.items() if normalise_header(title) in found}
