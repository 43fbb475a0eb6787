"""The input boundary of the plan pages. Forms validate; the views call the services to save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from takeroot.catalogue.enums import InitiativeKind
from takeroot.catalogue.forms import DateInput
from takeroot.catalogue.models import Initiative
from takeroot.core.models import Team, timezone_names

from .enums import PlannedStatus, Recurrence, Weekday
from .models import FIRST_YEAR, LAST_YEAR, CompetencePlan, LearningTimeBlock, PlanGoal, PlannedInitiative


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _timezone_choices():
    return [(name, name) for name in ["UTC", *timezone_names()]]


class PlanForm(forms.ModelForm):
    """A new plan: the team, the year, the time zone of its learning time, and a summary."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_timezone_choices,
        help_text=_("Learning time blocks are at these local times, across daylight saving."),
    )
    copy_previous = forms.BooleanField(
        label=_("Start from the team's plan of the year before, if there is one"),
        required=False,
        help_text=_("Copies the goals, the initiatives still planned and the learning time."),
    )

    class Meta:
        model = CompetencePlan
        fields = ["team", "year", "timezone", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if self.instance.pk:
            # Team and year name the plan; a different year is a new plan.
            del self.fields["team"], self.fields["year"], self.fields["copy_previous"]

    def _post_clean(self):
        # The service checks the plan (one per team and year, a known time zone) and says what is
        # wrong in words ("… already has a plan for 2026").
        pass


class GoalForm(forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"description": _("What the team will do differently, and how you will see it.")}


class InitiativeChoice(forms.ModelChoiceField):
    def label_from_instance(self, initiative):
        when = f" ({initiative.starts_on:%Y})" if initiative.starts_on else ""
        return f"{initiative.title}{when}"


class PlannedInitiativeForm(forms.Form):
    """Plan an initiative for a goal: one of the catalogue, or a new one added to the catalogue."""

    goal = forms.ModelChoiceField(label=_("Goal it serves"), queryset=PlanGoal.objects.none())
    initiative = InitiativeChoice(
        label=_("From the catalogue"),
        queryset=Initiative.objects.none(),
        required=False,
        empty_label=_("— a new initiative (below) —"),
    )
    new_title = forms.CharField(
        label=_("Or a new initiative: title"),
        max_length=300,
        required=False,
        help_text=_("It is added to the catalogue with this team as its audience."),
    )
    new_kind = forms.ChoiceField(label=_("Type of the new initiative"), choices=InitiativeKind.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=PlannedStatus.choices, initial=PlannedStatus.PLANNED)
    planned_hours = forms.DecimalField(
        label=_("Planned hours per person"), required=False, min_value=0, max_value=9999, decimal_places=2
    )

    def __init__(self, *args, plan: CompetencePlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.all()
        self.fields["initiative"].queryset = Initiative.objects.filter(workspace_id=plan.workspace_id).order_by(
            "title", "pk"
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("initiative") and data.get("new_title"):
            self.add_error(
                "new_title", _("Choose an initiative from the catalogue or give the title of a new one, not both.")
            )
        elif not data.get("initiative") and not (data.get("new_title") or "").strip():
            self.add_error("initiative", _("Choose an initiative from the catalogue or give the title of a new one."))
        return data


class PlannedInitiativeEditForm(forms.ModelForm):
    goal = forms.ModelChoiceField(label=_("Goal it serves"), queryset=PlanGoal.objects.none(), empty_label=None)

    class Meta:
        model = PlannedInitiative
        fields = ["goal", "status", "planned_hours"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = self.instance.plan.goals.all()


class BlockForm(forms.ModelForm):
    weekday = forms.TypedChoiceField(label=_("Day of the week"), choices=Weekday.choices, coerce=int)
    every_weeks = forms.TypedChoiceField(label=_("Repeats"), choices=Recurrence.choices, coerce=int)

    class Meta:
        model = LearningTimeBlock
        fields = ["title", "weekday", "starts_at", "ends_at", "every_weeks", "starts_on", "ends_on"]
        widgets = {
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }
        help_texts = {"starts_on": _("Within the plan's year."), "ends_on": _("Within the plan's year.")}

    def __init__(self, *args, plan: CompetencePlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if not self.instance.pk:
            self.initial.setdefault("starts_on", plan.first_day)
            self.initial.setdefault("ends_on", plan.last_day)

    def _post_clean(self):
        # The service checks the block against its plan and says what is wrong in words.
        pass
