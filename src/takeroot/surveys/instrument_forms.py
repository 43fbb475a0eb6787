"""The questionnaire library's forms. They check the shape of the input; ``instruments`` checks the
meaning, and its errors land on these fields because they share the names."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from takeroot.programmes.models import Module, Programme

from .enums import Anonymity, Measure, RaterGroup, SurveyQuestionKind
from .instruments import CHOICE_KINDS, ENDED_KINDS, MAX_OPTIONS, MAX_ROWS
from .models import Instrument, SurveyQuestion, SurveySettings


def _text(code: str, label, *, rows: int | None = None) -> forms.CharField:
    """A field holding text in ``code``'s language, marked so screen readers read it in it."""
    attrs = {"lang": code}
    widget = forms.Textarea(attrs=attrs | {"rows": rows}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, strip=True, widget=widget)


class _LanguageErrors:
    """Errors about a language's options or statements as a whole have no field of their own: they
    are kept under their name and shown above the group."""

    group_errors = ("-options", "-rows")

    def add_error(self, field, error):
        if isinstance(field, str) and field.endswith(self.group_errors) and field not in self.fields:
            self._errors.setdefault(field, self.error_class())
            self._errors[field].extend(error if isinstance(error, list) else [error])
            return
        super().add_error(field, error)


class InstrumentForm(_LanguageErrors, forms.Form):
    programme = forms.ModelChoiceField(
        Programme.objects.none(),
        label=_("Programme"),
        required=False,
        empty_label=_("None: the whole workspace"),
        help_text=_("A questionnaire of a programme can tie its questions to the programme's modules."),
    )
    anonymity = forms.ChoiceField(
        label=_("Anonymity of surveys sent with it"),
        choices=Anonymity.choices,
        initial=Anonymity.CONFIDENTIAL,
        widget=forms.RadioSelect,
        help_text=_("Each survey can still choose its own when it is sent."),
    )

    def __init__(self, *args, workspace, instrument: Instrument | None = None, **kwargs):
        if instrument is not None:
            initial = {"programme": instrument.programme_id, "anonymity": instrument.anonymity}
            for code, text in instrument.content.items():
                initial[f"{code}-title"] = text.get("title", "")
                initial[f"{code}-introduction"] = text.get("introduction", "")
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if instrument is None:
            self.fields["programme"].queryset = Programme.objects.filter(workspace=workspace).order_by("name")
        else:
            del self.fields["programme"]  # a questionnaire moves by being copied
        for code, _name in settings.LANGUAGES:
            self.fields[f"{code}-title"] = _text(code, _("Title"))
            self.fields[f"{code}-introduction"] = _text(code, _("Introduction shown above the questions"), rows=4)

    def general_fields(self):
        return [self[name] for name in ("programme", "anonymity") if name in self.fields]

    def languages(self) -> list[dict]:
        return [
            {
                "code": code,
                "name": name,
                "fields": [self[f"{code}-title"], self[f"{code}-introduction"]],
            }
            for code, name in settings.LANGUAGES
        ]

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            code: {"title": data[f"{code}-title"], "introduction": data[f"{code}-introduction"]}
            for code, _name in settings.LANGUAGES
        }


