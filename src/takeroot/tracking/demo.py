"""Demo learning data: Nordwind's customer-conversations programme as its Moodle reports it.

An LMS connection "Moodle" holds about 1,500 xAPI statements shaped like Moodle's
``logstore_xapi`` plugin sends them (actors by the people's email, activities of the Moodle course
mapped to the programme's modules), for the running cohort over its weeks so far and for the
previous cohort over its run; a few statements stay unmatched (someone Takeroot does not know, a
forum nobody mapped) so the Unmatched page has content. An attendance register and a supervisor
evaluation form come in as file imports. Then everything Takeroot recorded itself is backfilled,
and the at-risk rules and the problem finder run.

The data is shaped to tell a story: most of the running cohort is engaged and doing well; three
people (those whose action plans have gone quiet) were active at first and have faded over the
last fortnight and missed their check-ins; the whole cohort struggled with the quizzes of the
first module, "Opening the conversation" (a finding). The previous cohort struggled with the
second, "Listening for the real need", and the design change made for this cohort (a hands-on
case workshop) shows its before and after figures.

Called by core's demo builder once per demo workspace, inside its scope; dates are relative to
``today`` and every random choice comes from the ``rng`` passed in, so a build is repeatable.
"""

import datetime
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from takeroot.core.demo import DEMO_SLUGS, LOGIN_EMAILS
from takeroot.core.models import Person, Workspace
from takeroot.plans import services as plans
from takeroot.plans.enums import CheckInStatus, GoalKind, PlanState
from takeroot.plans.models import ActionPlan
from takeroot.programmes.demo import CUSTOMER_CONVERSATIONS
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment, Module

from .connections import create_connection
from .enums import FindingKind, ImportKind
from .findings import find_problems
from .imports.apply import import_activity, save_source
from .imports.columns import guess_columns, titles_of
from .imports.pending import Upload
from .imports.preview import preview_import
from .mapping import ADL, TINCAN, process_statements
from .models import ActivityMapping, ActivityRecord, AtRiskFlag, DesignChange, Finding, LmsConnection, Statement
from .risk import evaluate_workspace
from .services import record_design_change
from .sources import backfill
from .xapi.documents import actor_key

MOODLE = "https://learn.nordwind.takeroot.test"
COURSE = f"{MOODLE}/course/view.php?id=42"
AT_RISK = 3  # people of the running cohort whose engagement fades
EASY_SHARE = 0.93  # quiz accuracy in the modules a cohort does not find hard
CHANGE = "Added a hands-on case workshop to “Listening for the real need”: pairs work through recorded calls."
COUNTED = ("statements", "unmatched", "imports", "records", "flags", "findings", "design changes")


@dataclass(frozen=True)
class Hard:
    """The module (by index) a cohort finds hard, and its quiz accuracy there."""

    module: int
    share: float


# The running cohort struggled with its first module, though not so much that everyone's own scores
# fall below target; the previous one struggled more, with the second.
HARD = {"running": Hard(module=0, share=0.65), "previous": Hard(module=1, share=0.5)}


@dataclass(frozen=True)
class Learner:
    """A participant as the LMS knows them."""

    enrolment: Enrolment
    email: str
    name: str
    fading: bool = False


# The Moodle course: per module a page, a video, a quiz and an assignment (course module ids).
KINDS = {
    "page": ("http://activitystrea.ms/schema/1.0/page", "mod/page", "Reading"),
    "video": ("https://w3id.org/xapi/video/activity-type/video", "mod/url", "Video"),
    "quiz": ("http://adlnet.gov/expapi/activities/assessment", "mod/quiz", "Quiz"),
    "assign": ("http://adlnet.gov/expapi/activities/assessment", "mod/assign", "Practice assignment"),
    "session": ("http://adlnet.gov/expapi/activities/meeting", "mod/attendance", "Classroom session"),
}
VERBS = {
    "viewed": f"{TINCAN}viewed",
    "experienced": f"{ADL}experienced",
    "answered": f"{ADL}answered",
    "scored": f"{ADL}scored",
    "attended": f"{ADL}attended",
    "commented": f"{ADL}commented",
}
EVENTS = {
    "viewed": "\\mod_page\\event\\course_module_viewed",
    "experienced": "\\mod_url\\event\\course_module_viewed",
    "answered": "\\mod_quiz\\event\\attempt_submitted",
    "scored": "\\mod_assign\\event\\submission_graded",
    "attended": "\\mod_attendance\\event\\attendance_taken",
    "commented": "\\mod_forum\\event\\post_created",
}


