"""The input boundary of the practice pages. Forms check the shape; services check the meaning."""

from django import forms
from django.utils.translation import gettext_lazy as _

from takeroot.programmes.models import Module

from .enums import Verdict
from .models import CohortPracticeSettings, PracticeTask

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CohortPracticeSettings
        fields = ["trainer_alone"]


class TaskForm(forms.ModelForm):
    module = forms.ModelChoiceField(Module.objects.none(), label=_("Module of the programme"), required=False)

    class Meta:
        model = PracticeTask
        fields = ["title", "instructions", "due_on", "module"]
        widgets = {"due_on": DATE, "instructions": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "instructions": _(
                "What to do at work and what to report, e.g. “Use the new technique with 3 key clients, "
                "then write what happened”."
            )
        }

    def __init__(self, *args, modules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules if modules is not None else Module.objects.none()


class AssignForm(forms.Form):
    WHOLE, CHOSEN = "cohort", "chosen"
    to = forms.ChoiceField(
        label=_("Assign to"),
        choices=[(WHOLE, _("Everyone in the cohort")), (CHOSEN, _("The people chosen below"))],
        widget=forms.RadioSelect,
        initial=WHOLE,
    )
    enrolments = forms.MultipleChoiceField(
        label=_("People"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.by_uuid = {str(e.uuid): e for e in enrolments}
        self.fields["enrolments"].choices = [(str(e.uuid), e.person.user.name) for e in enrolments]

    def chosen(self):
        """``None`` for the whole cohort, else the chosen enrolments."""
        if self.cleaned_data["to"] == self.WHOLE:
            return None
        return [self.by_uuid[key] for key in self.cleaned_data["enrolments"]]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.txt"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Your report"), widget=forms.Textarea(attrs={"rows": 8}))
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("Up to 5 files of at most 10 MB each: PDF, DOCX, XLSX, PPTX, PNG, JPG or TXT."),
    )


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you ask for more work."),
    )
