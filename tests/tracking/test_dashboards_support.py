"""What the dashboard tests share: a month of the Kraków cohort's activity recorded through
``recording.record``, an open flag, a finding, and helpers to write more.

In September 2026 (the cohort's whole run) the participant attended 3 of 4 sessions (75 %, amber)
and scored 50 % in module 1's quiz (red); the other participant attended 2 of 2 (100 %) and scored
90 %. The cohort attended 5 of 6 (83 %, green) with a quiz accuracy of 70 % (green: the threshold).
"""

import datetime

from django.utils import timezone

from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment
from takeroot.tracking.enums import FindingKind, FlagState, Input, Origin, RiskReason
from takeroot.tracking.models import AtRiskFlag, Finding
from takeroot.tracking.recording import Fact, record
from tests.factories import PersonFactory, UserFactory

SEPTEMBER = datetime.datetime(2026, 9, 7, 9, 0, tzinfo=datetime.UTC)  # a Monday of the cohort
WEEK = datetime.timedelta(days=7)


def fact(enrolment, input, value, *, at=SEPTEMBER, module=None) -> Fact:
    return Fact(
        cohort_id=enrolment.cohort_id,
        enrolment_id=enrolment.pk,
        module_id=module.pk if module else None,
        input=input,
        value=value,
        occurred_at=at,
        origin=Origin.TAKEROOT,
    )


def record_month(enrolment, other_enrolment, modules) -> None:
    workspace = enrolment.workspace
    first = modules[0]
    record(
        workspace,
        [
            *(fact(enrolment, Input.ATTENDANCE, v, at=SEPTEMBER + n * WEEK) for n, v in enumerate((1, 1, 1, 0))),
            fact(enrolment, Input.QUIZ_SCORE, 0.5, module=first),
            fact(enrolment, Input.QUIZ_SCORE, 0.5, module=first),
            fact(enrolment, Input.TIME_ONLINE, 90, module=first),
            fact(other_enrolment, Input.ATTENDANCE, 1),
            fact(other_enrolment, Input.ATTENDANCE, 1, at=SEPTEMBER + WEEK),
            fact(other_enrolment, Input.QUIZ_SCORE, 0.9, module=first),
            fact(other_enrolment, Input.QUIZ_SCORE, 0.9, module=first),
        ],
    )


def flag(enrolment) -> AtRiskFlag:
    now = timezone.now()
    return AtRiskFlag.objects.create(
        workspace=enrolment.workspace,
        enrolment=enrolment,
        state=FlagState.OPEN,
        reasons=[{"reason": RiskReason.MISSED_CHECK_INS, "detail": {"missed": 2, "cadence_days": 7}}],
        raised_at=now,
        updated_at=now,
    )


def finding(cohort, module) -> Finding:
    now = timezone.now()
    return Finding.objects.create(
        workspace=cohort.workspace,
        programme=cohort.programme,
        cohort=cohort,
        module=module,
        kind=FindingKind.LOW_KNOWLEDGE,
        value=0.7,
        target=0.75,
        count=2,
        fingerprint=f"low_knowledge:{cohort.pk}:{module.pk}",
        found_at=now,
        updated_at=now,
    )


def enrol_more(cohort, admin, count: int, *, first: int = 0) -> list[Enrolment]:
    """``count`` more active participants (numbered from ``first``), each with a session attended
    and a quiz answer."""
    people = [
        PersonFactory(workspace=cohort.workspace, user=UserFactory(email=f"p{n}@acme.test", name=f"Person {n:03}"))
        for n in range(first, first + count)
    ]
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=people)
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    enrolments = list(Enrolment.objects.filter(cohort=cohort, person__in=people))
    record(
        cohort.workspace,
        [fact(e, Input.ATTENDANCE, 1) for e in enrolments] + [fact(e, Input.QUIZ_SCORE, 0.8) for e in enrolments],
    )
    return enrolments
