"""The forms of the learner's and the responders' ticket pages: raising a ticket, answering,
messages and internal notes, reassigning. They validate input; the services save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person
from takeroot.practice.forms import MultipleFileField
from takeroot.programmes.models import Module

from .enums import Category
from .models import Ticket

FILES_HELP = _("Up to 5 files of at most 10 MB each: PDF, DOCX, XLSX, PPTX, PNG, JPG or TXT.")


class ModuleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Module) -> str:
        return f"{obj.programme.name} · {obj.title}"


class RaiseForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices, widget=forms.RadioSelect)
    module = ModuleChoice(
        label=_("Module"),
        queryset=Module.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Not about one module"),
        help_text=_("The module of your programme it concerns, if any."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Your question or problem"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Describe what you need; the more precise, the faster the answer."),
    )
    files = MultipleFileField(label=_("Attachments"), required=False, help_text=FILES_HELP)

    def __init__(self, *args, modules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules if modules is not None else Module.objects.none()


class ReplyForm(forms.Form):
    """A responder's answer, message or internal note (``kind``), or the learner's message."""

    ANSWER, MESSAGE, NOTE = "answer", "message", "note"

    body = forms.CharField(label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(label=_("Attachments"), required=False, help_text=FILES_HELP)

    def __init__(self, *args, kind: str = MESSAGE, **kwargs):
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.kind = kind
        labels = {self.ANSWER: _("Your answer"), self.MESSAGE: _("Message"), self.NOTE: _("Internal note")}
        self.fields["body"].label = labels[kind]
        if kind == self.NOTE:
            self.fields["body"].help_text = _("Only the people answering tickets see it; never the learner.")
            self.fields["body"].widget.attrs["rows"] = 3


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.user.name or obj.user.email} ({', '.join(obj.role_labels)})"


class ReassignForm(forms.Form):
    owner = PersonChoice(label=_("Pass to"), queryset=Person.objects.none(), to_field_name="uuid")

    def __init__(self, *args, people=None, ticket: Ticket | None = None, **kwargs):
        kwargs.setdefault("prefix", "reassign")
        super().__init__(*args, **kwargs)
        queryset = people if people is not None else Person.objects.none()
        if ticket is not None and ticket.owner_id:
            queryset = queryset.exclude(pk=ticket.owner_id)
        self.fields["owner"].queryset = queryset
