"""Answering a quiz question from a mail: the landing of the one-click option links.

Mail scanners open links, so a GET records nothing: it shows the question with the clicked
option selected and asks how sure the person is (Sure / I think so / Guessing, or just "Record
my answer": one more click). The POST records the answer once through the engine and shows
whether it was right, the right answer and the explanation; a replay or a double click shows the
answer already recorded. Nobody is signed in by the link (see ``followup.views.links``).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.views.helpers import add_service_errors
from takeroot.followup.enums import LinkPurpose
from takeroot.followup.links import Link, LinkProblem, Problem, as_uuid, register_link_handler
from takeroot.programmes.enums import EnrolmentStatus

from .. import services
from ..answer_forms import AnswerForm, initial_from_click
from ..enums import CHOICE_KINDS, AnswerChannel, Confidence, QuestionKind
from ..models import Answer, RoundItem
from ..rounds import ITEM_RELATED
from ..transfer import plain_number


def feedback(answer: Answer, language: str) -> dict:
    """What a page shows of an answered question: each option with whether it was chosen and
    whether it is right, or the number given and the right one; the explanation."""
    question = answer.question
    text = question.text_for(language)
    shown = {
        "answer": answer,
        "prompt": text.get("prompt", ""),
        "explanation": text.get("explanation", ""),
        "language": question.language_for(language),
        "numeric": question.kind not in CHOICE_KINDS,
    }
    if question.kind == QuestionKind.NUMERIC:
        shown["given"] = plain_number(answer.number)
        shown["right_number"] = plain_number(question.number)
        shown["tolerance"] = plain_number(question.tolerance) if question.tolerance else ""
    else:
        shown["options"] = [
            {"label": label, "chosen": index in answer.choices, "right": index in question.correct}
            for index, label in enumerate(text.get("options", []))
        ]
    return shown


def _item_of(link: Link) -> tuple[RoundItem | None, str]:
    """The round question a link names (in the person's workspace) and the option it clicked."""
    item_uuid, _sep, clicked = link.target.partition(":")
    if link.person is None or as_uuid(item_uuid) is None:
        return None, ""
    found = RoundItem.objects.filter(workspace=link.person.workspace, uuid=as_uuid(item_uuid))
    return found.select_related(*ITEM_RELATED).first(), clicked


def _refusal(link: Link, item: RoundItem | None) -> str:
    """Why the link's person may not answer this question ("" when they may)."""
    if item is None or item.round.enrolment.person_id != link.person.pk:
        return _("This question was not sent to you, or it no longer exists.")
    enrolment = item.round.enrolment
    if enrolment.status == EnrolmentStatus.WITHDRAWN or enrolment.withdrawn_at is not None:
        return _("You were withdrawn from this training, so its quizzes have stopped.")
    return ""


def _result(request, answer: Answer, language: str, *, replay: bool):
    context = {"shown": feedback(answer, language), "replay": replay}
    return render(request, "quizzes/answer_result.html", context)


def handle_answer(request, link: Link):
    """GET: the question with the clicked option selected; POST: record it once."""
    item, clicked = _item_of(link)
    refusal = _refusal(link, item)
    if refusal:
        raise LinkProblem(Problem.REFUSED, link, refusal)
    language = link.user.language
    existing = Answer.objects.filter(item=item).select_related("question").first()
    if existing is not None:
        return _result(request, existing, language, replay=True)
    form = AnswerForm(
        request.POST or None,
        question=item.question,
        language=language,
        initial=initial_from_click(item.question, clicked),
    )
    if request.method == "POST" and form.is_valid():
        try:
            answer, created = services.record_answer(
                item, **form.values(), channel=AnswerChannel.MAIL, now=timezone.now()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _result(request, answer, language, replay=not created)
    context = {"form": form, "item": item, "confidences": Confidence.choices}
    return render(request, "quizzes/answer_question.html", context)


def register() -> None:
    """Called once from the app's ``ready()``. A link that cannot act leads, after signing in,
    to "My quizzes", where the open questions wait."""
    register_link_handler(LinkPurpose.QUIZ_ANSWER, handle_answer, next_url=lambda link: reverse("quizzes:mine"))
