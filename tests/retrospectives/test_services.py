"""Opening, inviting, rating (validation, all or nothing), closing, indicators, and their audit."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from takeroot.core.mail import render_mail
from takeroot.core.models import AuditEntry, OutgoingMail
from takeroot.retrospectives import services
from takeroot.retrospectives.models import EffectIndicator, Rater, Rating, Retrospective
from takeroot.retrospectives.queries import (
    initiatives_in_period,
    leadership_group,
    participants_of,
    retrospectives_for_user,
    with_progress,
)

from .conftest import LEADERSHIP, PARTICIPANT, answer


def test_open_with_defaults_covers_the_last_two_years_and_its_initiatives(cast, initiatives):
    today = timezone.localdate()
    retrospective = services.open_retrospective(workspace=cast["admin"].workspace, actor=cast["admin"].user)
    assert (retrospective.period_start, retrospective.period_end) == services.default_period(today)
    assert retrospective.period_start.year == today.year - 2
    assert retrospective.title.startswith("What stuck and why")
    in_period = {i.pk for i in initiatives.values() if i.starts_on >= retrospective.period_start}
    assert set(retrospective.initiatives.values_list("pk", flat=True)) == in_period
    assert AuditEntry.objects.filter(object_type="retrospective", action="created").count() == 1


def test_default_period_on_29_february():
    assert services.default_period(datetime.date(2028, 2, 29)) == (
        datetime.date(2026, 2, 28),
        datetime.date(2028, 2, 29),
    )


def test_open_invites_each_rater_once_with_a_mail(cast, retrospective):
    assert sorted(retrospective.raters.values_list("person__user__email", "group")) == [
        ("manager@acme.test", LEADERSHIP),
        ("participant@acme.test", PARTICIPANT),
    ]
    queued = OutgoingMail.objects.filter(template="retrospective_invitation").order_by("to_email")
    assert [m.to_email for m in queued] == ["manager@acme.test", "participant@acme.test"]
    message = render_mail(queued[0])
    assert f"/retrospectives/{retrospective.uuid}/rate/" in message.body
    assert "What stuck 2025–2026" in message.subject
    assert "Anna Admin" in message.body and "Be honest." in message.body
    assert AuditEntry.objects.filter(object_type="rater", action="invited").count() == 2


@pytest.mark.parametrize(
    ("language", "greeting"), [("en", "Hello"), ("pl", "Witaj"), ("sv", "Hej"), ("zh-hans", "你好")]
)
def test_invitation_mail_is_rendered_in_the_raters_language(cast, retrospective, language, greeting):
    cast["participant"].user.language = language
    cast["participant"].user.save()
    queued = OutgoingMail.objects.get(template="retrospective_invitation", to_email="participant@acme.test")
    message = render_mail(queued)
    assert message.body.startswith(f"{greeting}")
    assert '<html lang="' + language + '">' in message.alternatives[0][0]


def test_inviting_again_adds_only_new_raters(cast, retrospective):
    before = OutgoingMail.objects.count()
    invited = services.invite_raters(
        retrospective=retrospective,
        actor=cast["admin"].user,
        people=[cast["manager"], cast["trainer"], cast["trainer"]],
        group=LEADERSHIP,
    )
    assert [r.person for r in invited] == [cast["trainer"]]
    assert OutgoingMail.objects.count() == before + 1


def test_invite_refuses_someone_of_another_workspace(cast, retrospective):
    with pytest.raises(ValidationError):
        services.invite_raters(retrospective=retrospective, actor=None, people=[cast["outsider"]])
    assert retrospective.raters.count() == 2


def test_reminders_go_to_raters_not_done(cast, retrospective, rater_of):
    services.submit_ratings(rater=rater_of(cast["manager"]))
    assert services.remind_raters(retrospective=retrospective, actor=cast["admin"].user) == 1
    assert list(OutgoingMail.objects.filter(template="retrospective_reminder").values_list("to_email", flat=True)) == [
        "participant@acme.test"
    ]


def test_save_ratings_saves_updates_and_deletes(cast, initiatives, rater_of):
    rater = rater_of(cast["participant"])
    workshop, conference = initiatives["workshop"], initiatives["conference"]
    assert services.save_ratings(
        rater=rater,
        answers={
            workshop: answer(3, ["practice_tasks", "peer_support"], repeat=True, comment="Still using it"),
            conference: answer(0, []),
        },
    ) == {"saved": 2, "deleted": 0}
    rating = Rating.objects.get(rater=rater, initiative=workshop)
    assert (rating.level, rating.reasons, rating.repeat, rating.comment) == (
        3,
        ["practice_tasks", "peer_support"],
        True,
        "Still using it",
    )
    assert services.save_ratings(rater=rater, answers={workshop: answer(2, []), conference: None}) == {
        "saved": 1,
        "deleted": 1,
    }
    assert list(Rating.objects.filter(rater=rater).values_list("initiative__title", "level")) == [
        ("Feedback workshop", 2)
    ]
    assert not AuditEntry.objects.filter(object_type="rating").exists()


def test_other_text_ticks_other(cast, initiatives, rater_of):
    rater = rater_of(cast["participant"])
    services.save_ratings(rater=rater, answers={initiatives["workshop"]: answer(1, [], other_reason="Timing")})
    assert Rating.objects.get(rater=rater).reasons == ["other"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reasons": ["other"]}, "other_reason"),
        ({"reasons": ["charisma"]}, "reasons"),
        ({"level": 7}, "level"),
        ({"level": None}, "level"),
        ({"comment": "x" * 2001}, "comment"),
    ],
)
def test_save_ratings_refuses_bad_answers_and_saves_nothing(cast, initiatives, rater_of, fields, field):
    rater = rater_of(cast["participant"])
    workshop, conference = initiatives["workshop"], initiatives["conference"]
    with pytest.raises(ValidationError) as raised:
        services.save_ratings(rater=rater, answers={conference: answer(2), workshop: {**answer(2), **fields}})
    assert list(raised.value.message_dict) == [services.answer_key(workshop, field)]
    assert not Rating.objects.exists()  # all or nothing: the good answer was not saved either


def test_save_ratings_refuses_an_initiative_not_under_review(cast, initiatives, rater_of):
    rater = rater_of(cast["participant"])
    with pytest.raises(ValidationError) as raised:
        services.save_ratings(rater=rater, answers={initiatives["workshop"]: answer(2), initiatives["old"]: answer(1)})
    assert list(raised.value.message_dict) == [services.answer_key(initiatives["old"], "initiative")]
    assert not Rating.objects.exists()


def test_save_and_submit_refused_when_closed(cast, retrospective, initiatives, rater_of):
    services.close_retrospective(retrospective=retrospective, actor=cast["admin"].user)
    rater = Rater.objects.select_related("retrospective").get(pk=rater_of(cast["participant"]).pk)
    with pytest.raises(ValidationError, match="closed"):
        services.save_ratings(rater=rater, answers={initiatives["workshop"]: answer(2)})
    with pytest.raises(ValidationError, match="closed"):
        services.submit_ratings(rater=rater)
    assert not Rating.objects.exists()


def test_close_and_reopen_record_the_state(cast, retrospective):
    services.close_retrospective(retrospective=retrospective, actor=cast["admin"].user)
    retrospective.refresh_from_db()
    assert (retrospective.state, retrospective.closed_at is not None) == ("closed", True)
    with pytest.raises(ValidationError):
        services.close_retrospective(retrospective=retrospective, actor=None)
    services.reopen_retrospective(retrospective=retrospective, actor=None)
    retrospective.refresh_from_db()
    assert (retrospective.state, retrospective.closed_at) == ("open", None)
    changes = list(
        AuditEntry.objects.filter(object_type="retrospective", action="changed")
        .order_by("at", "id")
        .values_list("changes", flat=True)
    )
    assert changes == [{"state": ["open", "closed"]}, {"state": ["closed", "open"]}]


def test_submit_sets_submitted_at_once(cast, rater_of):
    rater = rater_of(cast["participant"])
    services.submit_ratings(rater=rater)
    first = rater.submitted_at
    services.submit_ratings(rater=rater)
    assert rater.submitted_at == first is not None


def test_update_takes_initiatives_off_with_their_ratings_and_indicators(cast, retrospective, initiatives, rater_of):
    workshop, conference = initiatives["workshop"], initiatives["conference"]
    services.save_ratings(rater=rater_of(cast["manager"]), answers={workshop: answer(2), conference: answer(0, [])})
    services.add_indicator(
        retrospective=retrospective, actor=None, initiative=conference, name="NPS", value=Decimal("12"), source="Survey"
    )
    changed = services.update_retrospective(
        retrospective=retrospective, actor=cast["admin"].user, title="Renamed", initiatives=[workshop]
    )
    assert changed == {"title": ("What stuck 2025–2026", "Renamed"), "initiatives": (2, 1)}
    assert list(Rating.objects.values_list("initiative__title", flat=True)) == ["Feedback workshop"]
    assert not EffectIndicator.objects.exists()


def test_update_refuses_a_backwards_period(retrospective):
    with pytest.raises(ValidationError) as raised:
        services.update_retrospective(
            retrospective=retrospective,
            actor=None,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2025, 1, 1),
        )
    assert list(raised.value.message_dict) == ["period_end"]


def test_indicators_need_name_source_and_an_initiative_under_review(cast, retrospective, initiatives):
    with pytest.raises(ValidationError) as raised:
        services.add_indicator(
            retrospective=retrospective,
            actor=None,
            initiative=initiatives["old"],
            name=" ",
            value=Decimal(1),
            source="",
        )
    assert sorted(raised.value.message_dict) == ["initiative", "name", "source"]
    indicator = services.add_indicator(
        retrospective=retrospective,
        actor=cast["admin"].user,
        initiative=initiatives["workshop"],
        name="Customer complaints per month",
        value=Decimal("41"),
        unit="complaints",
        source="CRM report Q3",
    )
    assert AuditEntry.objects.filter(object_type="effectindicator", action="created").count() == 1
    services.remove_indicator(indicator=indicator, actor=cast["admin"].user)
    assert not EffectIndicator.objects.exists()
    assert AuditEntry.objects.filter(object_type="effectindicator", action="deleted").count() == 1


def test_remove_rater_and_delete_retrospective_cascade(cast, retrospective, initiatives, rater_of):
    rater = rater_of(cast["manager"])
    services.save_ratings(rater=rater, answers={initiatives["workshop"]: answer(2)})
    services.remove_rater(rater=rater, actor=cast["admin"].user)
    assert not Rating.objects.exists()
    services.delete_retrospective(retrospective=retrospective, actor=cast["admin"].user)
    assert not Retrospective.objects.exists() and not Rater.objects.exists()
    assert set(AuditEntry.objects.filter(action="deleted").values_list("object_type", flat=True)) == {
        "rater",
        "retrospective",
    }


def test_retrospectives_for_user_admin_all_others_invited(cast, retrospective):
    workspace = cast["admin"].workspace
    assert list(retrospectives_for_user(cast["admin"].user, workspace)) == [retrospective]
    assert list(retrospectives_for_user(cast["participant"].user, workspace)) == [retrospective]
    assert list(retrospectives_for_user(cast["trainer"].user, workspace)) == []
    assert list(retrospectives_for_user(cast["outsider"].user, workspace)) == []
    progress = with_progress(Retrospective.objects.all()).get()
    assert (progress.raters_invited, progress.raters_done, progress.initiative_count) == (2, 0, 2)


def test_initiatives_in_period_by_their_dates(cast, initiatives):
    workspace = cast["admin"].workspace
    found = initiatives_in_period(workspace, datetime.date(2026, 3, 3), datetime.date(2026, 12, 31))
    assert [i.title for i in found] == ["Logistics Summit"]
    from takeroot.catalogue.services import create_initiative

    create_initiative(workspace=workspace, actor=None, title="Undated")
    titles = [i.title for i in initiatives_in_period(workspace, datetime.date(2026, 3, 4), datetime.date(2026, 4, 1))]
    assert titles == []
    titles = [
        i.title
        for i in initiatives_in_period(
            workspace, datetime.date(2026, 3, 4), datetime.date(2026, 4, 1), include_undated=True
        )
    ]
    assert titles == ["Undated"]


def test_leadership_and_participants(cast, initiatives):
    workspace = cast["admin"].workspace
    assert [p.user.email for p in leadership_group(workspace)] == ["admin@acme.test", "manager@acme.test"]
    # The workshop is for the Sales team: the manager, the participant and the other participant.
    found = participants_of([initiatives["workshop"]], datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
    assert [p.user.email for p in found] == ["manager@acme.test", "other@acme.test", "participant@acme.test"]
    assert mail.outbox == []
