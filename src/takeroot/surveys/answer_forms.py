"""The input boundary of answering a survey on a page: reads the posted fields into the raw answers
``responding.validate`` and ``responding.submit`` take, and lays every question out for the
template with what was typed and its errors, so nothing is lost when an answer is refused.

Field names: ``q-<uuid>`` for a question (repeated for a multiple choice), ``q-<uuid>-<row>``
for a row of a matrix; ``ballot`` carries an anonymous survey's signed ballot."""

from .enums import SurveyQuestionKind
from .models import SurveyQuestion
from .responding import point_labels


class SurveyForm:
    """The questions of one person's form, bound to posted ``data`` (a QueryDict) or empty."""

    def __init__(self, questions: list[SurveyQuestion], data=None):
        self.questions = questions
        self.data = data
        self.errors: dict[str, list[str]] = {}
        self.non_field_errors: list[str] = []

    @staticmethod
    def name(question: SurveyQuestion, row: int | None = None) -> str:
        return f"q-{question.uuid}" if row is None else f"q-{question.uuid}-{row}"

    def _raw(self, question: SurveyQuestion):
        if self.data is None:
            return None
        if question.kind == SurveyQuestionKind.MULTIPLE:
            return self.data.getlist(self.name(question))
        if question.kind == SurveyQuestionKind.MATRIX:
            rows = question.text.get("rows", [])
            return [self.data.get(self.name(question, row), "") for row in range(len(rows))]
        return self.data.get(self.name(question), "")

    def answers(self) -> dict:
        """The raw answers per question uuid, as ``responding.submit`` takes them."""
        return {str(question.uuid): self._raw(question) for question in self.questions}

    def add_errors(self, errors: dict) -> None:
        for key, messages in errors.items():
            if any(str(question.uuid) == key for question in self.questions):
                self.errors.setdefault(key, []).extend(messages)
            else:
                self.non_field_errors.extend(messages)

    def _options(self, question: SurveyQuestion, name: str, labels, chosen) -> list[dict]:
        return [
            {"value": str(value), "label": label, "id": f"{name}-{value}", "checked": str(value) in chosen}
            for value, label in labels
        ]

    @property
    def items(self) -> list[dict]:
        """What the template lays out per question: its texts, its fields with what was typed,
        and its errors."""
        shown = []
        for number, question in enumerate(self.questions, start=1):
            raw = self._raw(question)
            name = self.name(question)
            item = {
                "question": question,
                "number": number,
                "kind": question.kind,
                "name": name,
                "id": name,
                "prompt": question.text.get("prompt", ""),
                "language": question.text_language,
                "required": question.required,
                "errors": self.errors.get(str(question.uuid), []),
            }
            if question.kind == SurveyQuestionKind.TEXT:
                item["value"] = raw or ""
            elif question.kind == SurveyQuestionKind.MATRIX:
                columns = point_labels(question, question.text)
                item["columns"] = [label for _value, label in columns]
                item["rows"] = [
                    {
                        "label": label,
                        "name": self.name(question, row),
                        "options": self._options(
                            question, self.name(question, row), columns, {raw[row]} if raw else set()
                        ),
                    }
                    for row, label in enumerate(question.text.get("rows", []))
                ]
            elif question.kind in (SurveyQuestionKind.SINGLE, SurveyQuestionKind.MULTIPLE):
                labels = list(enumerate(question.text.get("options", [])))
                chosen = set(raw) if isinstance(raw, list) else {raw} if raw else set()
                item["options"] = self._options(question, name, labels, chosen)
                item["input_type"] = "checkbox" if question.kind == SurveyQuestionKind.MULTIPLE else "radio"
            else:
                item["options"] = self._options(
                    question, name, point_labels(question, question.text), {raw} if raw else set()
                )
                item["input_type"] = "radio"
            shown.append(item)
        return shown
