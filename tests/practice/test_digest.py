"""The digest sections: reports waiting for the trainer's or supervisor's review, and a
participant's practice tasks due within a week or overdue."""

import datetime

from django.utils import timezone, translation

from takeroot.core.digest import DIGEST_SECTIONS
from takeroot.practice import services
from takeroot.practice.digest import reports_to_review_section, tasks_due_section
from takeroot.practice.models import PracticeTask

SINCE = timezone.now() - datetime.timedelta(days=7)


def test_sections_are_registered():
    assert reports_to_review_section in DIGEST_SECTIONS
    assert tasks_due_section in DIGEST_SECTIONS


def test_reports_waiting_for_the_trainer_then_the_supervisor(submitted, cohort, cast):
    with translation.override("en"):
        section = reports_to_review_section(cast["trainer"], SINCE)
        assert section.title == "Practice reports waiting for your review"
        assert [(i.text, i.url) for i in section.items] == [
            ("Pia Participant: Use the new technique with 3 key clients", submitted.get_absolute_url())
        ]
        assert len(reports_to_review_section(cast["manager"], SINCE).items) == 1
        services.accept_report(assignment=submitted, actor=None, reviewer=cast["trainer"], role="trainer")
        assert reports_to_review_section(cast["trainer"], SINCE) is None
        assert len(reports_to_review_section(cast["manager"], SINCE).items) == 1
        services.save_practice_settings(cohort=cohort, actor=None, trainer_alone=True)
        assert reports_to_review_section(cast["manager"], SINCE) is None
    assert reports_to_review_section(cast["participant"], SINCE) is None
    assert reports_to_review_section(cast["admin"], SINCE) is None


def test_tasks_due_for_the_participant(assignment, cast):
    assert tasks_due_section(cast["participant"], SINCE) is None  # due in a month
    due = timezone.localdate() + datetime.timedelta(days=2)
    PracticeTask.objects.filter(pk=assignment.task_id).update(due_on=due)
    with translation.override("en"):
        section = tasks_due_section(cast["participant"], SINCE)
    assert section.title == "Practice tasks due"
    assert [i.text for i in section.items] == [f"Use the new technique with 3 key clients, due {due.isoformat()}"]
    services.submit_report(assignment=assignment, actor=None, author=None, text="Done")
    assert tasks_due_section(cast["participant"], SINCE) is None
    assert tasks_due_section(cast["other_participant"], SINCE) is None
