"""Follow-up session pages: a cohort's sessions, scheduling, changing and cancelling one, and the
session page where invitees answer and trainers record attendance, notes and agreed steps; plus
the one-click "I'll attend / I can't" link handler.

Forms live here: they are the sessions' own input boundary and nothing else uses them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from takeroot.core.models import Person
from takeroot.core.scope import workspace_scope
from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view
from takeroot.programmes.forms import DateInput, DateTimeInput
from takeroot.programmes.queries import cohorts_for_user

from .. import sessions as services
from ..enums import Rsvp
from ..models import FollowUpSession

# Forms -----------------------------------------------------------------------------------------


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.user.name


class SessionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=gettext_lazy("Room or place"), max_length=300, required=False)
    # Checked by the service, so the page and the API give the same message.
    online_link = forms.CharField(
        label=gettext_lazy("Online link"), max_length=200, required=False, widget=forms.URLInput()
    )
    agenda = forms.CharField(label=gettext_lazy("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    people = PeopleField(
        Person.objects.none(), label=gettext_lazy("Who is invited"), required=False, to_field_name="uuid"
    )

    def __init__(self, *args, people, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].widget = forms.CheckboxSelectMultiple(choices=self.fields["people"].choices)
        if editing:
            self.fields["people"].help_text = _("Untick someone to take them off the session; they are told.")
        else:
            self.fields["people"].help_text = _("Leave everyone unticked to invite the whole cohort.")
        self.editing = editing

    def clean(self):
        data = super().clean()
        if self.editing and "people" in data and not data["people"]:
            self.add_error("people", _("Keep at least one person invited, or cancel the session."))
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Will you attend?"),
        choices=[(Rsvp.ATTENDING, gettext_lazy("I'll attend")), (Rsvp.DECLINED, gettext_lazy("I can't attend"))],
        widget=forms.RadioSelect,
    )


ATTENDANCE_CHOICES = [
    ("", gettext_lazy("Not recorded")),
    ("yes", gettext_lazy("Attended")),
    ("no", gettext_lazy("Absent")),
]


class AttendanceForm(forms.Form):
    """One choice per invitee, named by their person's UUID."""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = list(invitations)
        for invitation in self.invitations:
            value = {True: "yes", False: "no", None: ""}[invitation.attended]
            self.fields[f"p_{invitation.person.uuid}"] = forms.ChoiceField(
                label=invitation.person.user.name, choices=ATTENDANCE_CHOICES, required=False, initial=value
            )

    def rows(self):
        return [(invitation, self[f"p_{invitation.person.uuid}"]) for invitation in self.invitations]

    def marks(self) -> dict[int, bool | None]:
        values = {"yes": True, "no": False, "": None}
        return {i.person_id: values[self.cleaned_data[f"p_{i.person.uuid}"]] for i in self.invitations}


