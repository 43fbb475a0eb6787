"""The input boundary of the at-risk and problem-finder pages: each form validates and a service
saves (its refusals shown next to the field they name)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import InterventionKind
from .models import TrackingSettings


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was done"), choices=InterventionKind.choices, widget=forms.RadioSelect)
    new_deadline = forms.DateField(
        label=_("New deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only when a deadline was extended."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    resolve = forms.BooleanField(label=_("Resolve the flag: the participant is back on track"), required=False)


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why is it dismissed?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class DesignChangeForm(forms.Form):
    description = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("For example: added a hands-on case workshop to module 3."),
    )
    finding = forms.ModelChoiceField(label=_("In answer to the finding"), queryset=None, required=False)
    module = forms.ModelChoiceField(label=_("Module"), queryset=None, required=False)
    before_cohort = forms.ModelChoiceField(label=_("Cohort before the change"), queryset=None, required=False)
    after_cohort = forms.ModelChoiceField(label=_("First cohort with the change"), queryset=None, required=False)

    def __init__(self, *args, programme, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = findings
        self.fields["finding"].label_from_instance = _finding_label
        self.fields["module"].queryset = programme.modules.all()
        cohorts = programme.cohorts.order_by("starts_on", "name")
        self.fields["before_cohort"].queryset = cohorts
        self.fields["after_cohort"].queryset = cohorts
        for name in ("before_cohort", "after_cohort"):
            self.fields[name].label_from_instance = lambda cohort: cohort.name


def _finding_label(finding) -> str:
    where = finding.cohort.name if finding.cohort_id else _("whole programme")
    what = finding.module.title if finding.module_id else finding.subject
    return f"{finding.get_kind_display()} · {where}" + (f" · {what}" if what else "")


class TrackingSettingsForm(forms.ModelForm):
    class Meta:
        model = TrackingSettings
        fields = ["notify_managers", "engagement_drop_percent", "missed_check_ins", "score_drop_points"]
