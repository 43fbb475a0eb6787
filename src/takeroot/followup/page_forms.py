"""The input boundary of the timeline, people and delivery-settings pages: filtering a cohort's
touchpoints, pausing a person's follow-up and the workspace's delivery settings."""

import datetime

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from takeroot.core.models import Person

from .enums import WebhookFormat
from .models import DeliverySettings
from .queries import STATE_ORDER, overlapping_hold


class TouchpointFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    person = forms.ChoiceField(label=_("Person"), required=False)

    def __init__(self, *args, people: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", pgettext_lazy("touchpoint states", "All"))] + [
            (state.value, state.label) for state in STATE_ORDER
        ]
        self.fields["person"].choices = [("", pgettext_lazy("people", "Everyone"))] + [
            (str(p.uuid), p.user.name) for p in people
        ]

    def filter(self, touchpoints):
        if not self.is_valid():
            return touchpoints
        if self.cleaned_data["state"]:
            touchpoints = touchpoints.filter(state=self.cleaned_data["state"])
        if self.cleaned_data["person"]:
            touchpoints = touchpoints.filter(recipient__uuid=self.cleaned_data["person"])
        return touchpoints


class HoldForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("For example: vacation, parental leave. Visible to you, your line manager and admins."),
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add_error("ends_on", _("The pause must end on or after the day it starts."))
            elif (found := overlapping_hold(self.person, starts_on, ends_on)) is not None:
                self.add_error(
                    None,
                    _("This overlaps the pause from %(start)s to %(end)s. Change that one or choose other days.")
                    % {"start": found.starts_on.isoformat(), "end": found.ends_on.isoformat()},
                )
        return data


WEEKDAY_CHOICES = [(str(day), WEEKDAYS[day]) for day in range(7)]


class DeliverySettingsForm(forms.Form):
    working_days = forms.MultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one working day.")},
        help_text=_("Follow-up due on another day moves to the next working day."),
    )
    holidays = forms.CharField(
        label=_("Holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One date per line, written as YYYY-MM-DD, for example 2026-12-24."),
    )
    quiet_start = forms.TimeField(label=_("Quiet hours start"), widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(
        label=_("Quiet hours end"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Nothing is sent between these times in the recipient's time zone."),
    )
    link_days = forms.IntegerField(label=_("One-click links expire after (days)"), min_value=1, max_value=90)
    webhook_url = forms.URLField(
        label=_("Webhook address"),
        required=False,
        assume_scheme="https",
        help_text=_("Leave empty to send follow-up by mail only."),
    )
    webhook_format = forms.ChoiceField(label=_("Webhook format"), choices=WebhookFormat.choices)

    @classmethod
    def initial_from(cls, settings: DeliverySettings) -> dict:
        return {
            "working_days": [str(day) for day in settings.working_days],
            "holidays": "\n".join(settings.holidays),
            "quiet_start": settings.quiet_start,
            "quiet_end": settings.quiet_end,
            "link_days": settings.link_days,
            "webhook_url": settings.webhook_url,
            "webhook_format": settings.webhook_format,
        }

    def clean_working_days(self) -> list[int]:
        return sorted(int(day) for day in self.cleaned_data["working_days"])

    def clean_holidays(self) -> list[datetime.date]:
        days, problems = [], []
        for number, line in enumerate(self.cleaned_data["holidays"].splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            try:
                days.append(datetime.date.fromisoformat(text))
            except ValueError:
                problems.append(
                    _("Line %(number)s: “%(text)s” is not a date; write it as YYYY-MM-DD.")
                    % {"number": number, "text": text}
                )
        if problems:
            raise forms.ValidationError(problems)
        return days

    def values(self) -> dict:
        return dict(self.cleaned_data)