def _activity_id(kind: str, module_index: int) -> str:
    return f"{MOODLE}/{KINDS[kind][1]}/view.php?id={300 + 10 * module_index + list(KINDS).index(kind)}"


def _activity(kind: str, module_index: int, module_title: str) -> dict:
    return {
        "objectType": "Activity",
        "id": _activity_id(kind, module_index),
        "definition": {
            "type": KINDS[kind][0],
            "name": {"en": f"{KINDS[kind][2]}: {module_title}"},
            "extensions": {
                "https://w3id.org/learning-analytics/learning-management-system/external-id": str(
                    300 + 10 * module_index + list(KINDS).index(kind)
                )
            },
        },
    }


def _context(event: str) -> dict:
    """Moodle's context: the site and the course as groupings, the plugin as the source."""
    return {
        "platform": "Moodle",
        "language": "en",
        "extensions": {
            "http://lrs.learninglocker.net/define/extensions/info": {
                "https://moodle.org": "4.3.2 (Build: 20231222)",
                "https://github.com/xAPI-vle/moodle-logstore_xapi": "v4.7.0",
                "event_name": event,
                "event_function": "\\src\\transformer\\events\\core\\course_module_viewed",
            }
        },
        "contextActivities": {
            "grouping": [
                {
                    "id": MOODLE,
                    "definition": {
                        "type": "http://id.tincanapi.com/activitytype/lms",
                        "name": {"en": "Nordwind Learning"},
                    },
                },
                {
                    "id": COURSE,
                    "definition": {
                        "type": "http://id.tincanapi.com/activitytype/lms/course",
                        "name": {"en": CUSTOMER_CONVERSATIONS.name},
                    },
                },
            ],
            "category": [
                {
                    "id": "http://moodle.org",
                    "definition": {"type": "http://id.tincanapi.com/activitytype/source", "name": {"en": "Moodle"}},
                }
            ],
        },
    }


