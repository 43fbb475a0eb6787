"""Sending surveys: who is asked, opening with an invitation, reminders, closing and extending.

A survey starts as a draft with its recipients: a cohort's participants, or the raters of one
person (self, manager, peers, direct reports). Opening it mails each recipient a one-click link,
saying when it closes and what its anonymity means. Reminders go to those who have not answered
(named and confidential: ``has_answered``; anonymous: ``ballot_issued``, since nothing else is
kept), at most every ``remind_every_days`` and never after the closing date. The hourly job closes
surveys past their date and sends the reminders that are due.

The follow-up engine's survey steps (``delivery``) get one open survey per step and cohort here.
Every survey action is audited; who answered never is. Callers check ``surveys.send_surveys``
(creating) or ``surveys.manage_survey`` (the rest) first.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.mail import queue_mail
from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership
from takeroot.core.scope import across_workspaces
from takeroot.core.services import record_audit
from takeroot.followup.enums import LinkPurpose
from takeroot.followup.links import link_url
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment

from .enums import Anonymity, RaterGroup, SurveyState
from .instruments import survey_settings_for
from .models import Instrument, Recipient, Response, Survey
from .signals import survey_closed

# Who of a cohort is asked: people taking part now or who finished (not invited-only, not withdrawn).
TAKING_PART = (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)
# A survey sent by a follow-up step closes this long after its first message.
STEP_SURVEY_DAYS = 14
# Without a reminder interval, "remind now" still waits a day between two reminders to one person.
MIN_REMINDER_GAP = datetime.timedelta(days=1)

PeopleWithGroups = list[tuple[Person, str]]


# Reads ------------------------------------------------------------------------------------------


def surveys_for_workspace(workspace: Workspace) -> QuerySet[Survey]:
    """Every survey of the workspace, before any role rule: to tell 403 from 404."""
    return Survey.objects.filter(workspace=workspace).select_related(
        "instrument", "cohort__programme", "programme", "subject__user", "workspace"
    )


def surveys_for_user(user: User, *, workspace: Workspace) -> QuerySet[Survey]:
    """The surveys this person may manage: all of the workspace for admins; for trainers those
    they created and those of the cohorts they train; none for anyone else."""
    me = membership(user, workspace)
    found = surveys_for_workspace(workspace)
    if me is None:
        return found.none()
    if me.is_admin:
        return found
    if me.is_trainer:
        return found.filter(Q(created_by=user) | Q(cohort__trainers=me)).distinct()
    return found.none()


def with_counts(surveys: QuerySet[Survey]) -> QuerySet[Survey]:
    """Each survey with ``recipient_count`` and ``response_count`` (two subqueries, no N+1)."""
    return surveys.annotate(
        recipient_count=Count("recipients", distinct=True), response_count=Count("responses", distinct=True)
    )


@dataclass(frozen=True)
class GroupCount:
    rater_group: str
    label: str
    recipients: int
    responses: int | None  # None: held back so that nobody's participation can be singled out


def group_counts(survey: Survey) -> tuple[list[GroupCount], bool]:
    """Recipients and responses per rater group, and whether the responses per group are held
    back. In a confidential or anonymous survey the responses of the groups are shown only when
    every group has at least the workspace's threshold of recipients: a manager's group of one
    would otherwise show whether the manager answered (also by subtracting the other groups from
    the total)."""
    recipients = dict(
        Recipient.objects.filter(survey=survey)
        .values("rater_group")
        .annotate(n=Count("id"))
        .values_list("rater_group", "n")
    )
    responses = dict(
        Response.objects.filter(survey=survey)
        .values("rater_group")
        .annotate(n=Count("id"))
        .values_list("rater_group", "n")
    )
    groups = [g for g in RaterGroup.values if recipients.get(g) or responses.get(g)]
    threshold = survey_settings_for(survey.workspace).min_responses
    held = survey.anonymity != Anonymity.NAMED and any(recipients.get(g, 0) < threshold for g in groups)
    if len(groups) <= 1:
        held = False  # one group: its count is the total, shown anyway
    rows = [
        GroupCount(g, str(RaterGroup(g).label), recipients.get(g, 0), None if held else responses.get(g, 0))
        for g in groups
    ]
    return rows, held


def answered_people(survey: Survey) -> list[Person] | None:
    """Who answered, for a named survey only (None for the others: not shown, and for anonymous
    surveys not even known)."""
    if survey.anonymity != Anonymity.NAMED:
        return None
    return [
        r.person
        for r in Recipient.objects.filter(survey=survey, has_answered=True)
        .select_related("person__user")
        .order_by("person__user__name", "pk")
    ]


def recipients_of(survey: Survey) -> QuerySet[Recipient]:
    return (
        Recipient.objects.filter(survey=survey)
        .select_related("person__user", "person__team")
        .order_by("rater_group", "person__user__name", "pk")
    )


def instruments_to_send(workspace: Workspace) -> QuerySet[Instrument]:
    """The questionnaires a survey may send: the workspace's and its programmes', not archived."""
    return (
        Instrument.objects.filter(workspace=workspace, archived=False)
        .select_related("programme")
        .order_by("programme__name", "-created_at", "pk")
    )


# Who is asked -----------------------------------------------------------------------------------


def cohort_recipients(cohort: Cohort) -> PeopleWithGroups:
    """A cohort's participants who take part now or finished, as participants."""
    enrolments = (
        Enrolment.objects.filter(cohort=cohort, status__in=TAKING_PART)
        .select_related("person__user")
        .order_by("person__user__name", "pk")
    )
    return [(e.person, RaterGroup.PARTICIPANT.value) for e in enrolments]