class QuestionForm(_LanguageErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyQuestionKind.choices)
    scale_points = forms.TypedChoiceField(
        label=_("Points on the matrix's scale"),
        choices=[(5, "5"), (7, "7")],
        coerce=int,
        initial=5,
        required=False,
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    measure = forms.ChoiceField(
        label=_("What it measures"),
        choices=Measure.choices,
        required=False,
        help_text=_("Lets indicators and impact reports find the question by meaning."),
    )
    module = forms.ModelChoiceField(
        Module.objects.none(), label=_("Module it is about"), required=False, empty_label=_("None")
    )
    rater_groups = forms.MultipleChoiceField(
        label=_("Shown to these rater groups"),
        choices=RaterGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "None ticked: everyone. Tick groups when the wording differs by who answers, e.g. “I …” for Self "
            "and “This person …” for the others."
        ),
    )

    def __init__(self, *args, instrument: Instrument, question: SurveyQuestion | None = None, **kwargs):
        if question is not None:
            kwargs.setdefault("initial", self.initial_for(question))
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        if instrument.programme_id:
            self.fields["module"].queryset = Module.objects.filter(programme_id=instrument.programme_id).order_by(
                "position", "id"
            )
        else:
            del self.fields["module"]
        for code, _name in settings.LANGUAGES:
            self.fields[f"{code}-prompt"] = _text(code, _("Question"), rows=2)
            self.fields[f"{code}-low"] = _text(code, _("Label of the lowest point"))
            self.fields[f"{code}-high"] = _text(code, _("Label of the highest point"))
            for number in range(1, MAX_OPTIONS + 1):
                self.fields[f"{code}-option_{number}"] = _text(code, _("Option %(number)s") % {"number": number})
            for number in range(1, MAX_ROWS + 1):
                self.fields[f"{code}-row_{number}"] = _text(code, _("Statement %(number)s") % {"number": number})

    @staticmethod
    def initial_for(question: SurveyQuestion) -> dict:
        initial = {
            "kind": question.kind,
            "scale_points": question.scale_points,
            "required": question.required,
            "measure": question.measure,
            "module": question.module_id,
            "rater_groups": question.rater_groups,
        }
        for code, text in question.content.items():
            for end in ("prompt", "low", "high"):
                initial[f"{code}-{end}"] = text.get(end, "")
            for number, option in enumerate(text.get("options", []), start=1):
                initial[f"{code}-option_{number}"] = option
            for number, row in enumerate(text.get("rows", []), start=1):
                initial[f"{code}-row_{number}"] = row
        return initial

    def current_kind(self) -> str:
        """The kind the form is showing fields for: what was sent, else what it starts with."""
        kind = self.data.get("kind") if self.is_bound else None
        kind = kind or self.initial.get("kind") or self.fields["kind"].initial
        return kind if kind in SurveyQuestionKind.values else SurveyQuestionKind.LIKERT_5

    def general_fields(self):
        names = ["kind", "required", "measure", "module", "rater_groups"]
        if self.current_kind() == SurveyQuestionKind.MATRIX:
            names.insert(1, "scale_points")
        return [self[name] for name in names if name in self.fields]

    def hidden_general_fields(self):
        """Fields of other kinds, carried along so that switching kinds loses nothing."""
        return [self["scale_points"]] if self.current_kind() != SurveyQuestionKind.MATRIX else []

    def languages(self) -> list[dict]:
        """Per language the fields the current kind uses, the others (kept hidden) and any error
        about its options or statements as a whole."""
        kind = self.current_kind()
        result = []
        for code, name in settings.LANGUAGES:
            options = [self[f"{code}-option_{number}"] for number in range(1, MAX_OPTIONS + 1)]
            rows = [self[f"{code}-row_{number}"] for number in range(1, MAX_ROWS + 1)]
            ends = [self[f"{code}-low"], self[f"{code}-high"]]
            hidden = []
            if kind not in CHOICE_KINDS:
                hidden += options
            if kind != SurveyQuestionKind.MATRIX:
                hidden += rows
            if kind not in ENDED_KINDS:
                hidden += ends
            result.append(
                {
                    "code": code,
                    "name": name,
                    "prompt": self[f"{code}-prompt"],
                    "ends": ends if kind in ENDED_KINDS else [],
                    "options": options if kind in CHOICE_KINDS else [],
                    "rows": rows if kind == SurveyQuestionKind.MATRIX else [],
                    "hidden": hidden,
                    "option_errors": self.errors.get(f"{code}-options", []) if self.is_bound else [],
                    "row_errors": self.errors.get(f"{code}-rows", []) if self.is_bound else [],
                }
            )
        return result

    def question_fields(self) -> dict:
        """The cleaned input in the shape ``instruments.save_question`` takes: only the parts of the
        text that the chosen kind uses (the others may hold what was typed for another kind)."""
        data = self.cleaned_data
        kind = data["kind"]
        content = {}
        for code, _name in settings.LANGUAGES:
            text = {"prompt": data[f"{code}-prompt"]}
            if kind in ENDED_KINDS:
                text |= {"low": data[f"{code}-low"], "high": data[f"{code}-high"]}
            if kind in CHOICE_KINDS:
                text["options"] = [data[f"{code}-option_{number}"] for number in range(1, MAX_OPTIONS + 1)]
            if kind == SurveyQuestionKind.MATRIX:
                text["rows"] = [data[f"{code}-row_{number}"] for number in range(1, MAX_ROWS + 1)]
            content[code] = text
        return {
            "kind": kind,
            "content": content,
            "scale_points": data.get("scale_points") or 5,
            "required": data["required"],
            "measure": data.get("measure") or "",
            "module": data.get("module"),
            "rater_groups": data["rater_groups"],
        }


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = SurveySettings
        fields = ["min_responses", "min_comments"]
        labels = {
            "min_responses": _("Fewest responses a group's results are shown for"),
            "min_comments": _("Fewest responses a group's free-text comments are shown for"),
        }
        error_messages = {
            "min_responses": {
                "min_value": _("Give at least 3: with fewer responses, people could work out who answered what."),
                "max_value": _("Give at most 50."),
            },
            "min_comments": {"min_value": _("Give at least 3."), "max_value": _("Give at most 100.")},
        }
        help_texts = {
            "min_responses": _(
                "At least 3; 5 is usual. A question, cohort, team or rater group with fewer responses shows "
                "“not enough responses” instead of its results."
            ),
            "min_comments": _(
                "Not lower than the number above; 8 is usual. Written comments give away their author more easily "
                "than numbers."
            ),
        }

    def clean(self):
        data = super().clean()
        low, high = data.get("min_responses"), data.get("min_comments")
        if low is not None and high is not None and high < low:
            self.add_error(
                "min_comments",
                _(
                    "Comments can be identified more easily than numbers: their threshold cannot be lower than the "
                    "results' (%(min)s)."
                )
                % {"min": low},
            )
        return data

    def validate_constraints(self, exclude=None):
        # The comment threshold's constraint is checked in clean() with a message on its field.
        pass
