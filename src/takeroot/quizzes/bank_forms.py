"""The item bank's forms. They check the shape of the input; ``bank.check_question`` checks the
meaning, and its errors land on these fields because they share the names."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from takeroot.programmes.models import LearningObjective, Module

from .bank import MAX_OPTIONS
from .enums import Difficulty, QuestionKind
from .models import Question, QuizSettings


def _text(code: str, label, *, rows: int | None = None) -> forms.CharField:
    """A field holding text in ``code``'s language, marked so screen readers read it in it."""
    attrs = {"lang": code}
    widget = forms.Textarea(attrs=attrs | {"rows": rows}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, strip=True, widget=widget)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    module = forms.ModelChoiceField(Module.objects.none(), label=_("Module"), required=False)
    objective = forms.ModelChoiceField(
        LearningObjective.objects.none(),
        label=_("Learning objective it checks"),
        required=False,
        help_text=_("One of the module's objectives; choosing it also sets the module."),
    )
    difficulty = forms.ChoiceField(label=_("Difficulty"), choices=Difficulty.choices, initial=Difficulty.MEDIUM)
    correct = forms.TypedMultipleChoiceField(
        label=_("Right options"),
        required=False,
        coerce=int,
        choices=[(index, _("Option %(number)s") % {"number": index + 1}) for index in range(MAX_OPTIONS)],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Single choice and true or false: exactly one. Multiple choice: at least one."),
    )
    number = forms.DecimalField(label=_("Right number (numeric answer)"), required=False, max_digits=20)
    tolerance = forms.DecimalField(
        label=_("Tolerance"),
        required=False,
        min_value=0,
        max_digits=20,
        help_text=_("How far an answer may be from the right number and still count, e.g. 5."),
    )

    def __init__(self, *args, programme, question: Question | None = None, **kwargs):
        if question is not None:
            kwargs.setdefault("initial", self.initial_for(question))
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(programme=programme).order_by("position", "id")
        objectives = LearningObjective.objects.filter(module__programme=programme).select_related("module")
        self.fields["objective"].queryset = objectives.order_by("module__position", "position", "id")
        self.fields["objective"].label_from_instance = lambda objective: f"{objective.module.title} · {objective}"
        for code, _name in settings.LANGUAGES:
            self.fields[f"{code}-prompt"] = _text(code, _("Question"), rows=3)
            self.fields[f"{code}-explanation"] = _text(code, _("Explanation shown after answering"), rows=3)
            for number in range(1, MAX_OPTIONS + 1):
                self.fields[f"{code}-option_{number}"] = _text(code, _("Option %(number)s") % {"number": number})

    @staticmethod
    def initial_for(question: Question) -> dict:
        initial = {
            "kind": question.kind,
            "module": question.module_id,
            "objective": question.objective_id,
            "difficulty": question.difficulty,
            "correct": question.correct,
            "number": question.number,
            "tolerance": question.tolerance,
        }
        for code, text in question.content.items():
            initial[f"{code}-prompt"] = text.get("prompt", "")
            initial[f"{code}-explanation"] = text.get("explanation", "")
            for number, option in enumerate(text.get("options", []), start=1):
                initial[f"{code}-option_{number}"] = option
        return initial

    def general_fields(self):
        return [self[name] for name in ("kind", "module", "objective", "difficulty")]

    def answer_fields(self):
        return [self[name] for name in ("correct", "number", "tolerance")]

    def languages(self) -> list[dict]:
        """Per language its fields and any error about its options as a whole, for the template."""
        return [
            {
                "code": code,
                "name": name,
                "prompt": self[f"{code}-prompt"],
                "explanation": self[f"{code}-explanation"],
                "options": [self[f"{code}-option_{number}"] for number in range(1, MAX_OPTIONS + 1)],
                "errors": self.errors.get(f"{code}-options", []),
            }
            for code, name in settings.LANGUAGES
        ]

    def question_fields(self) -> dict:
        """The cleaned input in the shape ``bank.save_question`` takes."""
        data = self.cleaned_data
        content = {
            code: {
                "prompt": data[f"{code}-prompt"],
                "explanation": data[f"{code}-explanation"],
                "options": [data[f"{code}-option_{number}"] for number in range(1, MAX_OPTIONS + 1)],
            }
            for code, _name in settings.LANGUAGES
        }
        return {
            "kind": data["kind"],
            "module": data["module"],
            "objective": data["objective"],
            "difficulty": data["difficulty"],
            "content": content,
            "correct": data["correct"],
            "number": data["number"],
            "tolerance": data["tolerance"] or 0,
        }

    def add_error(self, field, error):
        # Errors about a language's options as a whole are shown above that language's options.
        if isinstance(field, str) and field.endswith("-options") and field not in self.fields:
            self._errors.setdefault(field, self.error_class())
            self._errors[field].extend(error if isinstance(error, list) else [error])
            return
        super().add_error(field, error)


ARCHIVED_CHOICES = [
    ("", pgettext_lazy("questions", "Active")),
    ("archived", pgettext_lazy("questions", "Archived")),
    ("all", pgettext_lazy("questions", "All")),
]


class QuestionFilterForm(forms.Form):
    module = forms.ModelChoiceField(Module.objects.none(), label=_("Module"), required=False)
    objective = forms.ModelChoiceField(LearningObjective.objects.none(), label=_("Learning objective"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *QuestionKind.choices])
    difficulty = forms.ChoiceField(
        label=_("Difficulty"), required=False, choices=[("", _("Any difficulty")), *Difficulty.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *settings.LANGUAGES]
    )
    archived = forms.ChoiceField(label=_("Show"), required=False, choices=ARCHIVED_CHOICES)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(programme=programme).order_by("position", "id")
        self.fields["objective"].queryset = LearningObjective.objects.filter(module__programme=programme).order_by(
            "module__position", "position", "id"
        )

    def apply(self, questions):
        """The questions that match the chosen filters (archived ones only when asked for)."""
        data = self.cleaned_data if self.is_valid() else {}
        shown = data.get("archived", "")
        if shown == "archived":
            questions = questions.filter(archived_at__isnull=False)
        elif shown != "all":
            questions = questions.filter(archived_at__isnull=True)
        for field in ("module", "objective", "kind", "difficulty"):
            if data.get(field):
                questions = questions.filter(**{field: data[field]})
        if data.get("language"):
            questions = [question for question in questions if data["language"] in question.languages]
        return questions


class SettingsForm(forms.ModelForm):
    class Meta:
        model = QuizSettings
        fields = ["desired_retention", "questions_per_round", "retire_after"]
        widgets = {"desired_retention": forms.NumberInput(attrs={"step": "0.01", "min": "0.7", "max": "0.97"})}
        help_texts = {
            "desired_retention": _(
                "Between 0.70 and 0.97, e.g. 0.90: the chance of remembering a question when it comes back. "
                "Higher asks more often."
            ),
            "questions_per_round": _("1 to 3 questions in each round."),
            "retire_after": _("A question answered right this many times in a row is not asked again."),
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One row per question and language, in the columns of the export."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