def subject_recipients(
    subject: Person, *, peers=(), include_self: bool = True, include_manager: bool = True, include_reports: bool = True
) -> PeopleWithGroups:
    """The raters of a 360° or a behaviour follow-up about ``subject``: themselves, their line
    manager, the chosen peers and the people whose manager they are. Nobody twice (the first group
    named wins)."""
    found: PeopleWithGroups = []
    if include_self:
        found.append((subject, RaterGroup.SELF.value))
    if include_manager and subject.manager_id:
        found.append((subject.manager, RaterGroup.MANAGER.value))
    found += [(peer, RaterGroup.PEER.value) for peer in peers]
    if include_reports:
        reports = Person.objects.filter(workspace_id=subject.workspace_id, manager=subject).select_related("user")
        found += [(report, RaterGroup.REPORT.value) for report in reports.order_by("user__name", "pk")]
    seen, unique = set(), []
    for person, group in found:
        if person.pk not in seen:
            seen.add(person.pk)
            unique.append((person, group))
    return unique


def _check_people(workspace_id: int, people_with_groups: PeopleWithGroups) -> None:
    for person, group in people_with_groups:
        if person.workspace_id != workspace_id:
            raise ValidationError({"recipients": _("Choose people of this workspace.")})
        if group not in RaterGroup.values:
            raise ValidationError({"recipients": _("“%(group)s” is not a rater group.") % {"group": group}})


# Creating ---------------------------------------------------------------------------------------


def _audit(survey: Survey, actor: User | None, action: str, changes: dict | None = None) -> None:
    record_audit(workspace=survey.workspace, actor=actor, action=action, obj=survey, changes=changes)


@transaction.atomic
def create_survey(
    *,
    instrument: Instrument,
    actor: User | None,
    title: str,
    anonymity: str,
    closes_at: datetime.datetime,
    remind_every_days: int | None = 3,
    cohort: Cohort | None = None,
    subject: Person | None = None,
    recipients: PeopleWithGroups | None = None,
    now: datetime.datetime | None = None,
) -> Survey:
    """A draft survey of ``instrument``: to a cohort's participants (``cohort``), to the raters of
    ``subject`` (``recipients``: the peers and others as ``(person, rater group)``; the subject
    and their manager and direct reports are added when ``recipients`` is None), or to the people
    named in ``recipients``.

    Refuses a closing date that is not in the future, an archived questionnaire, a questionnaire,
    cohort or person of another workspace, or another programme's questionnaire for a cohort.
    Side effects: the survey and its recipients, an audit entry. Nobody is mailed until
    ``open_survey``."""
    now = now or timezone.now()
    workspace = instrument.workspace
    errors = {}
    if instrument.archived:
        errors["instrument"] = _("This questionnaire is archived: restore it or choose another.")
    if closes_at is None or closes_at <= now:
        errors["closes_at"] = _("Choose a closing date in the future.")
    if anonymity not in Anonymity.values:
        errors["anonymity"] = _("Choose how anonymous the answers are.")
    if remind_every_days is not None and not 1 <= remind_every_days <= 30:
        errors["remind_every_days"] = _("Remind every 1 to 30 days, or leave empty for no reminders.")
    if cohort is not None and cohort.workspace_id != workspace.pk:
        errors["cohort"] = _("Choose a cohort of this workspace.")
    if subject is not None and subject.workspace_id != workspace.pk:
        errors["subject"] = _("Choose a person of this workspace.")
    if cohort is not None and subject is not None:
        errors["subject"] = _("A survey goes to a cohort or is about one person, not both.")
    if (
        cohort is not None
        and instrument.programme_id
        and cohort.workspace_id == workspace.pk
        and cohort.programme_id != instrument.programme_id
    ):
        errors["instrument"] = _("This questionnaire belongs to another programme than the cohort's.")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the survey a title.")
    if errors:
        raise ValidationError(errors)
    if recipients is None:
        if cohort is not None:
            recipients = cohort_recipients(cohort)
        elif subject is not None:
            recipients = subject_recipients(subject)
        else:
            recipients = []
    _check_people(workspace.pk, recipients)
    survey = Survey(
        workspace=workspace,
        instrument=instrument,
        programme_id=instrument.programme_id or (cohort.programme_id if cohort else None),
        cohort=cohort,
        subject=subject,
        title=title[:200],
        anonymity=anonymity,
        state=SurveyState.DRAFT,
        closes_at=closes_at,
        remind_every_days=remind_every_days,
        created_by=actor,
    )
    survey.full_clean(exclude=["workspace", "instrument", "programme", "cohort", "subject", "step", "created_by"])
    survey.save()
    _add(survey, recipients)
    _audit(survey, actor, AuditAction.CREATED, {"recipients": (None, len(recipients))})
    return survey


