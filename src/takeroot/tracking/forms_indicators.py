"""The form that adds or changes an indicator. Thresholds of percentage indicators are typed as
percentages (80) and stored as shares (0.8), like the values they are compared with."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import Cadence, Category
from .formula import input_meanings, validate_formula
from .indicators.services import DEFAULT_FIELDS, UNITS
from .models import Indicator


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    formula = forms.CharField(
        label=_("Formula"),
        max_length=500,
        help_text=_(
            "For example mean(attendance) or sum(time_online) / people / weeks. Use mean(), sum() or count() of an "
            "input, weeks (in the period), people (in the group), numbers, + − * / and brackets; min(a, b) and "
            "max(a, b)."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off", "class": "code-input"}),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=list(UNITS.items()), required=False)
    threshold = forms.FloatField(
        label=_("Threshold"),
        help_text=_("The target: for a percentage type 80 for 80 %. Within 10 % of it the light is amber."),
    )
    higher_is_better = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)
    cadence = forms.ChoiceField(label=_("Read"), choices=Cadence.choices)

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs):
        self.indicator = indicator
        if indicator is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": indicator.name,
                "category": indicator.category,
                "formula": indicator.formula,
                "unit": indicator.unit,
                "threshold": indicator.threshold * 100 if indicator.unit == "%" else indicator.threshold,
                "higher_is_better": indicator.higher_is_better,
                "cadence": indicator.cadence,
            }
        super().__init__(*args, **kwargs)
        if indicator is not None and indicator.is_default:
            # Seed 001's indicators mean the same everywhere: only the target and rhythm change.
            for name, field in self.fields.items():
                field.disabled = name not in DEFAULT_FIELDS

    @property
    def inputs(self) -> list[tuple[str, str, str]]:
        return input_meanings()

    def clean_formula(self) -> str:
        formula = " ".join(self.cleaned_data["formula"].split())
        try:
            validate_formula(formula)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return formula

    def indicator_fields(self) -> dict:
        """The cleaned values as the services take them (a percentage threshold as a share)."""
        values = dict(self.cleaned_data)
        if values.get("unit") == "%" and values.get("threshold") is not None:
            values["threshold"] = values["threshold"] / 100
        if self.indicator is not None and self.indicator.is_default:
            values = {name: values[name] for name in DEFAULT_FIELDS}
        return values
