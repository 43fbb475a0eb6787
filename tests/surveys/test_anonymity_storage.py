"""What each anonymity mode stores, read straight from the database rows: named keeps the person,
confidential only the "has answered" flag apart from the answers, anonymous nothing at all; every
response keeps its rater group, team and the Monday of its week, never a time; no audit entry
names who answered a confidential or an anonymous survey."""

import datetime

import pytest
from django.db.models import DateTimeField

from takeroot.core.models import AuditEntry
from takeroot.surveys import responding
from takeroot.surveys.enums import Anonymity, RaterGroup
from takeroot.surveys.models import Ballot, Recipient, Response, SurveyAnswer

from .conftest import DAY, NOW, make_survey

# NOW is a Monday at 09:00; the answer comes in on the Wednesday of that week.
WEDNESDAY = NOW + 2 * DAY + datetime.timedelta(hours=6)


@pytest.fixture
def make(instrument, cohort, cast):
    def build(anonymity):
        survey = make_survey(instrument, cohort=cohort, anonymity=anonymity)
        for person in (cast["participant"], cast["other_participant"]):
            Recipient.objects.create(workspace=survey.workspace, survey=survey, person=person, invited_at=NOW)
        return survey

    return build


def answers_for(survey):
    questions = {q.position: str(q.uuid) for q in survey.instrument.questions.all()}
    return {questions[0]: 4, questions[1]: "9", questions[5]: "More role play, please."}


def row_of(response) -> dict:
    return {
        "person": response.person,
        "rater_group": response.rater_group,
        "team": response.team,
        "week": response.week,
    }


def test_response_rows_have_no_time_field():
    # The model itself has no place for a time: the week is all there is.
    assert [f.name for f in Response._meta.get_fields() if isinstance(f, DateTimeField)] == []
    assert [f.name for f in Ballot._meta.get_fields() if isinstance(f, DateTimeField)] == []


def test_named_keeps_the_person_and_the_flag(make, cast, team):
    survey = make(Anonymity.NAMED)
    participant = cast["participant"]

    responding.submit(survey=survey, person=participant, answers=answers_for(survey), now=WEDNESDAY)

    response = Response.objects.get()
    assert row_of(response) == {
        "person": participant,
        "rater_group": RaterGroup.PARTICIPANT,
        "team": team,
        "week": datetime.date(2026, 10, 5),
    }
    assert Recipient.objects.get(survey=survey, person=participant).has_answered is True
    assert Recipient.objects.get(survey=survey, person=cast["other_participant"]).has_answered is False
    stored = SurveyAnswer.objects.filter(response=response).order_by("question__position")
    assert [(a.question.position, a.number, a.text) for a in stored] == [
        (0, 4, ""),
        (1, 9, ""),
        (5, None, "More role play, please."),
    ]
    entry = AuditEntry.objects.get(object_uuid=response.uuid)
    assert entry.actor == participant.user


def test_confidential_keeps_only_the_flag_apart_from_the_answers(make, cast, team):
    survey = make(Anonymity.CONFIDENTIAL)
    participant = cast["participant"]
    audit_before = AuditEntry.objects.count()

    responding.submit(survey=survey, person=participant, answers=answers_for(survey), now=WEDNESDAY)

    response = Response.objects.get()
    assert row_of(response) == {
        "person": None,
        "rater_group": RaterGroup.PARTICIPANT,
        "team": team,
        "week": datetime.date(2026, 10, 5),
    }
    recipient = Recipient.objects.get(survey=survey, person=participant)
    assert (recipient.has_answered, recipient.ballot_issued) == (True, False)
    # Nothing written names the person next to the response, or records when they answered.
    assert AuditEntry.objects.count() == audit_before
    assert Ballot.objects.count() == 0


def test_anonymous_keeps_no_link_at_all(make, cast, team):
    survey = make(Anonymity.ANONYMOUS)
    participant = cast["participant"]
    audit_before = AuditEntry.objects.count()

    secret = responding.issue_ballot(survey, participant)
    responding.submit(survey=survey, person=participant, answers=answers_for(survey), ballot=secret, now=WEDNESDAY)

    response = Response.objects.get()
    assert row_of(response) == {
        "person": None,
        "rater_group": RaterGroup.PARTICIPANT,
        "team": team,
        "week": datetime.date(2026, 10, 5),
    }
    recipient = Recipient.objects.get(survey=survey, person=participant)
    assert (recipient.has_answered, recipient.ballot_issued) == (False, True)
    ballot = Ballot.objects.get()
    # Only the digest of the secret, used, on a row without a person.
    assert (ballot.survey, ballot.used, ballot.digest) == (survey, True, responding.digest_of(secret))
    assert secret not in ballot.digest and len(secret) >= 43
    assert {f.name for f in Ballot._meta.concrete_fields} == {"id", "workspace", "uuid", "survey", "digest", "used"}
    assert AuditEntry.objects.count() == audit_before


def test_the_team_is_the_one_at_the_moment_of_answering(make, cast, team):
    survey = make(Anonymity.CONFIDENTIAL)
    participant = cast["participant"]
    responding.submit(survey=survey, person=participant, answers=answers_for(survey), now=WEDNESDAY)

    participant.team = None
    participant.save()

    assert Response.objects.get().team == team


def test_rater_group_comes_from_the_recipient(make, cast):
    survey = make(Anonymity.CONFIDENTIAL)
    Recipient.objects.filter(survey=survey, person=cast["participant"]).update(rater_group=RaterGroup.PEER)

    responding.submit(survey=survey, person=cast["participant"], answers=answers_for(survey), now=WEDNESDAY)

    assert Response.objects.get().rater_group == RaterGroup.PEER


@pytest.mark.parametrize("anonymity", [Anonymity.NAMED, Anonymity.CONFIDENTIAL, Anonymity.ANONYMOUS])
def test_a_refused_answer_stores_nothing(make, cast, anonymity):
    survey = make(anonymity)
    participant = cast["participant"]
    secret = responding.issue_ballot(survey, participant) if anonymity == Anonymity.ANONYMOUS else None
    bad = answers_for(survey) | {str(survey.instrument.questions.get(position=0).uuid): 9}

    with pytest.raises(Exception, match="Choose a point from 1 to 5"):
        responding.submit(survey=survey, person=participant, answers=bad, ballot=secret, now=WEDNESDAY)

    assert (Response.objects.count(), SurveyAnswer.objects.count()) == (0, 0)
    recipient = Recipient.objects.get(survey=survey, person=participant)
    assert recipient.has_answered is False
    assert Ballot.objects.filter(used=True).count() == 0