def _add(survey: Survey, people_with_groups: PeopleWithGroups) -> list[Recipient]:
    known = set(Recipient.objects.filter(survey=survey).values_list("person_id", flat=True))
    new, seen = [], set()
    for person, group in people_with_groups:
        if person.pk in known or person.pk in seen:
            continue
        seen.add(person.pk)
        new.append(Recipient(workspace_id=survey.workspace_id, survey=survey, person=person, rater_group=group))
    return Recipient.objects.bulk_create(new)


@transaction.atomic
def add_recipients(
    survey: Survey,
    people_with_groups: PeopleWithGroups,
    *,
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> list[Recipient]:
    """Add people to a draft or open survey (people asked already are left as they are). An open
    survey invites the new ones at once. Returns the new recipients.

    Side effects: the recipients, their invitations (open survey), an audit entry."""
    now = now or timezone.now()
    if survey.state == SurveyState.CLOSED:
        raise ValidationError(_("This survey is closed: reopen it to ask more people."))
    _check_people(survey.workspace_id, people_with_groups)
    added = _add(survey, people_with_groups)
    if added:
        if survey.state == SurveyState.OPEN:
            for recipient in added:
                _invite(survey, recipient, now)
        _audit(survey, actor, AuditAction.INVITED, {"recipients": (None, len(added))})
    return added


# Mail -------------------------------------------------------------------------------------------


def survey_url(survey: Survey, person: Person) -> str:
    """The one-click link that opens the survey's form for ``person``."""
    return link_url(person=person, purpose=LinkPurpose.SURVEY, target=str(survey.uuid))


def closing_text(survey: Survey) -> str:
    """The closing date and time in the active language and time zone."""
    local = timezone.localtime(survey.closes_at)
    return f"{formats.date_format(local, 'DATE_FORMAT')} {formats.time_format(local, 'TIME_FORMAT')}"


def _mail_context(survey: Survey, person: Person) -> dict:
    user = person.user
    with translation.override(user.language), timezone.override(user.timezone):
        return {
            "title": survey.title,
            "workspace": survey.workspace.name,
            "about": survey.subject.user.name if survey.subject_id and survey.subject_id != person.pk else "",
            "about_self": survey.subject_id == person.pk,
            "closes": closing_text(survey),
            "anonymity": survey.anonymity,
            "url": survey_url(survey, person),
            "web_path": reverse("surveys:respond", args=[survey.uuid]),
        }


def _invite(survey: Survey, recipient: Recipient, now: datetime.datetime) -> None:
    queue_mail(
        recipient=recipient.person.user,
        workspace=survey.workspace,
        template="survey_invitation",
        context=_mail_context(survey, recipient.person),
    )
    Recipient.objects.filter(pk=recipient.pk).update(invited_at=now)
    recipient.invited_at = now


# Opening, reminding, closing --------------------------------------------------------------------


@transaction.atomic
def open_survey(*, survey: Survey, actor: User | None, now: datetime.datetime | None = None) -> int:
    """Open a draft survey and mail each recipient their invitation. Returns how many were invited.

    Refuses a survey that is not a draft, has nobody to ask, closes in the past, or whose
    questionnaire is archived or has no questions. Side effects: state and ``opened_at``, one
    invitation mail per recipient, an audit entry."""
    now = now or timezone.now()
    claimed = Survey.objects.filter(pk=survey.pk, state=SurveyState.DRAFT)
    if survey.state != SurveyState.DRAFT or not claimed.exists():
        raise ValidationError(_("Only a draft survey can be opened."))
    if survey.closes_at <= now:
        raise ValidationError({"closes_at": _("The closing date has passed: choose a later one first.")})
    if survey.instrument.archived:
        raise ValidationError({"instrument": _("This questionnaire is archived: restore it first.")})
    if not survey.instrument.questions.exists():
        raise ValidationError({"instrument": _("This questionnaire has no questions yet.")})
    recipients = list(recipients_of(survey))
    if not recipients:
        raise ValidationError(_("Add the people to ask before opening the survey."))
    # Claim the draft: a second click (or a racing request) finds it open and sends nothing.
    if claimed.update(state=SurveyState.OPEN, opened_at=now) != 1:
        raise ValidationError(_("Only a draft survey can be opened."))
    survey.state, survey.opened_at = SurveyState.OPEN, now
    for recipient in recipients:
        _invite(survey, recipient, now)
    _audit(survey, actor, AuditAction.CHANGED, {"state": (SurveyState.DRAFT, SurveyState.OPEN)})
    return len(recipients)


def _reminder_gap(survey: Survey) -> datetime.timedelta:
    return datetime.timedelta(days=survey.remind_every_days) if survey.remind_every_days else MIN_REMINDER_GAP


def waiting_recipients(survey: Survey) -> QuerySet[Recipient]:
    """Who has not answered as far as the survey may know: named and confidential surveys by
    ``has_answered``; anonymous ones by ``ballot_issued`` (the person never opened the form)."""
    found = Recipient.objects.filter(survey=survey)
    if survey.anonymity == Anonymity.ANONYMOUS:
        return found.filter(ballot_issued=False)
    return found.filter(has_answered=False)


@transaction.atomic
def remind(*, survey: Survey, now: datetime.datetime | None = None, actor: User | None = None) -> int:
    """Mail a reminder to each recipient who has not answered (see ``waiting_recipients``) and was
    last invited or reminded at least ``remind_every_days`` ago (a day when the survey has no
    interval). Nothing for a survey that is not open or whose closing date has passed. Returns how
    many were reminded.

    Side effects: one reminder mail per person (each claimed first, so a repeated call sends no
    second one), ``reminders_sent`` and ``last_reminded_at``, an audit entry when anyone was
    reminded (the count, never who)."""
    now = now or timezone.now()
    if survey.state != SurveyState.OPEN or survey.closes_at <= now:
        return 0
    cutoff = now - _reminder_gap(survey)
    due = (
        waiting_recipients(survey)
        .filter(Q(last_reminded_at__lte=cutoff) | Q(last_reminded_at__isnull=True, invited_at__lte=cutoff))
        .select_related("person__user")
    )
    sent = 0
    for recipient in due:
        claimed = Recipient.objects.filter(
            pk=recipient.pk, reminders_sent=recipient.reminders_sent, last_reminded_at=recipient.last_reminded_at
        ).update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=now)
        if claimed != 1:
            continue
        queue_mail(
            recipient=recipient.person.user,
            workspace=survey.workspace,
            template="survey_reminder",
            context=_mail_context(survey, recipient.person),
        )
        sent += 1
    if sent:
        _audit(survey, actor, AuditAction.CHANGED, {"reminded": (None, sent)})
    return sent


