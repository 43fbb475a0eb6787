"""Recording facts keeps the weekly rollups equal to the records behind them."""

from django.db.models import Count, Sum

from takeroot.tracking.enums import Input, Origin
from takeroot.tracking.models import ActivityRecord, CohortRollup, Rollup
from takeroot.tracking.recording import Fact, record, unrecord, week_of
from tests.course_support import DAY, NOW


def _fact(enrolment, module=None, *, input=Input.TIME_ONLINE, value=30.0, at=NOW, key=None):
    return Fact(
        cohort_id=enrolment.cohort_id,
        enrolment_id=enrolment.pk,
        module_id=module.pk if module else None,
        input=input,
        value=value,
        occurred_at=at,
        origin=Origin.TAKEROOT,
        key=key,
    )


def _rollups(enrolment):
    return {(r.module_id, r.input, r.week): (r.total, r.count) for r in Rollup.objects.filter(enrolment=enrolment)}


def test_facts_add_up_per_enrolment_module_input_and_week(enrolment, modules):
    workspace = enrolment.workspace
    record(workspace, [_fact(enrolment), _fact(enrolment, value=15), _fact(enrolment, modules[0], value=10)])
    record(workspace, [_fact(enrolment, at=NOW + 7 * DAY, value=5)])

    assert _rollups(enrolment) == {
        (None, Input.TIME_ONLINE, week_of(NOW)): (45.0, 2),
        (modules[0].pk, Input.TIME_ONLINE, week_of(NOW)): (10.0, 1),
        (None, Input.TIME_ONLINE, week_of(NOW + 7 * DAY)): (5.0, 1),
    }


def test_a_keyed_fact_is_recorded_once_and_can_be_replaced(enrolment):
    workspace = enrolment.workspace
    assert record(workspace, [_fact(enrolment, input=Input.ATTENDANCE, value=1, key="attendance:1")]) == 1
    assert record(workspace, [_fact(enrolment, input=Input.ATTENDANCE, value=1, key="attendance:1")]) == 0
    record(workspace, [_fact(enrolment, input=Input.ATTENDANCE, value=0, key="attendance:1")], replace=True)

    assert _rollups(enrolment) == {(None, Input.ATTENDANCE, week_of(NOW)): (0.0, 1)}
    assert ActivityRecord.objects.filter(enrolment=enrolment).count() == 1


def test_unrecording_takes_the_values_out_and_drops_empty_rollups(enrolment):
    workspace = enrolment.workspace
    record(workspace, [_fact(enrolment, value=20), _fact(enrolment, value=40, key="k")])
    unrecord(workspace, ActivityRecord.objects.filter(key="k"))
    assert _rollups(enrolment) == {(None, Input.TIME_ONLINE, week_of(NOW)): (20.0, 1)}

    unrecord(workspace, ActivityRecord.objects.filter(enrolment=enrolment))
    assert _rollups(enrolment) == {}
    totals = ActivityRecord.objects.aggregate(n=Count("pk"), s=Sum("value"))
    assert totals == {"n": 0, "s": None}


# The cohort rollups ------------------------------------------------------------------------------


def _cohort_rollups(cohort_id):
    return {
        (r.module_id, r.input, r.week): (r.total, r.count) for r in CohortRollup.objects.filter(cohort_id=cohort_id)
    }


def _summed_records(cohort_id):
    """What the cohort rollups must hold: the records summed per module, input and week."""
    sums = {}
    for module_id, input, occurred_at, value in ActivityRecord.objects.filter(cohort_id=cohort_id).values_list(
        "module_id", "input", "occurred_at", "value"
    ):
        total, count = sums.get((module_id, input, week_of(occurred_at)), (0.0, 0))
        sums[(module_id, input, week_of(occurred_at))] = (total + value, count + 1)
    return sums


def test_cohort_rollups_sum_every_persons_facts_and_the_cohort_only_ones(enrolment, other_enrolment, modules):
    workspace = enrolment.workspace
    survey = Fact(
        cohort_id=enrolment.cohort_id,
        enrolment_id=None,
        module_id=None,
        input=Input.USEFULNESS,
        value=4.0,
        occurred_at=NOW,
        origin=Origin.TAKEROOT,
    )
    record(
        workspace,
        [
            _fact(enrolment, value=30),
            _fact(other_enrolment, value=15),
            _fact(enrolment, modules[0], value=10),
            _fact(other_enrolment, modules[0], value=5, at=NOW + 7 * DAY),
            survey,
        ],
    )

    assert _cohort_rollups(enrolment.cohort_id) == {
        (None, Input.TIME_ONLINE, week_of(NOW)): (45.0, 2),
        (modules[0].pk, Input.TIME_ONLINE, week_of(NOW)): (10.0, 1),
        (modules[0].pk, Input.TIME_ONLINE, week_of(NOW + 7 * DAY)): (5.0, 1),
        (None, Input.USEFULNESS, week_of(NOW)): (4.0, 1),
    }
    assert _cohort_rollups(enrolment.cohort_id) == _summed_records(enrolment.cohort_id)


def test_cohort_rollups_follow_replacing_and_unrecording(enrolment, other_enrolment, modules):
    workspace = enrolment.workspace
    record(
        workspace,
        [
            _fact(enrolment, input=Input.ATTENDANCE, value=1, key="attendance:1"),
            _fact(other_enrolment, input=Input.ATTENDANCE, value=1, key="attendance:2"),
            _fact(enrolment, modules[1], value=20, key="k"),
            _fact(other_enrolment, modules[1], value=40),
        ],
    )
    record(workspace, [_fact(enrolment, input=Input.ATTENDANCE, value=0, key="attendance:1")], replace=True)
    assert _cohort_rollups(enrolment.cohort_id) == _summed_records(enrolment.cohort_id)
    assert _cohort_rollups(enrolment.cohort_id)[(None, Input.ATTENDANCE, week_of(NOW))] == (1.0, 2)

    unrecord(workspace, ActivityRecord.objects.filter(key="k"))
    assert _cohort_rollups(enrolment.cohort_id) == _summed_records(enrolment.cohort_id)
    assert _cohort_rollups(enrolment.cohort_id)[(modules[1].pk, Input.TIME_ONLINE, week_of(NOW))] == (40.0, 1)

    unrecord(workspace, ActivityRecord.objects.filter(cohort_id=enrolment.cohort_id))
    assert _cohort_rollups(enrolment.cohort_id) == {}


def test_cohort_rollups_equal_the_per_person_rollups_summed(enrolment, other_enrolment, modules):
    workspace = enrolment.workspace
    record(
        workspace,
        [
            _fact(person, module, input=input, value=value, at=NOW + weeks * 7 * DAY)
            for person in (enrolment, other_enrolment)
            for module in (None, *modules)
            for input, value in ((Input.TIME_ONLINE, 12.5), (Input.QUIZ_SCORE, 0.75))
            for weeks in (0, 1)
        ],
    )
    per_person = {}
    for r in Rollup.objects.filter(cohort_id=enrolment.cohort_id):
        total, count = per_person.get((r.module_id, r.input, r.week), (0.0, 0))
        per_person[(r.module_id, r.input, r.week)] = (total + r.total, count + r.count)

    assert _cohort_rollups(enrolment.cohort_id) == per_person