class _Builder:
    def __init__(self, workspace: Workspace, rng: random.Random, today: datetime.date, connection: LmsConnection):
        self.workspace, self.rng, self.today, self.connection = workspace, rng, today, connection
        self.moment = datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC)
        self.documents: list[dict] = []
        self.answers: Counter = Counter()  # (enrolment, module, "asked" | "right") → how many
        self.authority = {
            "objectType": "Agent",
            "name": connection.name,
            "account": {"homePage": MOODLE, "name": connection.username},
        }

    # One statement ------------------------------------------------------------------------------

    def statement(self, who: dict, verb: str, target: dict, at: datetime.datetime, result: dict | None = None) -> None:
        document = {
            "id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            "actor": who,
            "verb": {"id": VERBS[verb], "display": {"en": verb}},
            "object": target,
            "timestamp": at.isoformat().replace("+00:00", "Z"),
            "context": _context(EVENTS[verb]),
            "version": "1.0.3",
        }
        if result:
            document["result"] = result
        self.documents.append(document)

    # A participant's days ----------------------------------------------------------------------------

    def day(self, person: Learner, modules: list[Module], at: datetime.datetime, *, module_index: int, hard: Hard):
        """What one participant does in Moodle on one day: reading, a video, some quiz questions,
        a forum post now and then."""
        who = {"objectType": "Agent", "name": person.name, "mbox": f"mailto:{person.email}"}
        title = modules[module_index].title
        rng = self.rng
        at = at + datetime.timedelta(hours=rng.randint(7, 16), minutes=rng.randint(0, 59))
        self.statement(who, "viewed", _activity("page", module_index, title), at)
        minutes = rng.randint(8, 35)
        self.statement(
            who,
            "experienced",
            _activity("video", module_index, title),
            at,
            {"duration": f"PT{minutes}M", "completion": True},
        )
        share = hard.share if module_index == hard.module else EASY_SHARE
        for question in range(rng.randint(1, 3)):
            success = self.right(person, module_index, share)
            self.statement(
                who,
                "answered",
                _activity("quiz", module_index, title),
                at + datetime.timedelta(minutes=minutes + question),
                {"success": success, "score": {"scaled": 1.0 if success else 0.0}, "duration": "PT1M"},
            )
        if rng.random() < 0.25:
            self.statement(
                who, "commented", _activity("page", module_index, title), at + datetime.timedelta(minutes=50)
            )

    def right(self, person: Learner, module_index: int, share: float) -> bool:
        """Whether the next answer is right, so that each person's accuracy in a module stays at
        ``share``: a cohort's figures then tell the story without chance making everyone a case."""
        key = (person.enrolment.pk, module_index)
        self.answers[(*key, "asked")] += 1
        right = self.answers[(*key, "right")] < share * self.answers[(*key, "asked")]
        self.answers[(*key, "right")] += right
        return right

    def graded(self, person: Learner, modules: list[Module], module_index: int, at: datetime.datetime, *, hard: Hard):
        who = {"objectType": "Agent", "name": person.name, "mbox": f"mailto:{person.email}"}
        share = hard.share if module_index == hard.module else EASY_SHARE
        low, high = round(100 * share) - 10, min(100, round(100 * share) + 12)
        raw = self.rng.randint(low, high)
        self.statement(
            who,
            "scored",
            _activity("assign", module_index, modules[module_index].title),
            at,
            {"score": {"raw": raw, "min": 0, "max": 100, "scaled": raw / 100}, "completion": True},
        )

    def cohort(
        self, cohort: Cohort, people: list[Learner], modules: list[Module], *, hard: Hard, presence: float
    ) -> None:
        """Every participant's days from the cohort's start (the last eight weeks at most of a
        running one) to its end or yesterday; on a weekday each comes in with the chance
        ``presence``, a fading participant hardly at all in the last fortnight."""
        first = cohort.starts_on
        if cohort.ends_on >= self.today:
            first = max(first, self.today - datetime.timedelta(weeks=8))
        last = min(cohort.ends_on, self.today - datetime.timedelta(days=1))
        days = (cohort.ends_on - cohort.starts_on).days + 1
        fade_from = self.today - datetime.timedelta(days=14)
        for offset in range((last - first).days + 1):
            day = first + datetime.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            module_index = min(len(modules) - 1, (day - cohort.starts_on).days * len(modules) // days)
            at = datetime.datetime.combine(day, datetime.time(0), tzinfo=datetime.UTC)
            for person in people:
                faded = person.fading and day >= fade_from
                if self.rng.random() < (0.08 if faded else presence):
                    self.day(person, modules, at, module_index=module_index, hard=hard)
                if day.weekday() == 4 and not faded:  # assignments are graded on Fridays
                    self.graded(person, modules, module_index, at + datetime.timedelta(hours=15), hard=hard)

    # Unmatched -------------------------------------------------------------------------------------------

    def unmatched(self, modules: list[Module], person: Learner) -> int:
        """A guest account nobody enrolled, and a forum nobody mapped to a module."""
        at = self.moment - datetime.timedelta(days=2)
        guest = {"objectType": "Agent", "name": "Guest Trainer", "mbox": "mailto:guest.trainer@partner.example"}
        forum = {
            "objectType": "Activity",
            "id": f"{MOODLE}/mod/forum/view.php?id=999",
            "definition": {"type": "http://id.tincanapi.com/activitytype/discussion", "name": {"en": "Café corner"}},
        }
        who = {"objectType": "Agent", "name": person.name, "mbox": f"mailto:{person.email}"}
        before = len(self.documents)
        for hours in (1, 3):
            self.statement(
                guest, "viewed", _activity("page", 0, modules[0].title), at + datetime.timedelta(hours=hours)
            )
        for hours in (2, 5, 7):
            self.statement(who, "commented", forum, at + datetime.timedelta(hours=hours))
        return len(self.documents) - before

    # Storing ---------------------------------------------------------------------------------------------

    def store(self) -> list[int]:
        """The statements as the endpoint keeps them: the document as sent, with ``stored`` and
        ``authority`` set, and the columns queries filter on."""
        rows = []
        for index, document in enumerate(sorted(self.documents, key=lambda d: d["timestamp"])):
            timestamp = datetime.datetime.fromisoformat(document["timestamp"])
            stored = max(timestamp, self.moment - datetime.timedelta(days=60)) + datetime.timedelta(seconds=index % 50)
            stored = min(stored + datetime.timedelta(minutes=5), self.moment)
            document = {**document, "stored": stored.isoformat().replace("+00:00", "Z"), "authority": self.authority}
            rows.append(
                Statement(
                    workspace=self.workspace,
                    connection=self.connection,
                    statement_id=document["id"],
                    document=document,
                    verb=document["verb"]["id"],
                    activity=document["object"]["id"],
                    actor_key=actor_key(document["actor"]),
                    timestamp=timestamp,
                    stored=stored,
                )
            )
        Statement.objects.bulk_create(rows, batch_size=500)
        return list(Statement.objects.filter(workspace=self.workspace).values_list("pk", flat=True))


# Imports ------------------------------------------------------------------------------------------------


def _import(cohort: Cohort, admin: Person, *, name: str, kind: str, filename: str, table: list[list[str]]) -> int:
    """Import ``table`` (a header and rows, as a spreadsheet export holds them) for the cohort the
    way the import pages do: columns guessed, saved as a source, previewed, written all or nothing.
    Returns how many records it added."""
    header, *rows = table
    upload = Upload(filename=filename, header=header, records=[(line, row, set()) for line, row in enumerate(rows, 2)])
    columns = guess_columns(header, kind)
    source = save_source(
        workspace=cohort.workspace, actor=admin.user, name=name, kind=kind, columns=titles_of(header, columns)
    )
    preview = preview_import(cohort=cohort, kind=kind, upload=upload, columns=columns)
    return import_activity(preview=preview, upload=upload, columns=columns, actor=admin.user, source=source).records


def _attendance_register(people: list[Learner], cohort: Cohort, modules: list[Module], rng, today) -> list[list[str]]:
    """The classroom days' register: one mark per person per module taught so far."""
    table = [["E-mail", "Module", "Date", "Present"]]
    days = (cohort.ends_on - cohort.starts_on).days + 1
    for index, module in enumerate(modules):
        day = cohort.starts_on + datetime.timedelta(days=index * days // len(modules))
        if day >= today:
            break
        for person in people:
            present = rng.random() < (0.3 if person.fading and day >= today - datetime.timedelta(days=14) else 0.98)
            table.append([person.email, module.title, day.isoformat(), "yes" if present else "no"])
    return table


def _evaluations(people: list[Learner], cohort: Cohort, rng, today) -> list[list[str]]:
    """The shift leaders' evaluation form, every two weeks, rated 1–5."""
    table = [["E-mail", "Date", "Rating", "Scale maximum"]]
    day = cohort.starts_on + datetime.timedelta(days=13)
    while day < today and day <= cohort.ends_on + datetime.timedelta(days=14):
        for person in people:
            rating = rng.choice((2, 3)) if person.fading else rng.choice((3, 4, 4, 5))
            table.append([person.email, day.isoformat(), str(rating), "5"])
        day += datetime.timedelta(days=14)
    return table


# The builder -----------------------------------------------------------------------------------------------


def _people(cohort: Cohort, *, fading: int) -> list[Learner]:
    """The cohort's participants; the ``fading`` ones are those whose plans went quiet longest."""
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person__user")
        .order_by("pk")
    )
    last = dict(
        ActionPlan.objects.filter(enrolment__in=enrolments)
        .annotate(last=Max("check_ins__created_at"))
        .values_list("enrolment_id", "last")
    )
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    quiet = sorted(
        (e for e in enrolments if e.person.user.email != LOGIN_EMAILS["participant"]),
        key=lambda e: (last.get(e.pk) or never, e.pk),
    )
    fading_ids = {e.pk for e in quiet[:fading]}
    return [Learner(e, e.person.user.email.lower(), e.person.user.name, e.pk in fading_ids) for e in enrolments]


def _gone_quiet(learner: Learner, cohort: Cohort) -> None:
    """Give a fading participant an action plan whose only check-in was in the first days, so
    the check-ins they have missed since show (a plan the plans demo gave them stays as it is)."""
    plan = ActionPlan.objects.filter(enrolment=learner.enrolment).first()
    if plan is None:
        plan = plans.open_plan(enrolment=learner.enrolment, actor=None)
        plans.add_goal(
            plan=plan,
            actor=None,
            kind=GoalKind.NUMERIC,
            title="Fewer repeat contacts on my desk",
            metric="Repeat contacts within 7 days",
            unit="%",
            baseline=Decimal(19),
            target=Decimal(13),
        )
        plans.submit_plan(plan=plan, actor=None)
    if plan.state in (PlanState.SUBMITTED, PlanState.APPROVED) and not plan.check_ins.exists():
        first = datetime.datetime.combine(
            cohort.starts_on + datetime.timedelta(days=2), datetime.time(15), datetime.UTC
        )
        goals = {goal: Decimal(18) for goal in plan.goals.filter(kind=GoalKind.NUMERIC)}
        plans.record_check_in(
            plan=plan,
            actor=None,
            author=learner.enrolment.person,
            status=CheckInStatus.ON_TRACK,
            confidence=3,
            values=goals,
            created_at=first,
        )


def build_tracking_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Give Nordwind's customer-conversations programme its LMS data, imports, backfilled records,
    at-risk flags, findings and a design change. Returns what it made; other workspaces get nothing."""
    counts = Counter(dict.fromkeys(COUNTED, 0))
    admin = Person.objects.filter(workspace=workspace, user__email=LOGIN_EMAILS["admin"]).select_related("user").first()
    cohorts = list(
        Cohort.objects.filter(
            workspace=workspace, programme__name=CUSTOMER_CONVERSATIONS.name, starts_on__lte=today
        ).order_by("-starts_on")
    )
    if workspace.slug != DEMO_SLUGS[0] or admin is None or len(cohorts) < 2:
        return dict(counts)
    running, previous = cohorts[0], cohorts[1]
    modules = list(Module.objects.filter(programme_id=running.programme_id).order_by("position", "pk"))
    connection, _secret = create_connection(workspace=workspace, actor=admin.user, name="Moodle")
    for index, module in enumerate(modules):
        for kind in KINDS:
            ActivityMapping.objects.create(workspace=workspace, activity=_activity_id(kind, index), module=module)

    builder = _Builder(workspace, rng, today, connection)
    now_people = _people(running, fading=AT_RISK)
    for learner in now_people:
        if learner.fading:
            _gone_quiet(learner, running)
    before_people = _people(previous, fading=0)
    builder.cohort(running, now_people, modules, hard=HARD["running"], presence=0.85)
    builder.cohort(previous, before_people, modules, hard=HARD["previous"], presence=0.48)
    counts["unmatched"] = builder.unmatched(modules, now_people[0])
    statement_ids = builder.store()
    counts["statements"] = len(statement_ids)
    process_statements(workspace, statement_ids)

    for cohort, people in ((running, now_people), (previous, before_people)):
        register = _attendance_register(people, cohort, modules, rng, today)
        _import(
            cohort,
            admin,
            name="Classroom attendance register",
            kind=ImportKind.ATTENDANCE,
            filename=f"attendance-{cohort.starts_on:%Y-%m}.xlsx",
            table=register,
        )
        _import(
            cohort,
            admin,
            name="Shift leaders' evaluation form",
            kind=ImportKind.SUPERVISOR_EVALUATION,
            filename=f"evaluations-{cohort.starts_on:%Y-%m}.csv",
            table=_evaluations(people, cohort, rng, today),
        )
        counts["imports"] += 2
    backfill(workspace, now=builder.moment)
    counts.update(_conclusions(workspace, admin, running, previous, modules, builder.moment))
    counts["records"] = ActivityRecord.objects.filter(workspace=workspace).count()
    return dict(counts)


def _conclusions(workspace, admin, running, previous, modules, now) -> dict:
    """The at-risk rules and the problem finder, and the change made after the previous cohort."""
    evaluate_workspace(workspace, now=now)
    find_problems(workspace, now=now)
    finding = Finding.objects.filter(
        workspace=workspace, cohort=previous, module=modules[HARD["previous"].module], kind=FindingKind.LOW_KNOWLEDGE
    ).first()
    if finding is not None:
        record_design_change(
            programme=running.programme, person=admin, description=CHANGE, finding=finding, after_cohort=running
        )
    return {
        "flags": AtRiskFlag.objects.filter(workspace=workspace).count(),
        "findings": Finding.objects.filter(workspace=workspace).count(),
        "design changes": DesignChange.objects.filter(workspace=workspace).count(),
    }
