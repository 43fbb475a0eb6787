"""The scheduler: which touchpoints a programme's follow-up design plans for an enrolment and when
they are due (``plan_enrolment``, pure).

How a due time is found, for one step, one recipient and one occurrence:

1. **Recipients** by audience: participant → the enrolled person; manager → the enrolment's
   line manager, else the person's current one; mentor → the enrolment's mentor, else every mentor
   of the cohort; trainer → every trainer of the cohort; buddy → the action plan's buddy. Nobody
   there → nothing is planned.
2. **Anchor day**: the cohort's start or end date, or the recipient's local date of the first or
   last session that is not cancelled (no session: the start, respectively the end). Plus
   ``offset_days``. Check-in reminders and quiz rounds repeat from that day every
   ``repeat_every_days`` (empty: the plan's cadence, no plan: 7 days) for ``repeat_for_days``
   (empty: until the latest goal deadline of the plan, no deadline: 84 days), at most 52 times.
3. **Holds** (the recipient's, not cancelled) stop the recipient's follow-up clock: taking holds in
   order of their start, a day on or after a hold's start moves by the hold's length
   (``ends_on - starts_on + 1`` days). Everything after a hold's start moves by the same amount,
   so the spacing between touchpoints is kept, and nothing lands inside the hold.
4. **Local time**: that day at the step's ``send_at`` on the recipient's wall clock
   (``user.timezone``), built as a local wall time so daylight-saving changes keep 09:00 at 09:00.
   A wall time that does not exist (the hour skipped in spring) reads with the offset before the
   change, i.e. one hour later on the clock.
5. **Delivery settings** of the workspace (the model's defaults when there is no row): a time in
   the quiet hours moves to their end (the next morning when the quiet hours wrap midnight); then a
   day that is not a working day or is a holiday moves to the next working day, same time. Should
   that land inside a hold (a Friday touchpoint moved to a Monday a hold starts on), it moves to
   the day after the hold and the settings apply again.
6. Stored as an aware UTC datetime. Conditions (``stop_when_plan_done`` and the others) are
   evaluated when the touchpoint is sent, not here.

Writing the plan to the table is ``materialise``'s job (``materialise.py``).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Max, Min
from django.utils.translation import gettext_noop

from takeroot.core.models import Person
from takeroot.plans.models import ActionPlan
from takeroot.programmes.models import Cohort, Enrolment, Session

from .enums import REPEATING_KINDS, Anchor, Audience
from .models import DeliverySettings, Hold, Step

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
DEFAULT_CADENCE_DAYS = 7
DEFAULT_REPEAT_DAYS = 84
MAX_OCCURRENCES = 52
IDS_PER_QUERY = 5000

REASON_WITHDRAWN = gettext_noop("Withdrawn from the cohort")
REASON_UNPLANNED = gettext_noop("No longer planned")
SCHEDULER_REASONS = (REASON_WITHDRAWN, REASON_UNPLANNED)


@dataclass(frozen=True)
class Planned:
    step: Step
    recipient: Person
    occurrence: int
    due_at: datetime.datetime  # aware, UTC


@cache
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zone_of(person: Person) -> ZoneInfo:
    """The time zone a person's follow-up is planned in (UTC when theirs is unknown)."""
    return _zone(person.user.timezone)


@dataclass(frozen=True)
class DeliveryRules:
    """A workspace's working days, holidays and quiet hours, as the scheduler applies them."""

    working_days: frozenset[int]
    holidays: frozenset[datetime.date]
    quiet_start: datetime.time
    quiet_end: datetime.time

    @classmethod
    def of(cls, settings: DeliverySettings | None) -> "DeliveryRules":
        settings = settings or DeliverySettings()  # the defaults, without writing a row
        holidays = set()
        for value in settings.holidays or []:
            try:
                holidays.add(datetime.date.fromisoformat(str(value)))
            except ValueError:
                continue  # a malformed entry is no holiday rather than a failed schedule
        days = frozenset(int(day) for day in settings.working_days or [] if str(day).isdigit() and int(day) < 7)
        return cls(
            working_days=days or frozenset(range(7)),  # no working day at all would never send
            holidays=frozenset(holidays),
            quiet_start=settings.quiet_start,
            quiet_end=settings.quiet_end,
        )

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() in self.working_days and day not in self.holidays

    def out_of_quiet_hours(self, wall: datetime.datetime) -> datetime.datetime:
        start, end, time = self.quiet_start, self.quiet_end, wall.time()
        if start == end:
            return wall
        if start < end:
            return datetime.datetime.combine(wall.date(), end) if start <= time < end else wall
        if time >= start:  # quiet hours wrap midnight: the evening part waits for the next morning
            return datetime.datetime.combine(wall.date() + DAY, end)
        return datetime.datetime.combine(wall.date(), end) if time < end else wall

    def adjust(self, wall: datetime.datetime) -> datetime.datetime:
        """A naive local wall time moved out of the quiet hours, then to a working day."""
        wall = self.out_of_quiet_hours(wall)
        day = wall.date()
        for _ in range(400):  # holidays cannot cover more than a year plus a week
            if self.is_working_day(day):
                break
            day += DAY
        return datetime.datetime.combine(day, wall.time())