@transaction.atomic
def close_survey(*, survey: Survey, actor: User | None, now: datetime.datetime | None = None) -> None:
    """Close an open survey: it takes no more answers and sends no more reminders.
    Side effects: state and ``closed_at``, an audit entry."""
    now = now or timezone.now()
    if Survey.objects.filter(pk=survey.pk, state=SurveyState.OPEN).update(state=SurveyState.CLOSED, closed_at=now) != 1:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.state, survey.closed_at = SurveyState.CLOSED, now
    _audit(survey, actor, AuditAction.CHANGED, {"state": (SurveyState.OPEN, SurveyState.CLOSED)})
    survey_closed.send(sender=Survey, survey=survey)


def _check_new_date(survey: Survey, closes_at: datetime.datetime | None, now: datetime.datetime) -> None:
    if closes_at is None or closes_at <= now:
        raise ValidationError({"closes_at": _("Choose a closing date in the future.")})


@transaction.atomic
def extend_survey(
    *, survey: Survey, actor: User | None, closes_at: datetime.datetime, now: datetime.datetime | None = None
) -> None:
    """Move the closing date of a draft or open survey (to any date still in the future).
    Side effects: ``closes_at``, an audit entry."""
    now = now or timezone.now()
    if survey.state == SurveyState.CLOSED:
        raise ValidationError(_("This survey is closed: reopen it with a new closing date."))
    _check_new_date(survey, closes_at, now)
    before = survey.closes_at
    survey.closes_at = closes_at
    survey.save(update_fields=["closes_at"])
    _audit(survey, actor, AuditAction.CHANGED, {"closes_at": (before.isoformat(), closes_at.isoformat())})


