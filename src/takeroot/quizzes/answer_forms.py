"""The input boundary of answering: one question's answer (options or a number) with an optional
confidence rating. The form checks the shape; ``services.record_answer`` checks the meaning."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import CHOICE_KINDS, Confidence, QuestionKind
from .models import Question


class AnswerForm(forms.Form):
    """The answer to ``question``, its texts in the reader's ``language`` (or the fallback the
    question has). Choice kinds answer in ``choices``, numeric questions in ``number``: the names
    the engine's validation errors use, so they land next to the field."""

    confidence = forms.ChoiceField(
        label=_("How sure are you?"),
        choices=[("", _("I'd rather not say")), *Confidence.choices],
        widget=forms.RadioSelect,
        required=False,
        initial="",
    )

    def __init__(self, *args, question: Question, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.language = question.language_for(language)
        text = question.text_for(language)
        self.prompt = text.get("prompt", "")
        options = [(str(index), label) for index, label in enumerate(text.get("options", []))]
        required = {"required": _("Choose an answer.")}
        if question.kind == QuestionKind.MULTIPLE:
            self.fields["choices"] = forms.MultipleChoiceField(
                label=_("Your answer (one or more)"),
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                error_messages=required,
            )
        elif question.kind in CHOICE_KINDS:
            self.fields["choices"] = forms.ChoiceField(
                label=_("Your answer"), choices=options, widget=forms.RadioSelect, error_messages=required
            )
        else:
            self.fields["number"] = forms.CharField(
                label=_("Your answer (a number)"),
                max_length=40,
                error_messages={"required": _("Enter a number.")},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        # The answer first, then how sure.
        self.order_fields(["choices", "number", "confidence"])

    @property
    def answer_field(self):
        return self["choices"] if "choices" in self.fields else self["number"]

    def values(self) -> dict:
        """The keyword arguments of ``services.record_answer`` (without channel and time)."""
        data = self.cleaned_data
        if "number" in self.fields:
            return {"number": data["number"], "confidence": data["confidence"]}
        picked = data["choices"]
        picked = picked if isinstance(picked, list) else [picked]
        return {"choices": [int(choice) for choice in picked], "confidence": data["confidence"]}


def initial_from_click(question: Question, clicked: str) -> dict:
    """The option a one-click link chose, selected in the form (nothing for a bad index)."""
    if question.kind not in CHOICE_KINDS or not clicked.isdigit() or int(clicked) >= len(question.options):
        return {}
    return {"choices": [clicked] if question.kind == QuestionKind.MULTIPLE else clicked}