def shift_for_holds(day: datetime.date, holds: list[tuple[datetime.date, datetime.date]]) -> datetime.date:
    """``day`` after the recipient's follow-up clock stopped for ``holds`` (sorted by start)."""
    for starts_on, ends_on in holds:
        if day >= starts_on:
            day += ends_on - starts_on + DAY
    return day


def due_time(
    day: datetime.date,
    send_at: datetime.time,
    zone: ZoneInfo,
    rules: DeliveryRules,
    holds: list[tuple[datetime.date, datetime.date]] = (),
) -> datetime.datetime:
    """The UTC due time for a planned local ``day`` at ``send_at`` in ``zone`` (rules 3–6 above)."""
    holds = list(holds)
    wall = rules.adjust(datetime.datetime.combine(shift_for_holds(day, holds), send_at))
    for _ in range(len(holds)):
        inside = next((hold for hold in holds if hold[0] <= wall.date() <= hold[1]), None)
        if inside is None:
            break
        wall = rules.adjust(datetime.datetime.combine(inside[1] + DAY, send_at))
    return wall.replace(tzinfo=zone).astimezone(UTC)


@dataclass
class _CohortFacts:
    workspace_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    first_session: datetime.datetime | None
    last_session: datetime.datetime | None
    trainer_ids: list[int]
    mentor_ids: list[int]
    steps: list[Step]

    def anchor_day(self, anchor: str, zone: ZoneInfo) -> datetime.date:
        if anchor == Anchor.FIRST_SESSION and self.first_session is not None:
            return self.first_session.astimezone(zone).date()
        if anchor == Anchor.LAST_SESSION and self.last_session is not None:
            return self.last_session.astimezone(zone).date()
        if anchor in (Anchor.START, Anchor.FIRST_SESSION):
            return self.starts_on
        return self.ends_on


@dataclass
class _PlanFacts:
    cadence_days: int
    buddy_id: int | None
    last_deadline: datetime.date | None