@transaction.atomic
def reopen_survey(
    *,
    survey: Survey,
    actor: User | None,
    closes_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """Open a closed survey again until ``closes_at`` (needed when the old date has passed).
    Nobody is mailed again; reminders resume. Side effects: state, dates, an audit entry."""
    now = now or timezone.now()
    if survey.state != SurveyState.CLOSED:
        raise ValidationError(_("Only a closed survey can be reopened."))
    closes_at = closes_at or survey.closes_at
    _check_new_date(survey, closes_at, now)
    before = survey.closes_at
    survey.state, survey.closes_at, survey.closed_at = SurveyState.OPEN, closes_at, None
    survey.save(update_fields=["state", "closes_at", "closed_at"])
    _audit(
        survey,
        actor,
        AuditAction.CHANGED,
        {"state": (SurveyState.CLOSED, SurveyState.OPEN), "closes_at": (before.isoformat(), closes_at.isoformat())},
    )


# The hourly job ---------------------------------------------------------------------------------


def close_due_surveys(*, now: datetime.datetime | None = None) -> int:
    """Close every open survey whose closing date has passed, in every workspace. Idempotent.
    Returns how many were closed."""
    now = now or timezone.now()
    closed = 0
    with across_workspaces():  # the periodic job serves every workspace
        for survey in Survey.objects.filter(state=SurveyState.OPEN, closes_at__lte=now).select_related("workspace"):
            try:
                close_survey(survey=survey, actor=None, now=now)
            except ValidationError:
                continue  # closed meanwhile by someone else
            closed += 1
    return closed


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind the non-respondents of every open survey that has a reminder interval, in every
    workspace (``remind`` throttles each person). Returns how many reminders went out."""
    now = now or timezone.now()
    sent = 0
    with across_workspaces():  # the periodic job serves every workspace
        surveys = Survey.objects.filter(
            state=SurveyState.OPEN, closes_at__gt=now, remind_every_days__isnull=False
        ).select_related("workspace", "subject__user")
        for survey in surveys:
            sent += remind(survey=survey, now=now)
    return sent


# Surveys of the follow-up engine ----------------------------------------------------------------


def step_survey(*, step, cohort: Cohort) -> Survey | None:
    return Survey.objects.filter(step=step, cohort=cohort).select_related("instrument", "workspace").first()


def survey_for_step(*, step, cohort: Cohort, now: datetime.datetime) -> Survey:
    """The open survey a follow-up survey step sends to the cohort: found, or made and opened now
    (anonymity from the questionnaire, closing ``STEP_SURVEY_DAYS`` days after this first
    message). Side effects on creation: the survey, an audit entry."""
    found = step_survey(step=step, cohort=cohort)
    if found is not None:
        return found
    instrument = step.instrument
    title = _("%(questionnaire)s · %(cohort)s") % {"questionnaire": instrument.title, "cohort": cohort.name}
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                workspace_id=cohort.workspace_id,
                instrument=instrument,
                programme_id=cohort.programme_id,
                cohort=cohort,
                step=step,
                title=title[:200],
                anonymity=instrument.anonymity,
                state=SurveyState.OPEN,
                closes_at=now + datetime.timedelta(days=STEP_SURVEY_DAYS),
                opened_at=now,
            )
    except IntegrityError:
        # Another worker made it at the same moment: use theirs.
        return step_survey(step=step, cohort=cohort)
    _audit(survey, None, AuditAction.CREATED, {"step": (None, str(step.uuid))})
    return survey


def invite_from_step(*, survey: Survey, person: Person, rater_group: str, now: datetime.datetime) -> Recipient:
    """The person as a recipient of a step's survey, invited now (the step's message is the
    invitation). A person asked already keeps their rater group."""
    recipient, _created = Recipient.objects.get_or_create(
        survey=survey,
        person=person,
        defaults={"workspace_id": survey.workspace_id, "rater_group": rater_group, "invited_at": now},
    )
    if recipient.invited_at is None:
        Recipient.objects.filter(pk=recipient.pk).update(invited_at=now)
        recipient.invited_at = now
    return recipient
