"""The input boundary of the win pages. Forms check the shape; services check the meaning."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person
from takeroot.plans.models import ActionGoal

from .enums import Sharing


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.user.name


class MarkWinForm(forms.Form):
    person = PersonChoiceField(Person.objects.none(), label=_("Participant"), to_field_name="uuid")
    title = forms.CharField(label=_("What did they achieve?"), max_length=300)
    story = forms.CharField(
        label=_("The story"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened and why it matters. The participant decides whether it is shared."),
    )
    goal = forms.ChoiceField(label=_("Goal of their action plan"), required=False)

    def __init__(self, *args, people=None, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.goals = {str(goal.uuid): goal for goal in (goals if goals is not None else ActionGoal.objects.none())}
        grouped: dict[str, list] = {}
        for key, goal in self.goals.items():
            grouped.setdefault(goal.plan.enrolment.person.user.name, []).append((key, goal.title))
        self.fields["goal"].choices = [("", _("No goal")), *grouped.items()]
        self.fields["goal"].help_text = _("Optional. Only a goal of the chosen participant's plan fits.")

    def clean_goal(self):
        key = self.cleaned_data.get("goal")
        return self.goals.get(key) if key else None


class SharingForm(forms.Form):
    sharing = forms.ChoiceField(
        label=_("Who may see this win?"),
        choices=[
            (Sharing.SHARED, _("Share it with the organisation")),
            (Sharing.PRIVATE, _("Keep it private")),
        ],
        widget=forms.RadioSelect,
    )


class FeedFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        None, label=_("Team"), required=False, to_field_name="uuid", empty_label=_("All teams")
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class DigestMonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=_("The month whose shared wins the digest shows."),
    )

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("Choose this month or an earlier one."))
        return month


class DigestForm(forms.Form):
    """The introduction and, per entry, include, order, title and story."""

    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words at the top of the mail and the newsletter."),
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        for entry in self.entries:
            key = str(entry.uuid)
            self.fields[f"{key}-included"] = forms.BooleanField(
                label=_("Include"), required=False, initial=entry.included
            )
            self.fields[f"{key}-position"] = forms.IntegerField(
                label=_("Order"), min_value=1, max_value=999, initial=entry.position
            )
            self.fields[f"{key}-title"] = forms.CharField(
                label=_("Title"), max_length=300, required=False, initial=entry.title
            )
            self.fields[f"{key}-story"] = forms.CharField(
                label=_("Story"), required=False, initial=entry.story, widget=forms.Textarea(attrs={"rows": 3})
            )

    def rows(self):
        """Per entry: the entry and its four bound fields."""
        return [
            (entry, [self[f"{entry.uuid}-{name}"] for name in ("included", "position", "title", "story")])
            for entry in self.entries
        ]

    def entry_values(self) -> dict:
        data = self.cleaned_data
        return {
            str(entry.uuid): {
                name: data.get(f"{entry.uuid}-{name}") for name in ("included", "position", "title", "story")
            }
            for entry in self.entries
        }
