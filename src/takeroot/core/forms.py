"""The input boundary for pages: each form validates and a view hands its data to a service."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .enums import ApiScope, Language, Role
from .models import ROLE_FIELDS, Person, Team, User, Workspace, timezone_names
from .services import account_is_shared

ACCESSIBILITY_FIELDS = [
    "needs_screen_reader",
    "needs_captions",
    "needs_sign_language",
    "needs_extra_time",
    "accessibility_notes",
]


def timezone_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Time zone"), choices=[(tz, tz) for tz in ["UTC", *timezone_names()]])


class ProfileForm(forms.ModelForm):
    timezone = timezone_field()

    class Meta:
        model = User
        fields = ["name", "language", "timezone", *ACCESSIBILITY_FIELDS, "digest_frequency"]
        widgets = {"accessibility_notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "accessibility_notes": _("Anything else trainers and mentors should arrange for you."),
        }


class PersonForm(forms.Form):
    """An admin adds or edits someone in the workspace."""

    email = forms.EmailField(label=_("Email"))
    name = forms.CharField(label=_("Name"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )
    manager_email = forms.EmailField(
        label=_("Line manager's email"),
        required=False,
        help_text=_("Leave empty if this person has no line manager in Takeroot."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.EN)
    timezone = timezone_field()

    def __init__(self, *args, workspace: Workspace, person: Person | None = None, **kwargs):
        self.workspace, self.person = workspace, person
        if person is not None:
            kwargs.setdefault("initial", {}).update(
                email=person.user.email,
                name=person.user.name,
                job_title=person.job_title,
                team=person.team,
                manager_email=person.manager.user.email if person.manager else "",
                roles=person.roles,
                language=person.user.language,
                timezone=person.user.timezone,
            )
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(workspace=workspace)
        self.fields["timezone"].initial = self.fields["timezone"].initial or "Europe/Warsaw"
        if person is not None:
            # The email is the account's login; the person changes it themselves. So do people
            # who also belong to another organisation for everything that follows them there.
            self.fields["email"].disabled = True
            if account_is_shared(person):
                for name in ("name", "language", "timezone"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Set by the person in their profile: they also belong to another organisation."
                    )

    def clean_manager_email(self) -> Person | None:
        email = self.cleaned_data["manager_email"].strip().lower()
        if not email:
            return None
        manager = Person.objects.filter(workspace=self.workspace, user__email=email).select_related("user").first()
        if manager is None:
            raise forms.ValidationError(_("Nobody with this email is in the workspace."))
        return manager

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "name": data["name"],
            "job_title": data["job_title"],
            "team": data["team"],
            "manager": data["manager_email"],
            "language": data["language"],
            "timezone": data["timezone"],
        }
        fields.update({field: role in data["roles"] for role, field in ROLE_FIELDS.items()})
        return fields


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Part of"), queryset=Team.objects.none(), required=False, empty_label=_("Top level")
    )

    def __init__(self, *args, workspace: Workspace, team: Team | None = None, **kwargs):
        if team is not None:
            kwargs.setdefault("initial", {}).update(name=team.name, parent=team.parent)
        super().__init__(*args, **kwargs)
        parents = Team.objects.filter(workspace=workspace)
        if team is not None:
            parents = parents.exclude(pk=team.pk)
        self.fields["parent"].queryset = parents


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("Say which system uses the key, e.g. “HR system sync”.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Allowed"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )


class WorkspaceForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "require_admin_mfa"]


class InvitationForm(forms.ModelForm):
    """The invited person chooses their name, language, time zone and password."""

    timezone = timezone_field()
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    class Meta:
        model = User
        fields = ["name", "language", "timezone"]

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"], self.instance)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("People file (CSV or XLSX)"))
