"""The forms of the learning-data pages: naming a connection, mapping an actor to a person, an
activity to a module, and saying what a verb counts as. They validate what was typed; the
services in ``connections`` save it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, Workspace
from takeroot.programmes.models import Module

from .enums import Input
from .mapping import VERB_INPUTS

DEFAULT = "default"
IGNORE = "ignore"


class ConnectionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("Which LMS sends through this connection, e.g. “Moodle (sales academy)”."),
    )


class ActorMappingForm(forms.Form):
    """One unmatched actor: the person is named by an email of the workspace (the page offers
    the workspace's people as suggestions)."""

    actor_key = forms.CharField(widget=forms.HiddenInput, max_length=512)
    email = forms.EmailField(
        label=_("Email of the person"),
        max_length=254,
        widget=forms.EmailInput(attrs={"list": "people-emails", "autocomplete": "off"}),
    )

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        person = Person.objects.filter(workspace=self.workspace, user__email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(_("Nobody in this workspace has this email."))
        self.cleaned_data["person"] = person
        return email


def module_choices(workspace: Workspace) -> list:
    """The workspace's modules grouped by programme, for a select."""
    groups: dict[str, list] = {}
    modules = Module.objects.filter(workspace=workspace).select_related("programme")
    for module in modules.order_by("programme__name", "programme_id", "position", "pk"):
        groups.setdefault(module.programme.name, []).append((str(module.uuid), module.title))
    return [("", _("Choose a module")), *groups.items()]


class ActivityMappingForm(forms.Form):
    activity = forms.CharField(widget=forms.HiddenInput, max_length=2048)
    module = forms.ChoiceField(label=_("Module"))

    def __init__(self, *args, workspace: Workspace, choices: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["module"].choices = choices if choices is not None else module_choices(workspace)

    def clean_module(self) -> Module:
        module = Module.objects.filter(workspace=self.workspace, uuid=self.cleaned_data["module"]).first()
        if module is None:
            raise forms.ValidationError(_("Choose a module of one of this workspace's programmes."))
        return module


def counts_as_choices() -> list:
    return [
        (DEFAULT, _("The default")),
        (IGNORE, _("Ignore these statements")),
        *[(str(choice), choice.label) for choice in VERB_INPUTS],
    ]


class VerbForm(forms.Form):
    """What a verb counts as. On the verbs page the verb is fixed (hidden); the form at the end
    of the page takes any verb's IRI."""

    verb = forms.CharField(label=_("Verb id"), max_length=2048, help_text=_("An IRI, as the statements send it."))
    counts_as = forms.ChoiceField(label=_("Counts as"), choices=counts_as_choices)

    def __init__(self, *args, fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed:
            self.fields["verb"].widget = forms.HiddenInput()

    def clean_verb(self) -> str:
        verb = self.cleaned_data["verb"].strip()
        if ":" not in verb or " " in verb:
            raise forms.ValidationError(
                _("Write the verb's id, an IRI such as http://adlnet.gov/expapi/verbs/attended.")
            )
        return verb

    @property
    def input(self) -> str | None:
        """The service's reading: None for the default, ``""`` to ignore, else an input."""
        chosen = self.cleaned_data["counts_as"]
        return {DEFAULT: None, IGNORE: ""}.get(chosen, chosen)

    @staticmethod
    def initial_choice(override: str | None) -> str:
        if override is None:
            return DEFAULT
        return IGNORE if override == "" else str(Input(override))
