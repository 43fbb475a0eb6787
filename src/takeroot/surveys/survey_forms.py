"""The input boundary of the survey pages: creating a survey, adding people, a new closing date.

The forms check the shape of the input; ``distribution`` checks that it makes sense (a closing
date in the future, a questionnaire that is not archived, people of the workspace) and the views
show its refusals next to the fields, keeping what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person
from takeroot.programmes.forms import DateTimeInput
from takeroot.programmes.models import Cohort

from .enums import Anonymity, RaterGroup
from .models import Instrument

COHORT = "cohort"
SUBJECT = "subject"


class InstrumentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Instrument) -> str:
        return f"{obj.title} ({obj.programme.name})" if obj.programme_id else obj.title


class CohortChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Cohort) -> str:
        return f"{obj.name} ({obj.programme.name})"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.user.name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.user.name


class SurveyCreateForm(forms.Form):
    instrument = InstrumentChoice(Instrument.objects.none(), label=_("Questionnaire"), to_field_name="uuid")
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("What recipients see in their invitation. Leave empty to use the questionnaire's title."),
    )
    audience = forms.ChoiceField(
        label=_("Who is asked"),
        widget=forms.RadioSelect,
        initial=COHORT,
        choices=[
            (COHORT, _("The participants of a cohort")),
            (SUBJECT, _("The raters of one person (360° or behaviour follow-up)")),
        ],
    )
    cohort = CohortChoice(Cohort.objects.none(), label=_("Cohort"), required=False, to_field_name="uuid")
    subject = PersonChoice(
        Person.objects.none(),
        label=_("About whom"),
        required=False,
        to_field_name="uuid",
        help_text=_("For a survey about one person: they answer about themselves, the others about them."),
    )
    include_self = forms.BooleanField(label=_("Ask the person themselves"), required=False, initial=True)
    include_manager = forms.BooleanField(label=_("Ask their line manager"), required=False, initial=True)
    include_reports = forms.BooleanField(label=_("Ask the people who report to them"), required=False, initial=True)
    peers = PeopleChoice(
        Person.objects.none(),
        label=_("Peers to ask"),
        required=False,
        to_field_name="uuid",
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    anonymity = forms.ChoiceField(
        label=_("Anonymity"), widget=forms.RadioSelect, choices=Anonymity.choices, initial=Anonymity.CONFIDENTIAL
    )
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DateTimeInput(), help_text=_("In your own time zone."))
    remind_every_days = forms.IntegerField(
        label=_("Remind those who have not answered every (days)"),
        required=False,
        min_value=1,
        max_value=30,
        initial=3,
        help_text=_("Leave empty for no automatic reminders."),
    )

    def __init__(self, *args, instruments, cohorts, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments
        self.fields["cohort"].queryset = cohorts
        self.fields["subject"].queryset = people
        self.fields["peers"].queryset = people
        self.fields["peers"].widget.attrs["size"] = 8

    def clean(self):
        data = super().clean()
        if data.get("audience") == COHORT and not data.get("cohort"):
            self.add_error("cohort", _("Choose the cohort whose participants are asked."))
        if data.get("audience") == SUBJECT and not data.get("subject"):
            self.add_error("subject", _("Choose the person the survey is about."))
        return data

    def service_fields(self) -> dict:
        """The arguments of ``distribution.create_survey`` (without actor and now)."""
        from .distribution import subject_recipients

        data = self.cleaned_data
        instrument = data["instrument"]
        fields = {
            "instrument": instrument,
            "title": data["title"] or instrument.title,
            "anonymity": data["anonymity"],
            "closes_at": data["closes_at"],
            "remind_every_days": data["remind_every_days"],
        }
        if data["audience"] == COHORT:
            return fields | {"cohort": data["cohort"]}
        subject = data["subject"]
        recipients = subject_recipients(
            subject,
            peers=[peer for peer in data["peers"] if peer.pk != subject.pk],
            include_self=data["include_self"],
            include_manager=data["include_manager"],
            include_reports=data["include_reports"],
        )
        return fields | {"subject": subject, "recipients": recipients}


class AddRecipientsForm(forms.Form):
    people = PeopleChoice(
        Person.objects.none(),
        label=_("People to add"),
        to_field_name="uuid",
        help_text=_("Hold Ctrl (or ⌘) to choose several. People asked already are left as they are."),
    )
    rater_group = forms.ChoiceField(label=_("They answer as"), choices=RaterGroup.choices)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].widget.attrs["size"] = 8


class ClosingDateForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("New closing date"), widget=DateTimeInput(), help_text=_("In your own time zone.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="date", **kwargs)
