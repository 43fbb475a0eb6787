"""The input boundary of the retrospective pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from takeroot.catalogue.models import Initiative
from takeroot.core.models import Person, Workspace

from .enums import RaterGroup, StuckLevel, WhyTag
from .models import Retrospective
from .services import COMMENT_MAX, OTHER_REASON_MAX


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        # A date field always exchanges ISO dates with the browser, whatever the language.
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person.user.name


class InitiativeChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, initiative):
        return initiative.title


class RetrospectiveForm(forms.Form):
    """Opening a retrospective (with its raters) or changing one (``with_raters=False``)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())
    introduction = forms.CharField(
        label=_("Message to the raters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown at the top of the rating page and in the invitation."),
    )
    initiatives = InitiativeChoices(
        label=_("Initiatives under review"),
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    invite_leadership = forms.BooleanField(
        label=_("Everyone who is an admin or line manager"), required=False, initial=True
    )
    more_people = PersonChoices(
        label=_("More people for the leadership group"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to pick several."),
    )
    invite_participants = forms.BooleanField(
        label=_("Also invite the participants of these initiatives"),
        required=False,
        help_text=_(
            "The people listed on them, the members of their teams and the participants of the linked "
            "programmes' cohorts in the period."
        ),
    )

    def __init__(self, *args, workspace: Workspace, with_raters: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].queryset = Initiative.objects.filter(workspace=workspace)
        if with_raters:
            self.fields["more_people"].queryset = (
                Person.objects.filter(workspace=workspace).select_related("user").order_by("user__name")
            )
        else:
            for name in ("invite_leadership", "more_people", "invite_participants"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after the day it starts."))
        return data

    @classmethod
    def initial_for(cls, retrospective: Retrospective) -> dict:
        return {
            "title": retrospective.title,
            "period_start": retrospective.period_start,
            "period_end": retrospective.period_end,
            "introduction": retrospective.introduction,
            "initiatives": list(retrospective.initiatives.values_list("pk", flat=True)),
        }


class RaterAddForm(forms.Form):
    people = PersonChoices(
        label=_("People"),
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to pick several."),
    )
    group = forms.ChoiceField(
        label=_("Group"), choices=RaterGroup.choices, initial=RaterGroup.LEADERSHIP, widget=forms.RadioSelect
    )

    def __init__(self, *args, retrospective: Retrospective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = (
            Person.objects.filter(workspace_id=retrospective.workspace_id)
            .exclude(pk__in=retrospective.raters.values("person_id"))
            .select_related("user")
            .order_by("user__name")
        )


class IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, initiative):
        return initiative.title


class IndicatorForm(forms.Form):
    initiative = IndicatorChoice(label=_("Initiative"), queryset=Initiative.objects.none())
    name = forms.CharField(
        label=_("Indicator"), max_length=200, help_text=_("For example: customer complaints per month")
    )
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    source = forms.CharField(label=_("Source"), max_length=300, help_text=_("For example: CRM report Q3"))

    def __init__(self, *args, retrospective: Retrospective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = retrospective.initiatives.order_by("title")


class RatingForm(forms.Form):
    """One initiative on the rating page; "I don't know it" is the empty level."""

    level = forms.TypedChoiceField(
        label=_("Did it stick?"),
        choices=[("", _("I don't know it")), *StuckLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    reasons = forms.MultipleChoiceField(
        label=_("Why?"), choices=WhyTag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_reason = forms.CharField(label=_("Other reason"), max_length=OTHER_REASON_MAX, required=False)
    repeat = forms.BooleanField(label=_("I would repeat it"), required=False)
    comment = forms.CharField(
        label=_("Comment"), max_length=COMMENT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.fields["level"].initial = ""

    def clean(self):
        data = super().clean()
        other = WhyTag.OTHER in (data.get("reasons") or [])
        if data.get("level") is not None and other and not (data.get("other_reason") or "").strip():
            self.add_error("other_reason", _("Say what the other reason is."))
        return data

    def answer(self) -> dict | None:
        """What ``services.save_ratings`` takes for this initiative."""
        data = self.cleaned_data
        if data.get("level") is None:
            return None
        return {field: data.get(field) for field in ("level", "reasons", "other_reason", "repeat", "comment")}

    @staticmethod
    def initial_from(rating) -> dict:
        if rating is None:
            return {"level": ""}
        return {
            "level": rating.level,
            "reasons": rating.reasons,
            "other_reason": rating.other_reason,
            "repeat": rating.repeat,
            "comment": rating.comment,
        }
