"""The problem finder: a finding for each kind of problem, no duplicates on a second run (figures
updated, state kept), dismissing with a reason, design changes with the next cohort's figure
beside the previous one's, and who may see and change findings on the page and the API."""

import datetime

import pytest

from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment
from takeroot.surveys.enums import SurveyState
from takeroot.tickets import services as tickets
from takeroot.tracking import services
from takeroot.tracking.enums import FindingKind, FindingState, Input, Origin
from takeroot.tracking.findings import compare, find_problems
from takeroot.tracking.models import Finding
from takeroot.tracking.recording import Fact, record
from tests.course_support import DAY, NOW
from tests.factories import PersonFactory, UserFactory
from tests.surveys.conftest import add_response, instrument, make_survey  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def third(workspace, cohort, cast):
    person = PersonFactory(workspace=workspace, user=UserFactory(email="third@acme.test", name="Third"))
    programmes.enrol_people(cohort=cohort, actor=cast["admin"].user, people=[person])
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    return Enrolment.objects.get(cohort=cohort, person=person)


def scores(cohort, module, input, values_per_person):
    facts = [
        Fact(cohort.pk, enrolment.pk, module.pk, input, value, NOW - 10 * DAY, Origin.TAKEROOT)
        for enrolment in Enrolment.objects.filter(cohort=cohort)
        for value in values_per_person
    ]
    record(cohort.workspace, facts)


def test_low_knowledge_in_a_module_is_found_once_and_updated(cohort, modules, third):
    scores(cohort, modules[1], Input.QUIZ_SCORE, [0.5, 0.5, 0.6, 0.5])
    scores(cohort, modules[0], Input.QUIZ_SCORE, [0.9, 0.8, 0.9, 0.9])
    (finding,) = find_problems(cohort.workspace, now=NOW)
    assert (finding.kind, finding.cohort, finding.module, finding.value, finding.target, finding.count) == (
        FindingKind.LOW_KNOWLEDGE,
        cohort,
        modules[1],
        0.525,
        0.7,
        3,
    )
    services.dismiss_finding(finding=finding, person=None, reason="The quiz was broken that week")
    scores(cohort, modules[1], Input.QUIZ_SCORE, [0.2])
    find_problems(cohort.workspace, now=NOW + DAY)
    finding = Finding.objects.get()
    assert (finding.value, finding.state, finding.updated_at) == (0.46, FindingState.DISMISSED, NOW + DAY)
    assert finding.dismissed_reason == "The quiz was broken that week"


def test_too_few_answers_or_people_is_no_finding(cohort, modules):
    scores(cohort, modules[1], Input.QUIZ_SCORE, [0.1] * 8)  # two people only
    assert find_problems(cohort.workspace, now=NOW) == []


def test_few_complete_the_practice_tasks(cohort, modules, third):
    scores(cohort, modules[0], Input.PRACTICE_COMPLETION, [1, 0, 0, 1])
    (finding,) = find_problems(cohort.workspace, now=NOW)
    assert (finding.kind, finding.value, finding.module) == (FindingKind.FEW_PRACTICE, 0.5, modules[0])


def test_many_tickets_about_a_module_and_a_category(cohort, modules, enrolment, other_enrolment, cast):
    for person, enrolled in ((cast["participant"], enrolment), (cast["other_participant"], other_enrolment)):
        for subject in ("Price objections", "Silence"):
            tickets.raise_ticket(
                person=person, category="content", subject=subject, body="?", enrolment=enrolled, module=modules[1]
            )
    found = {(f.kind, f.subject): f for f in find_problems(cohort.workspace, now=NOW)}
    assert set(found) == {(FindingKind.MANY_TICKETS_MODULE, ""), (FindingKind.MANY_TICKETS_CATEGORY, "content")}
    module = found[(FindingKind.MANY_TICKETS_MODULE, "")]
    assert (module.module, module.value, module.count) == (modules[1], 2.0, 4)
    find_problems(cohort.workspace, now=NOW)
    assert Finding.objects.count() == 2


def test_a_survey_item_below_target(cohort, instrument, cast):  # noqa: F811
    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED, closed_at=NOW)
    for useful in (2, 3, 3, 4, 2):
        add_response(survey, {0: useful, 1: 9, 4: [5, 4]})
    (finding,) = find_problems(cohort.workspace, now=NOW)
    assert (finding.kind, finding.subject, finding.value, finding.target, finding.count) == (
        FindingKind.SURVEY_BELOW_TARGET,
        "The training was useful for my work.",
        2.8,
        3.5,
        5,
    )


