"""The practice task lifecycle: assigning, reports in versions, reviews and completion (with both
reviewers, the trainer alone, no supervisor), the checks on files, and the audit entries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from takeroot.core.models import AuditEntry, OutgoingMail
from takeroot.practice import services
from takeroot.practice.files import MAX_BYTES
from takeroot.practice.models import PracticeAssignment, PracticeAttachment, PracticeReport, PracticeTask
from takeroot.programmes.models import Enrolment

from .conftest import JPG, PDF, PNG, office, upload


def _review(assignment, person, role, verdict, comment=""):
    services.review_report(
        assignment=assignment, actor=person.user, reviewer=person, role=role, verdict=verdict, comment=comment
    )
    assignment.refresh_from_db()
    return assignment.state


def test_create_task_refuses_missing_text_and_a_past_due_date(cohort, cast):
    with pytest.raises(ValidationError) as error:
        services.create_task(
            cohort=cohort,
            actor=None,
            created_by=None,
            title=" ",
            instructions="",
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"title", "instructions", "due_on"}
    assert not PracticeTask.objects.exists()


def test_assign_to_the_whole_cohort_mails_each_person_once(task, cast):
    created = services.assign_task(task=task, actor=cast["trainer"].user, assigned_by=cast["trainer"])
    assert sorted(a.enrolment.person.user.name for a in created) == ["Olek Other", "Pia Participant"]
    assert {a.state for a in created} == {"not_started"}
    mails = OutgoingMail.objects.filter(template="practice_assigned")
    assert sorted(m.to_email for m in mails) == ["other@acme.test", "participant@acme.test"]
    assert services.assign_task(task=task, actor=None, assigned_by=None) == []
    assert OutgoingMail.objects.filter(template="practice_assigned").count() == 2
    assert AuditEntry.objects.filter(object_type="practiceassignment", action="created").count() == 2


def test_assign_refuses_people_of_another_cohort(task, other_trainer, cast):
    from takeroot.programmes import services as programmes

    cohort = other_trainer.cohorts_trained.get()
    (foreign,) = programmes.enrol_people(cohort=cohort, actor=None, people=[cast["participant"]])
    with pytest.raises(ValidationError) as error:
        services.assign_task(task=task, actor=None, assigned_by=None, enrolments=[foreign])
    assert error.value.message_dict == {"enrolments": ["Choose people enrolled in this cohort."]}
    assert not PracticeAssignment.objects.exists()


def test_completed_when_trainer_and_supervisor_accept(submitted, cast):
    assert submitted.supervisor == cast["manager"]
    assert _review(submitted, cast["trainer"], "trainer", "accepted") == "submitted"
    assert _review(submitted, cast["manager"], "supervisor", "accepted") == "completed"
    assert submitted.completed_at is not None
    changes = AuditEntry.objects.filter(object_uuid=submitted.uuid, action="changed").values_list("changes", flat=True)
    assert [c["state"] for c in changes.order_by("at", "id")] == [
        ["not_started", "submitted"],
        ["submitted", "completed"],
    ]


def test_trainer_alone_completes_when_the_cohort_is_set_so(submitted, cohort, cast):
    services.save_practice_settings(cohort=cohort, actor=None, trainer_alone=True)
    assert _review(submitted, cast["trainer"], "trainer", "accepted") == "completed"


def test_trainer_alone_completes_when_there_is_no_supervisor(other_assignment, cast):
    assert other_assignment.supervisor is None
    services.submit_report(assignment=other_assignment, actor=None, author=None, text="Done.")
    assert _review(other_assignment, cast["trainer"], "trainer", "accepted") == "completed"


def test_supervisor_alone_does_not_complete(submitted, cast):
    assert _review(submitted, cast["manager"], "supervisor", "accepted") == "submitted"


def test_needs_more_work_sends_back_and_a_new_version_keeps_the_first(submitted, cast):
    assert _review(submitted, cast["trainer"], "trainer", "accepted") == "submitted"
    assert _review(submitted, cast["manager"], "supervisor", "needs_more_work", "Add the numbers.") == "needs_more_work"
    services.submit_report(assignment=submitted, actor=None, author=cast["participant"], text="With the numbers.")
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    assert list(submitted.reports.values_list("version", "text")) == [
        (2, "With the numbers."),
        (1, "Tried it with three clients."),
    ]
    assert PracticeAttachment.objects.filter(report__version=1).count() == 1
    # The new version needs both acceptances again.
    assert _review(submitted, cast["manager"], "supervisor", "accepted") == "submitted"
    assert _review(submitted, cast["trainer"], "trainer", "accepted") == "completed"


def test_more_work_needs_a_comment_and_each_role_reviews_once(submitted, cast):
    with pytest.raises(ValidationError) as error:
        _review(submitted, cast["trainer"], "trainer", "needs_more_work", " ")
    assert error.value.message_dict == {"comment": ["Say what is missing before you ask for more work."]}
    _review(submitted, cast["trainer"], "trainer", "accepted")
    with pytest.raises(ValidationError):
        _review(submitted, cast["admin"], "trainer", "accepted")


def test_submit_only_before_review_or_after_more_work(submitted, cast):
    with pytest.raises(ValidationError):
        services.submit_report(assignment=submitted, actor=None, author=None, text="Again")
    assert PracticeReport.objects.count() == 1


def test_review_only_while_waiting(assignment, cast):
    with pytest.raises(ValidationError):
        _review(assignment, cast["trainer"], "trainer", "accepted")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.JPG", JPG, "image/jpeg"),
        ("notes.txt", "Zażółć gęślą jaźń".encode(), "text/plain"),
        ("report.docx", office("word"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("numbers.xlsx", office("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("slides.pptx", office("ppt"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ],
)
def test_accepted_file_types(assignment, name, content, content_type):
    report = services.submit_report(
        assignment=assignment, actor=None, author=None, text="R", files=[upload(name, content)]
    )
    attachment = report.attachments.get()
    assert (attachment.name, attachment.content_type, attachment.size) == (name, content_type, len(content))
    assert attachment.file.name.startswith(f"practice/{assignment.workspace.uuid}/{report.uuid}/")
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 not a pdf", "report.pdf is not really a PDF file."),
        ("slides.pptx", office("word"), "slides.pptx is not really a PPTX file."),
        ("report.docx", b"PK\x03\x04broken", "report.docx is not really a DOCX file."),
        ("notes.txt", b"\x00\x01binary", "notes.txt is not really a TXT file."),
        ("photo.png", JPG, "photo.png is not really a PNG file."),
        (
            "tool.exe",
            b"MZ",
            "tool.exe: this type of file is not accepted. Use PDF, DOCX, XLSX, PPTX, PNG, JPG or TXT.",
        ),
        ("empty.pdf", b"", "empty.pdf is empty."),
    ],
)
def test_refused_files_save_nothing(assignment, name, content, message):
    with pytest.raises(ValidationError) as error:
        services.submit_report(
            assignment=assignment,
            actor=None,
            author=None,
            text="R",
            files=[upload("ok.pdf", PDF), upload(name, content)],
        )
    assert error.value.message_dict == {"files": [message]}
    assert not PracticeReport.objects.exists()
    assert not PracticeAttachment.objects.exists()
    assignment.refresh_from_db()
    assert assignment.state == "not_started"


def test_file_size_and_count_limits(assignment):
    big = upload("big.pdf", PDF + b"0" * (MAX_BYTES - len(PDF) + 1))
    with pytest.raises(ValidationError) as error:
        services.submit_report(assignment=assignment, actor=None, author=None, text="R", files=[big])
    assert error.value.message_dict == {"files": ["big.pdf is larger than 10 MB, the most a file may be."]}
    exactly = upload("max.pdf", PDF + b"0" * (MAX_BYTES - len(PDF)))
    with pytest.raises(ValidationError) as error:
        services.submit_report(
            assignment=assignment, actor=None, author=None, text="R", files=[upload(f"{n}.pdf", PDF) for n in range(6)]
        )
    assert error.value.message_dict == {"files": ["Attach at most 5 files."]}
    report = services.submit_report(assignment=assignment, actor=None, author=None, text="R", files=[exactly])
    assert report.attachments.get().size == MAX_BYTES


def test_report_text_is_required_with_the_file_errors_together(assignment):
    with pytest.raises(ValidationError) as error:
        services.submit_report(assignment=assignment, actor=None, author=None, text=" ", files=[upload("x.exe", b"M")])
    assert set(error.value.message_dict) == {"text", "files"}


def test_withdrawn_people_are_not_assigned(task, enrolment, cast):
    Enrolment.objects.filter(pk=enrolment.pk).update(status="withdrawn")
    created = services.assign_task(task=task, actor=None, assigned_by=None)
    assert [a.enrolment.person for a in created] == [cast["other_participant"]]


def test_update_task_keeps_a_past_due_date_that_did_not_change(task):
    PracticeTask.objects.filter(pk=task.pk).update(due_on=datetime.date(2026, 1, 1))
    task.refresh_from_db()
    assert services.update_task(task=task, actor=None, title="New title") == {
        "title": ("Use the new technique with 3 key clients", "New title")
    }
    with pytest.raises(ValidationError):
        services.update_task(task=task, actor=None, due_on=datetime.date(2026, 1, 2))


def test_one_person_in_both_roles_reviews_a_version_once(submitted, cast):
    from takeroot.core.models import Person

    Person.objects.filter(pk=cast["manager"].pk).update(is_admin=True)
    _review(submitted, cast["manager"], "trainer", "accepted")
    with pytest.raises(ValidationError) as error:
        _review(submitted, cast["manager"], "supervisor", "accepted")
    assert error.value.messages == ["You have already reviewed this version."]


def test_assignment_mail_renders_in_the_recipients_language(assignment, cast):
    from takeroot.core.mail import render_mail

    mail = OutgoingMail.objects.get(template="practice_assigned")
    message = render_mail(mail)
    assert message.subject == "New practice task: Use the new technique with 3 key clients"
    assert f"/practice/assignments/{assignment.uuid}/" in message.body
    assert "Gdańsk autumn" in message.body