class NotesForm(forms.Form):
    successes = forms.CharField(
        label=gettext_lazy("Successes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    obstacles = forms.CharField(
        label=gettext_lazy("Obstacles"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_steps = forms.CharField(
        label=gettext_lazy("Agreed next steps"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AgreedStepForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.none(), label=gettext_lazy("Participant"), to_field_name="uuid")
    title = forms.CharField(label=gettext_lazy("Step"), max_length=300)
    due_on = forms.DateField(label=gettext_lazy("Due on"), widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda person: person.user.name


# Lookups ---------------------------------------------------------------------------------------


def _cohort(request, uuid):
    return get_or_404(cohorts_for_user(request.user, workspace=request.workspace), uuid=uuid)


def _session(request, uuid, perm: str = "followup.view_session") -> FollowUpSession:
    """The session among those the person may see (else 404), if the rule allows (else 403)."""
    session = get_or_404(services.sessions_for_user(request.user, workspace=request.workspace), uuid=uuid)
    require_perm(request, perm, session)
    return session


def _invited_people(session: FollowUpSession):
    return Person.objects.filter(followup_invitations__session=session).select_related("user").order_by("user__name")


# Pages -----------------------------------------------------------------------------------------


@workspace_view("followup.view_sessions")
def cohort_sessions(request, uuid):
    """The cohort's follow-up sessions the person may see; those allowed schedule new ones."""
    cohort = _cohort(request, uuid)
    sessions = services.sessions_for_user(request.user, workspace=request.workspace).filter(cohort=cohort)
    can_schedule = request.user.has_perm("followup.schedule_session", cohort)
    return render(
        request,
        "followup/session_list.html",
        {
            "cohort": cohort,
            "sessions": list(sessions.order_by("starts_at", "pk")),
            "can_schedule": can_schedule,
            "now": timezone.now(),
        },
    )


@workspace_view("followup.view_sessions")
def session_new(request, uuid):
    cohort = _cohort(request, uuid)
    require_perm(request, "followup.schedule_session", cohort)
    form = SessionForm(request.POST or None, people=services.invitable_people(cohort))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.schedule_session(
                cohort=cohort,
                actor=request.user,
                created_by=request.person,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
                agenda=data["agenda"],
                people=list(data["people"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session scheduled; the invitations are on their way."))
            return redirect(session)
    return render(request, "followup/session_form.html", {"cohort": cohort, "form": form, "session": None})


@workspace_view("followup.view_sessions")
def session_edit(request, uuid):
    session = _session(request, uuid, "followup.run_session")
    if session.cancelled_at:
        messages.info(request, _("This session has been cancelled; it can no longer be changed."))
        return redirect(session)
    invited = list(_invited_people(session))
    initial = {
        "title": session.title,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "place": session.place,
        "online_link": session.online_link,
        "agenda": session.agenda,
        "people": invited,
    }
    people = services.invitable_people(session.cohort) | _invited_people(session)
    form = SessionForm(request.POST or None, initial=initial, people=people.distinct(), editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = set(data.pop("people"))
        try:
            with transaction.atomic():  # all of the change, or none of it
                services.update_session(session=session, actor=request.user, **data)
                added = [p for p in chosen if p not in invited]
                if added:
                    services.invite_people(session=session, people=added, actor=request.user)
                dropped = [p for p in invited if p not in chosen]
                services.uninvite(session=session, people=dropped, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            session.refresh_from_db()
        else:
            messages.success(request, _("Session saved; invitees were told about any change."))
            return redirect(session)
    return render(request, "followup/session_form.html", {"cohort": session.cohort, "form": form, "session": session})


@workspace_view("followup.view_sessions")
def session_cancel(request, uuid):
    session = _session(request, uuid, "followup.run_session")
    if request.method == "POST":
        try:
            services.cancel_session(session=session, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Session cancelled; the invitees' calendars will drop it."))
        return redirect(session)
    return render(request, "followup/session_cancel.html", {"session": session})


def _detail(request, session: FollowUpSession, **forms_given):
    can_run = request.user.has_perm("followup.run_session", session)
    invitations = list(services.invitations_of(session))
    mine = services.my_invitation(session, request.person)
    open_ = session.cancelled_at is None
    started = session.starts_at <= timezone.now()
    context = {
        "session": session,
        "cohort": session.cohort,
        "invitations": invitations,
        "mine": mine,
        "can_run": can_run,
        "counts": {
            answer: sum(1 for i in invitations if i.answer == answer)
            for answer in (Rsvp.ATTENDING, Rsvp.DECLINED, Rsvp.PENDING)
        },
        "agreed_steps": list(services.agreed_steps(session)) if can_run or mine else [],
    }
    if mine and open_ and session.ends_at > timezone.now():
        initial = {"answer": mine.answer} if mine.answer != Rsvp.PENDING else {}
        context["answer_form"] = forms_given.get("answer_form") or AnswerForm(initial=initial)
    if can_run and open_:
        if started:
            context["attendance_form"] = forms_given.get("attendance_form") or AttendanceForm(invitations=invitations)
        context["notes_form"] = forms_given.get("notes_form") or NotesForm(
            initial={"successes": session.successes, "obstacles": session.obstacles, "next_steps": session.next_steps}
        )
        context["step_form"] = forms_given.get("step_form") or AgreedStepForm(people=_invited_people(session))
    # Steps are for the participant's own sight too: they see theirs only.
    if not can_run and mine:
        context["agreed_steps"] = [t for t in context["agreed_steps"] if t.plan.enrolment.person_id == mine.person_id]
    status = 400 if any(form.errors for form in forms_given.values()) else 200
    return render(request, "followup/session_detail.html", context, status=status)


@workspace_view("followup.view_sessions")
def session_detail(request, uuid):
    return _detail(request, _session(request, uuid))


@require_POST
@workspace_view("followup.view_sessions")
def session_answer(request, uuid):
    session = _session(request, uuid, "followup.answer_invitation")
    invitation = services.my_invitation(session, request.person)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_invitation(invitation=invitation, answer=form.cleaned_data["answer"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you, your answer is saved."))
            return redirect(session)
    return _detail(request, session, answer_form=form)


@require_POST
@workspace_view("followup.view_sessions")
def session_attendance(request, uuid):
    session = _session(request, uuid, "followup.run_session")
    form = AttendanceForm(request.POST, invitations=services.invitations_of(session))
    if form.is_valid():
        try:
            services.record_attendance(session=session, attended=form.marks(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(session)
    return _detail(request, session, attendance_form=form)


@require_POST
@workspace_view("followup.view_sessions")
def session_notes(request, uuid):
    session = _session(request, uuid, "followup.run_session")
    form = NotesForm(request.POST)
    if form.is_valid():
        services.save_notes(session=session, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Notes saved."))
        return redirect(session)
    return _detail(request, session, notes_form=form)


@require_POST
@workspace_view("followup.view_sessions")
def session_step(request, uuid):
    session = _session(request, uuid, "followup.run_session")
    form = AgreedStepForm(request.POST, people=_invited_people(session))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_agreed_step(
                session=session,
                person=data["person"],
                title=data["title"],
                due_on=data["due_on"],
                actor=request.user,
                author=request.person,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step added to %(name)s's action plan.") % {"name": data["person"].user.name})
            return redirect(session)
    return _detail(request, session, step_form=form)


# The one-click answer --------------------------------------------------------------------------


def attendance_link(request, link):
    """A CONFIRM_ATTENDANCE link ("I'll attend" / "I can't"): records the answer and confirms.
    Not single use: the other link of the same mail changes the answer later."""
    # The link may be opened signed out: enter the person's workspace on purpose.
    with workspace_scope(link.person.workspace):
        invitation, answer = services.invitation_from_target(link.target, link.person)
        if invitation is None or answer not in services.ANSWERS:
            return render(request, "followup/session_answered.html", {"problem": True}, status=404)
        try:
            services.answer_invitation(invitation=invitation, answer=answer, actor=link.person.user)
        except ValidationError as error:
            return render(
                request,
                "followup/session_answered.html",
                {"session": invitation.session, "problem": True, "errors": error.messages},
                status=409,
            )
        return render(
            request,
            "followup/session_answered.html",
            {"session": invitation.session, "invitation": invitation, "attending": answer == Rsvp.ATTENDING},
        )


def attendance_next(link) -> str | None:
    """Where signing in leads when an attendance link cannot act: the session's page."""
    with workspace_scope(link.person.workspace):
        invitation, _answer = services.invitation_from_target(link.target, link.person)
        return invitation.session.get_absolute_url() if invitation else None