def chunks(ids: Iterable[int], size: int = IDS_PER_QUERY):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class PlanningFacts:
    """Everything planning reads for a batch of enrolments, in a fixed number of queries."""

    def __init__(self, enrolments: list[Enrolment]):
        self.cohorts: dict[int, _CohortFacts] = {}
        self.plans: dict[int, _PlanFacts] = {}
        self.people: dict[int, Person] = {}
        self.holds: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
        self.rules: dict[int, DeliveryRules] = {}
        self._dues: dict[tuple, datetime.datetime] = {}
        if enrolments:
            self._gather(enrolments)

    def _gather(self, enrolments: list[Enrolment]) -> None:
        cohort_ids = {enrolment.cohort_id for enrolment in enrolments}
        cohorts = {cohort.pk: cohort for cohort in Cohort.objects.filter(pk__in=cohort_ids)}
        for enrolment in enrolments:  # an unsaved example cohort (a preview) plans from itself
            if enrolment.cohort_id is None and Enrolment.cohort.is_cached(enrolment):
                cohorts[None] = enrolment.cohort
        steps: dict[int, list[Step]] = defaultdict(list)
        programme_ids = {cohort.programme_id for cohort in cohorts.values()}
        for step in Step.objects.filter(design__programme_id__in=programme_ids).select_related("design"):
            steps[step.design.programme_id].append(step)
        sessions = {
            row["cohort_id"]: row
            for row in Session.objects.filter(cohort_id__in=cohort_ids, cancelled=False)
            .values("cohort_id")
            .annotate(first=Min("starts_at"), last=Max("starts_at"))
        }
        trainers, mentors = defaultdict(list), defaultdict(list)
        for through, found in ((Cohort.trainers.through, trainers), (Cohort.mentors.through, mentors)):
            for cohort_id, person_id in through.objects.filter(cohort_id__in=cohort_ids).values_list(
                "cohort_id", "person_id"
            ):
                found[cohort_id].append(person_id)
        for pk, cohort in cohorts.items():
            session = sessions.get(pk, {})
            self.cohorts[pk] = _CohortFacts(
                workspace_id=cohort.workspace_id,
                starts_on=cohort.starts_on,
                ends_on=cohort.ends_on,
                first_session=session.get("first"),
                last_session=session.get("last"),
                trainer_ids=sorted(trainers[pk]),
                mentor_ids=sorted(mentors[pk]),
                steps=sorted(steps[cohort.programme_id], key=lambda step: (step.position, step.pk)),
            )

        enrolment_ids = [enrolment.pk for enrolment in enrolments if enrolment.pk]
        for chunk in chunks(enrolment_ids):
            rows = (
                ActionPlan.objects.filter(enrolment_id__in=chunk)
                .annotate(last_deadline=Max("goals__deadline"))
                .values_list("enrolment_id", "cadence_days", "buddy_id", "last_deadline")
            )
            for enrolment_id, cadence_days, buddy_id, last_deadline in rows:
                self.plans[enrolment_id] = _PlanFacts(cadence_days, buddy_id, last_deadline)

        wanted = {enrolment.person_id for enrolment in enrolments}
        wanted |= {enrolment.manager_id for enrolment in enrolments} | {e.mentor_id for e in enrolments}
        for facts in self.cohorts.values():
            wanted.update(facts.trainer_ids, facts.mentor_ids)
        wanted |= {plan.buddy_id for plan in self.plans.values()}
        self._load_people(wanted)
        # The person's current line manager stands in where the enrolment recorded none.
        self._load_people({self.people[e.person_id].manager_id for e in enrolments if e.person_id in self.people})

        for chunk in chunks(self.people):
            rows = Hold.objects.filter(person_id__in=chunk, cancelled_at__isnull=True).values_list(
                "person_id", "starts_on", "ends_on"
            )
            for person_id, starts_on, ends_on in rows:
                self.holds[person_id].append((starts_on, ends_on))
        for holds in self.holds.values():
            holds.sort()

        workspace_ids = {facts.workspace_id for facts in self.cohorts.values()}
        settings = {row.workspace_id: row for row in DeliverySettings.objects.filter(workspace_id__in=workspace_ids)}
        self.rules = {pk: DeliveryRules.of(settings.get(pk)) for pk in workspace_ids}

    def _load_people(self, ids: set) -> None:
        missing = [pk for pk in ids if pk is not None and pk not in self.people]
        for chunk in chunks(missing):
            for person in Person.objects.filter(pk__in=chunk).select_related("user"):
                self.people[person.pk] = person

    def recipients(self, audience: str, enrolment: Enrolment, cohort: _CohortFacts) -> list[Person]:
        person = self.people.get(enrolment.person_id)
        if audience == Audience.PARTICIPANT:
            ids = [enrolment.person_id]
        elif audience == Audience.MANAGER:
            ids = [enrolment.manager_id or (person.manager_id if person else None)]
        elif audience == Audience.MENTOR:
            ids = [enrolment.mentor_id] if enrolment.mentor_id else cohort.mentor_ids
        elif audience == Audience.TRAINER:
            ids = cohort.trainer_ids
        elif audience == Audience.BUDDY:
            plan = self.plans.get(enrolment.pk)
            ids = [plan.buddy_id if plan else None]
        else:
            ids = []
        found = {}
        for pk in ids:
            if pk is not None and pk in self.people:
                found.setdefault(pk, self.people[pk])
        return list(found.values())

    def days(self, step: Step, first: datetime.date, enrolment: Enrolment) -> list[datetime.date]:
        """The planned local day of each occurrence: one, or the repetitions of a check-in reminder
        or a quiz round."""
        if step.kind not in REPEATING_KINDS:
            return [first]
        plan = self.plans.get(enrolment.pk)
        every = step.repeat_every_days or (plan.cadence_days if plan else None) or DEFAULT_CADENCE_DAYS
        if step.repeat_for_days is not None:
            last = first + datetime.timedelta(days=step.repeat_for_days)
        elif plan and plan.last_deadline:
            last = plan.last_deadline
        else:
            last = first + datetime.timedelta(days=DEFAULT_REPEAT_DAYS)
        days = [first]
        while len(days) < MAX_OCCURRENCES and days[-1] + datetime.timedelta(days=every) <= last:
            days.append(days[-1] + datetime.timedelta(days=every))
        return days

    def due(self, day: datetime.date, step: Step, person: Person, rules: DeliveryRules, workspace_id: int):
        zone = _zone(person.user.timezone)
        holds = self.holds.get(person.pk)
        if holds:
            return due_time(day, step.send_at, zone, rules, holds)
        key = (workspace_id, zone.key, day, step.send_at)
        if key not in self._dues:  # most recipients share a zone and the days: compute once
            self._dues[key] = due_time(day, step.send_at, zone, rules)
        return self._dues[key]

    def plan(self, enrolment: Enrolment, steps: list[Step] | None = None) -> list[Planned]:
        cohort = self.cohorts.get(enrolment.cohort_id)
        if cohort is None:
            return []
        rules = self.rules.get(cohort.workspace_id) or DeliveryRules.of(None)
        planned = []
        for step in cohort.steps if steps is None else steps:
            for person in self.recipients(step.audience, enrolment, cohort):
                first = cohort.anchor_day(step.anchor, _zone(person.user.timezone))
                first += datetime.timedelta(days=step.offset_days)
                for occurrence, day in enumerate(self.days(step, first, enrolment)):
                    due = self.due(day, step, person, rules, cohort.workspace_id)
                    planned.append(Planned(step=step, recipient=person, occurrence=occurrence, due_at=due))
        return planned


def plan_enrolment(enrolment: Enrolment, *, steps: list[Step] | None = None) -> list[Planned]:
    """The touchpoints the enrolment's programme design plans for it, with their due times.

    ``steps`` replaces the design's steps (a preview of steps being edited; they may be unsaved).
    Reads only, writes nothing; call it inside the enrolment's workspace scope. Ordered by step
    (position), recipient and occurrence, not by time."""
    return PlanningFacts([enrolment]).plan(enrolment, steps)
