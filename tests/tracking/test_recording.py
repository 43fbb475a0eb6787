"""Recording facts keeps the weekly rollups equal to the records behind them."""

from django.db.models import Count, Sum

from takeroot.tracking.enums import Input, Origin
from takeroot.tracking.models import ActivityRecord, Rollup
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
