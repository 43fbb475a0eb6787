"""The input boundary of the plan pages. Forms check the shape; services check the meaning."""

from django import forms
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person
from takeroot.programmes.models import LearningObjective

from .enums import CheckInStatus, GoalKind
from .models import ActionGoal, ActionPlan, ActionTask
from .services import value_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CONFIDENCE = [(n, str(n)) for n in range(1, 6)]


class PlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["cadence_days", "private_notes"]
        widgets = {"private_notes": forms.Textarea(attrs={"rows": 4})}


class GoalForm(forms.ModelForm):
    objective = forms.ModelChoiceField(
        LearningObjective.objects.none(), label=_("Learning objective it serves"), required=False
    )

    class Meta:
        model = ActionGoal
        fields = ["kind", "title", "metric", "unit", "baseline", "target", "deadline", "objective"]
        widgets = {"kind": forms.RadioSelect, "deadline": DATE}
        help_texts = {
            "metric": _("For a measured goal, e.g. “release lead time”."),
            "unit": _("e.g. days, %, calls a week."),
            "baseline": _("The value today; for a self-rating, 1 to 10."),
            "target": _("The value you aim for by the deadline."),
        }

    def __init__(self, *args, objectives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives if objectives is not None else LearningObjective.objects.none()
        self.fields["kind"].initial = GoalKind.NUMERIC


class TaskForm(forms.ModelForm):
    done = forms.BooleanField(label=_("Done"), required=False)

    class Meta:
        model = ActionTask
        fields = ["title", "due_on"]
        widgets = {"due_on": DATE}


class CheckInForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CheckInStatus.choices, widget=forms.RadioSelect)
    confidence = forms.TypedChoiceField(
        label=_("How confident are you that you will reach your goals?"),
        choices=CONFIDENCE,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 not at all, 5 very."),
    )
    changed_work = forms.CharField(
        label=_("How has it changed your daily work?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    obstacles = forms.CharField(
        label=_("What got in the way?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    support_needed = forms.CharField(
        label=_("What support do you need?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your manager or trainer is asked to answer."),
    )

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            label = goal.title
            if goal.is_rating:
                help_text = _("Your self-rating today, 1 to 10 (target %(target)s).") % {
                    "target": goal.target.normalize()
                }
            else:
                help_text = _("%(metric)s today, in %(unit)s (baseline %(baseline)s, target %(target)s).") % {
                    "metric": goal.metric,
                    "unit": goal.unit or "—",
                    "baseline": goal.baseline.normalize(),
                    "target": goal.target.normalize(),
                }
            # A text field: the service says what is wrong with "about 9" instead of the browser.
            self.fields[value_field(goal)] = forms.CharField(
                label=label, required=False, help_text=help_text, widget=forms.TextInput(attrs={"inputmode": "decimal"})
            )

    def goal_fields(self):
        return [self[value_field(goal)] for goal in self.goals]

    def values(self) -> dict:
        return {str(goal.uuid): self.cleaned_data.get(value_field(goal), "") for goal in self.goals}


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you send the plan back."),
    )


class FeedbackForm(forms.Form):
    comment = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 3}))
    rating = forms.TypedChoiceField(
        label=_("Progress rating"),
        choices=[("", _("No rating")), *CONFIDENCE],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1 little progress, 5 excellent progress."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}))


class BuddyForm(forms.Form):
    buddy = forms.ModelChoiceField(
        Person.objects.none(),
        label=_("Accountability buddy"),
        required=False,
        empty_label=_("No buddy"),
        help_text=_("A colleague who sees your goals and progress (not your notes or check-ins) and cheers you on."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buddy"].queryset = candidates
        self.fields["buddy"].label_from_instance = lambda person: person.user.name


class CheerForm(forms.Form):
    goal = forms.ModelChoiceField(
        ActionGoal.objects.none(), label=_("For the goal"), required=False, empty_label=_("The whole plan")
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: a cheer without words is fine too."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = ActionGoal.objects.filter(plan=plan)
