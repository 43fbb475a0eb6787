"""The dashboards' filters, read from the query string by the pages, the exports and the API alike:
the period (the last 4, 8 or 12 weeks, the whole cohort or programme, or a custom from–to), and
where a dashboard offers them, a team and a programme."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from takeroot.core.models import Team
from takeroot.programmes.models import Programme

from .indicators import Period

LAST_WEEKS = (4, 8, 12)
WHOLE = "all"
CUSTOM = "custom"
LONGEST = 520  # weeks: ten years is more than any dashboard needs, and keeps a typo from scanning forever


class DashboardFilterForm(forms.Form):
    """``period`` is "4", "8", "12", "all" or "custom"; ``from`` and ``to`` (dates) make it custom
    when ``period`` is not given. Team and programme are offered only where the dashboard uses them."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every team"),
        to_field_name="uuid",
    )
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every programme"),
        to_field_name="uuid",
    )

    def __init__(
        self,
        data=None,
        *,
        whole_label: str,
        default: str,
        teams: QuerySet[Team] | None = None,
        programmes: QuerySet[Programme] | None = None,
    ):
        super().__init__(data)
        self.default = default
        self.fields["period"].choices = [
            *((str(weeks), _("Last %(weeks)s weeks") % {"weeks": weeks}) for weeks in LAST_WEEKS),
            (WHOLE, whole_label),
            (CUSTOM, _("From–to")),
        ]
        # "from" is a Python keyword: these two are added by name, so the query string says from= and to=.
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        if teams is None:
            del self.fields["team"]
        else:
            self.fields["team"].queryset = teams.order_by("name")
        if programmes is None:
            del self.fields["programme"]
        else:
            self.fields["programme"].queryset = programmes.order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if not data.get("period") and (start or end):
            data["period"] = CUSTOM
        if data.get("period") == CUSTOM:
            if start is None and "from" not in self.errors:
                self.add_error("from", _("Give the first day of the period."))
            if end is None and "to" not in self.errors:
                self.add_error("to", _("Give the last day of the period."))
            if start and end and end < start:
                self.add_error("to", _("The period ends on or after the day it starts."))
            if start and end and (end - start).days > LONGEST * 7:
                self.add_error("to", _("A period is at most ten years long."))
        return data

    def choice(self) -> str:
        """The period chosen, or the dashboard's default when the filters do not parse."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("period") or self.default
        return self.default

    def chosen_period(self, *, whole: Period, today: datetime.date) -> Period:
        """The period to show: the valid choice, else the default (the form shows what was wrong)."""
        choice = self.choice()
        if choice == CUSTOM:
            return Period.between(self.cleaned_data["from"], self.cleaned_data["to"])
        if choice == WHOLE:
            return whole
        return Period.last_weeks(int(choice), today=today)

    def value(self, name: str):
        """A valid team or programme filter; None when absent, not offered or not valid."""
        if name not in self.fields or not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data.get(name)

    def error_messages(self) -> dict[str, list[str]]:
        return {field: [str(message) for message in messages] for field, messages in self.errors.items()}