def test_a_design_change_compares_the_next_cohort_with_the_previous(cohort, modules, third, cast):
    scores(cohort, modules[1], Input.QUIZ_SCORE, [0.5, 0.5, 0.6, 0.5])
    (finding,) = find_problems(cohort.workspace, now=NOW)
    spring = programmes.create_cohort(
        programme=cohort.programme,
        actor=cast["admin"].user,
        name="Kraków autumn",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 11, 30),
    )
    change = services.record_design_change(
        programme=cohort.programme,
        person=cast["trainer"],
        description="Added a hands-on case workshop to module 2",
        finding=finding,
        after_cohort=spring,
    )
    finding.refresh_from_db()
    assert (finding.state, change.module, change.before_cohort) == (FindingState.CHANGED, modules[1], cohort)
    comparison = compare(change)
    assert (comparison.before_text, comparison.before_count, comparison.after_text) == (
        "52 %",
        "3 people",
        "no data yet",
    )
    programmes.enrol_people(cohort=spring, actor=cast["admin"].user, people=[cast["participant"]])
    autumn_enrolment = Enrolment.objects.get(cohort=spring)
    record(
        cohort.workspace,
        [Fact(spring.pk, autumn_enrolment.pk, modules[1].pk, Input.QUIZ_SCORE, 0.74, NOW, Origin.TAKEROOT)],
    )
    assert compare(change).after_text == "74 %"


def test_a_design_change_is_refused_with_bad_input(cohort, modules, cast, programme):
    with pytest.raises(services.ValidationError) as caught:
        services.record_design_change(
            programme=programme, person=None, description=" ", before_cohort=cohort, after_cohort=cohort
        )
    assert caught.value.message_dict == {
        "description": ["Say what changed."],
        "after_cohort": ["The first cohort with the change must be another cohort."],
    }


# Pages and API ---------------------------------------------------------------------------------------


@pytest.fixture
def finding(cohort, modules, third):
    scores(cohort, modules[1], Input.QUIZ_SCORE, [0.5, 0.5, 0.6, 0.5])
    return find_problems(cohort.workspace, now=NOW)[0]


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("trainer", 200), ("mentor", 403), ("participant", 403), ("outsider", 404)],
)
def test_who_sees_the_findings_page_and_api(client_for, cast, finding, programme, who, status):
    client = client_for(cast[who])
    assert client.get(f"/tracking/programmes/{programme.uuid}/findings/").status_code == status
    assert client.get(f"/api/v1/tracking/findings?programme={programme.uuid}").status_code == status


def test_the_page_records_a_change_and_dismisses(client_for, cast, finding, programme, modules):
    client = client_for(cast["trainer"])
    page = client.get(f"/tracking/programmes/{programme.uuid}/findings/").content.decode()
    assert "Low knowledge scores in a module: Handling objections" in page and "52 %" in page
    bad = client.post(f"/tracking/programmes/{programme.uuid}/design-changes/", {"finding": finding.pk})
    assert bad.status_code == 400 and "This field is required." in bad.content.decode()
    made = client.post(
        f"/tracking/programmes/{programme.uuid}/design-changes/",
        {"finding": finding.pk, "description": "Role-play on objections"},
    )
    assert made.status_code == 302
    page = client.get(f"/tracking/programmes/{programme.uuid}/findings/").content.decode()
    assert "Role-play on objections" in page and "no data yet" in page
    refused = client.post(f"/tracking/findings/{finding.uuid}/dismiss/", {f"{finding.uuid}-reason": "x"})
    assert refused.status_code == 302
    assert "Only open findings can be dismissed." in client.get(refused.url).content.decode()
    assert client_for(cast["outsider"]).post(f"/tracking/findings/{finding.uuid}/dismiss/").status_code == 404


def test_the_api_dismisses_and_records_changes(client_for, cast, finding, programme, cohort):
    client = client_for(cast["admin"])
    assert client.post(f"/api/v1/tracking/findings/{finding.uuid}/dismiss", {"reason": " "}, content_type=JSON).json()[
        "errors"
    ] == {"reason": ["Say why the finding is dismissed."]}
    created = client.post(
        f"/api/v1/tracking/programmes/{programme.uuid}/design-changes",
        {"description": "Workshop", "finding": str(finding.uuid)},
        content_type=JSON,
    )
    assert created.status_code == 201
    assert created.json()["before"] == {"value": 0.525, "count": 3}
    assert created.json()["after"] is None
    listed = client.get(f"/api/v1/tracking/findings?programme={programme.uuid}&state=changed").json()
    assert [item["id"] for item in listed["items"]] == [str(finding.uuid)]
    assert (
        client_for(cast["mentor"])
        .post(f"/api/v1/tracking/programmes/{programme.uuid}/design-changes", {"description": "x"}, content_type=JSON)
        .status_code
        == 403
    )
