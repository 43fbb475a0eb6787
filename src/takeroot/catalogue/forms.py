"""The input boundary of the catalogue pages."""

from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person, Team, Workspace
from takeroot.programmes.models import Programme

from .models import Initiative

ROW_FIELDS = ["title", "kind", "starts_on", "ends_on", "head_count", "cost", "currency", "provider"]
# Taken from the programme when an initiative is linked to one.
FROM_PROGRAMME = ["starts_on", "ends_on", "head_count", "cost", "currency"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        # A date field always exchanges ISO dates with the browser, whatever the language.
        super().__init__(format="%Y-%m-%d", **kwargs)


class InitiativeRowForm(forms.ModelForm):
    """One row of the editable catalogue table."""

    class Meta:
        model = Initiative
        fields = ROW_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "currency": forms.TextInput(attrs={"size": 4, "maxlength": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.programme_id:
            for name in FROM_PROGRAMME:
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("An initiative must end on or after the day it starts."))
        return data


InitiativeTable = modelformset_factory(Initiative, form=InitiativeRowForm, extra=3, can_delete=False)


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person.user.name


class InitiativeForm(forms.ModelForm):
    """Everything about one initiative, including its audience and the Takeroot programme."""

    programme = forms.ModelChoiceField(
        label=_("Takeroot programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("Not run in Takeroot"),
        help_text=_("When linked, dates, people and cost come from the programme."),
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"), queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    people = PersonChoices(
        label=_("People"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Initiative
        fields = [
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "provider",
            "goals",
            "head_count",
            "cost",
            "currency",
            "programme",
            "teams",
            "people",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "goals": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(workspace=workspace)
        self.fields["teams"].queryset = Team.objects.filter(workspace=workspace)
        self.fields["people"].queryset = Person.objects.filter(workspace=workspace).select_related("user")
        if self.instance.pk:
            self.initial.setdefault("teams", list(self.instance.teams.all()))
            self.initial.setdefault("people", list(self.instance.people.all()))
