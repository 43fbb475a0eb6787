"""The input boundary of the follow-up design pages: a step with its content per language, and
the choice of the participant a preview is shown for."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .designs import PLACEHOLDERS, STEP_FIELDS
from .enums import Anchor, Audience, Channel, MaterialKind, StepKind
from .models import Step

TEXT_FIELDS = ("subject", "body", "checklist")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _number(label, *, help_text="", min_value=None, max_value=None):
    return forms.IntegerField(
        label=label, required=False, min_value=min_value, max_value=max_value, help_text=help_text
    )


class InstrumentField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.programme_id:
            return f"{obj.title} ({obj.programme.name})"
        return obj.title


def _instruments(design=None):
    """The questionnaires a survey step may send: the workspace's and the design's programme's,
    not archived (in a request, the workspace scope keeps out every other workspace's)."""
    from takeroot.surveys.models import Instrument

    found = Instrument.objects.filter(archived=False).select_related("programme").order_by("programme__name", "pk")
    if design is not None:
        found = found.filter(workspace_id=design.workspace_id).filter(
            Q(programme__isnull=True) | Q(programme_id=design.programme_id)
        )
    return found


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of step"), choices=StepKind.choices)
    audience = forms.ChoiceField(label=_("To whom"), choices=Audience.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    anchor = forms.ChoiceField(label=_("Days count from"), choices=Anchor.choices, initial=Anchor.LAST_SESSION)
    offset_days = forms.IntegerField(
        label=_("Day"),
        min_value=-365,
        max_value=730,
        initial=1,
        help_text=_("Days after that date; a negative number is before it."),
    )
    send_at = forms.TimeField(
        label=_("Local time of day"),
        widget=TimeInput(),
        initial="09:00",
        help_text=_("In each recipient's own time zone."),
    )
    repeat_every_days = _number(
        _("Repeat every (days)"),
        min_value=1,
        max_value=90,
        help_text=_(
            "Check-in reminders and quiz rounds only. Leave empty to follow each participant's check-in cadence."
        ),
    )
    repeat_for_days = _number(
        _("Keep repeating for (days)"),
        min_value=0,
        max_value=730,
        help_text=_("Check-in reminders and quiz rounds only."),
    )
    material_kind = forms.ChoiceField(
        label=_("Kind of material"),
        choices=[("", _("Not material")), *MaterialKind.choices],
        required=False,
        help_text=_("Reminder material only."),
    )
    material_url = forms.URLField(
        label=_("Video or document link"), required=False, help_text=_("Needed for a video or a document.")
    )
    if_no_check_in_days = _number(
        _("Only if no check-in in the last (days)"),
        min_value=1,
        max_value=365,
        help_text=_("Leave empty to send whatever the check-ins."),
    )
    if_quiz_score_below = _number(
        _("Only if the last quiz score was below (%)"),
        min_value=1,
        max_value=100,
        help_text=_(
            "The share of right answers in the participant's last answered quiz round. "
            "Leave empty to send whatever the score."
        ),
    )
    only_if_plan_not_approved = forms.BooleanField(label=_("Only if the action plan is not approved"), required=False)
    stop_when_plan_done = forms.BooleanField(
        label=_("Stop when every goal of the plan is reached"), required=False, initial=True
    )
    essential = forms.BooleanField(
        label=_("Essential to the programme"),
        required=False,
        help_text=_("Essential messages are sent even to people who unsubscribed from optional mail."),
    )
    instrument = InstrumentField(
        queryset=None,
        label=_("Questionnaire"),
        required=False,
        to_field_name="uuid",
        empty_label=_("No questionnaire"),
        help_text=_(
            "Survey steps only: the questionnaire sent. Each cohort gets one survey of the step, "
            "open for 14 days from its first message."
        ),
    )

    SETTINGS = ("kind", "audience", "channel", "anchor", "offset_days", "send_at")
    REPEAT = ("repeat_every_days", "repeat_for_days")
    MATERIAL = ("material_kind", "material_url")
    CONDITIONS = (
        "if_no_check_in_days",
        "if_quiz_score_below",
        "only_if_plan_not_approved",
        "stop_when_plan_done",
        "essential",
    )

    SURVEY = ("instrument",)

    def __init__(self, *args, step: Step | None = None, design=None, **kwargs):
        if step is not None:
            initial = {name: getattr(step, name) for name in STEP_FIELDS if name != "content"}
            for code, _name in settings.LANGUAGES:
                text = step.content.get(code) or {}
                initial[f"subject_{code}"] = text.get("subject", "")
                initial[f"body_{code}"] = text.get("body", "")
                initial[f"checklist_{code}"] = "\n".join(text.get("checklist") or [])
            kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = _instruments(design or (step.design if step is not None else None))
        for code, _name in settings.LANGUAGES:
            self.fields[f"subject_{code}"] = forms.CharField(label=_("Subject"), max_length=300, required=False)
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), required=False
            )
            self.fields[f"checklist_{code}"] = forms.CharField(
                label=_("Checklist or agenda"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                help_text=_("One item per line."),
            )
            for field in TEXT_FIELDS:
                self.fields[f"{field}_{code}"].widget.attrs["lang"] = code

    def groups(self) -> list[tuple[str, list]]:
        """The non-language fields in fieldsets: (legend, bound fields)."""
        return [
            (_("When and to whom"), [self[name] for name in self.SETTINGS]),
            (_("Repeating"), [self[name] for name in self.REPEAT]),
            (_("Material"), [self[name] for name in self.MATERIAL]),
            (_("Survey"), [self[name] for name in self.SURVEY]),
            (_("Conditions"), [self[name] for name in self.CONDITIONS]),
        ]

    def languages(self) -> list[tuple[str, str, list]]:
        """One fieldset per language: (code, name, bound fields)."""
        return [(code, name, [self[f"{field}_{code}"] for field in TEXT_FIELDS]) for code, name in settings.LANGUAGES]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in STEP_FIELDS if name in data}
        fields["content"] = {
            code: {
                "subject": data[f"subject_{code}"],
                "body": data[f"body_{code}"],
                "checklist": data[f"checklist_{code}"].splitlines(),
            }
            for code, _name in settings.LANGUAGES
        }
        return fields


def placeholders() -> list[tuple[str, str]]:
    """The placeholders a step's texts may use, with what each becomes."""
    meaning = {
        "name": _("the recipient's name"),
        "programme": _("the programme's name"),
        "plan_link": _("a link to the participant's action plan"),
        "goal": _("the participant's first goal"),
        "check_in_link": _("a one-click link to check in"),
        "participant": _("the participant's name (in mail to their manager, mentor or trainer)"),
    }
    return [("{" + name + "}", meaning[name]) for name in PLACEHOLDERS]


class PreviewForm(forms.Form):
    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    enrolment = forms.ChoiceField(label=_("Participant"), required=False)

    def __init__(self, *args, cohorts, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [(str(c.uuid), c.name) for c in cohorts]
        self.fields["enrolment"].choices = [(str(e.uuid), e.person.user.name) for e in enrolments]
