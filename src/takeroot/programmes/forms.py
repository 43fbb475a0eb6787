"""The input boundary of the programme pages; views hand cleaned data to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, Team, Workspace

from .enums import ContentMatch, EnrolmentStatus, Pace
from .models import Cohort, Enrolment, Module, Programme, Session
from .services import ACCOMMODATION_FIELDS, PROGRAMME_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        # A date field always exchanges ISO dates with the browser, whatever the language.
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    objectives = forms.CharField(
        label=_("Learning objectives"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One per line, e.g. “Opens a difficult call with the customer's goal”."),
    )

    def __init__(self, *args, module: Module | None = None, **kwargs):
        if module is not None:
            kwargs.setdefault("initial", {}).update(
                title=module.title,
                description=module.description,
                objectives="\n".join(o.text for o in module.objectives.all()),
            )
        super().__init__(*args, **kwargs)

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "objectives": data["objectives"].splitlines(),
        }


class ProgrammeGoalForm(forms.Form):
    text = forms.CharField(
        label=_("Goal"),
        max_length=500,
        help_text=_("What will be different at work, e.g. “Customer satisfaction from 4.1 to 4.4”."),
    )
    organisation_goal = forms.CharField(label=_("Organisation or team goal it serves"), max_length=500, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("The whole organisation")
    )

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(workspace=workspace)


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the copy"), max_length=200)


def _staff(workspace: Workspace, field: str):
    return Person.objects.filter(workspace=workspace, **{field: True}).select_related("user")


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person.user.name


class CohortForm(forms.ModelForm):
    trainers = PersonChoices(
        label=_("Trainers"), queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    mentors = PersonChoices(
        label=_("Mentors"), queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "midpoint_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "midpoint_on": DateInput()}

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = _staff(workspace, "is_trainer")
        self.fields["mentors"].queryset = _staff(workspace, "is_mentor")
        if self.instance.pk:
            self.initial.setdefault("trainers", list(self.instance.trainers.all()))
            self.initial.setdefault("mentors", list(self.instance.mentors.all()))


class CohortCopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the new run"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())


class SessionForm(forms.ModelForm):
    # Declared here: a field made from the model would query modules before a workspace is chosen.
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none(), required=False)

    class Meta:
        model = Session
        fields = ["title", "module", "starts_at", "ends_at", "place", "online_link"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(programme=cohort.programme)
        self.fields["module"].empty_label = _("No particular module")


class EnrolForm(forms.Form):
    """Enrol one person by email or a whole team."""

    email = forms.EmailField(label=_("Email of a person"), required=False)
    team = forms.ModelChoiceField(
        label=_("or a whole team (with the teams inside it)"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("No team"),
    )

    def __init__(self, *args, workspace: Workspace, **kwargs):
        self.workspace = workspace
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(workspace=workspace)

    def clean(self):
        data = super().clean()
        email, team = data.get("email"), data.get("team")
        if not email and not team:
            raise forms.ValidationError(_("Give an email or choose a team."))
        if email:
            person = Person.objects.filter(workspace=self.workspace, user__email=email.lower()).first()
            if person is None:
                self.add_error("email", _("Nobody with this email is in the workspace."))
            data["person"] = person
        return data


class EnrolmentForm(forms.ModelForm):
    mentor = forms.ModelChoiceField(
        label=_("Mentor"), queryset=Person.objects.none(), required=False, empty_label=_("No mentor")
    )
    status = forms.ChoiceField(label=_("Status"), choices=EnrolmentStatus.choices)

    class Meta:
        model = Enrolment
        fields = ["status", "mentor", *ACCOMMODATION_FIELDS]
        widgets = {"accommodation_notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, workspace: Workspace, can_manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = _staff(workspace, "is_mentor")
        self.fields["mentor"].label_from_instance = lambda person: person.user.name
        if not can_manage:
            # A participant adjusts only their own accommodations.
            del self.fields["status"]
            del self.fields["mentor"]


class CohortGoalForm(forms.Form):
    text = forms.CharField(label=_("Propose a goal"), max_length=500)


class ReviewAnswerForm(forms.Form):
    content_match = forms.TypedChoiceField(
        label=_("Does the content match the work?"), choices=ContentMatch.choices, coerce=int, widget=forms.RadioSelect
    )
    pace = forms.ChoiceField(label=_("Is the pace right?"), choices=Pace.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReviewDecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("What changes for the rest of the cohort"), widget=forms.Textarea(attrs={"rows": 4})
    )


class EnrolmentImportForm(forms.Form):
    file = forms.FileField(label=_("Participants file (CSV or XLSX)"))
