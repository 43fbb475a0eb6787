"""The participant's quiz pages: "My quizzes" (the open questions to answer right there, a round
on demand, the history of answers with their explanations), a round, and the home panel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view
from takeroot.followup.links import as_uuid
from takeroot.programmes.models import Enrolment

from .. import services
from ..answer_forms import AnswerForm
from ..enums import AnswerChannel
from ..models import QuizRound, RoundItem
from ..rounds import due_counts, my_answers, my_enrolments, open_items, rounds_of, start_round_now
from .answer import feedback

HISTORY = 30  # answers listed on "My quizzes"


def _form(item: RoundItem, data=None) -> AnswerForm:
    return AnswerForm(data, question=item.question, language=translation.get_language(), prefix=f"item-{item.uuid}")


@workspace_view("quizzes.view_quizzes")
def mine(request):
    """The open questions of every round, a round on demand per training, and past answers."""
    me = request.person
    enrolments = list(my_enrolments(me)) if me is not None else []
    items = list(open_items(me)) if me is not None else []
    waiting = {item.round.enrolment_id for item in items}
    due = due_counts([e for e in enrolments if e.pk not in waiting], now=timezone.now())
    language = translation.get_language()
    context = {
        "questions": [(item, _form(item)) for item in items],
        "trainings": [{"enrolment": e, "waiting": e.pk in waiting, "due": due.get(e.pk, 0)} for e in enrolments],
        "history": [feedback(answer, language) for answer in my_answers(me)[:HISTORY]] if me is not None else [],
    }
    return render(request, "quizzes/participant_mine.html", context)


@require_POST
@workspace_view("quizzes.view_quizzes")
def start(request, uuid):
    """For "Answer a few questions now": the training's open round, or a new one of what is due."""
    enrolment = get_or_404(Enrolment.objects.filter(workspace=request.workspace), uuid=uuid)
    # Only the participant may answer (an unsaved round of theirs asks the round rule).
    require_perm(request, "quizzes.answer_round", QuizRound(enrolment=enrolment))
    quiz_round = start_round_now(enrolment, now=timezone.now())
    if quiz_round is None:
        messages.info(request, _("Nothing is due right now: every question is answered or comes back later."))
        return redirect("quizzes:mine")
    return redirect(quiz_round)


def _round_page(request, quiz_round: QuizRound, bound: AnswerForm | None = None, bound_item=None):
    language = translation.get_language()
    may_answer = quiz_round.enrolment.person.user_id == request.user.pk
    rows = []
    for item in quiz_round.items.all():
        answer = getattr(item, "answer", None)
        if answer is not None:
            rows.append({"item": item, "shown": feedback(answer, language)})
        elif may_answer:
            rows.append({"item": item, "form": bound if item == bound_item else _form(item)})
        else:
            rows.append({"item": item, "prompt": item.question.text_for(language).get("prompt", "")})
    return render(request, "quizzes/participant_round.html", {"round": quiz_round, "rows": rows})


@workspace_view("quizzes.view_quizzes")
def round_detail(request, uuid):
    """A round: answered questions with the explanation, open ones to answer (POST: one)."""
    found = rounds_of(Enrolment.objects.filter(workspace=request.workspace))
    quiz_round = get_or_404(found, uuid=uuid)
    require_perm(request, "quizzes.view_answers", quiz_round.enrolment)
    if request.method != "POST":
        return _round_page(request, quiz_round)
    require_perm(request, "quizzes.answer_round", quiz_round)
    item = get_or_404(quiz_round.items.all(), uuid=as_uuid(request.POST.get("item", "")))
    form = _form(item, request.POST)
    if form.is_valid():
        try:
            answer, _created = services.record_answer(
                item, **form.values(), channel=AnswerChannel.WEB, now=timezone.now()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            right = _("Right. Your answer is recorded.")
            messages.success(request, right if answer.correct else _("Not quite. See the right answer and why below."))
            return redirect(f"{quiz_round.get_absolute_url()}#item-{item.uuid}")
    return _round_page(request, quiz_round, form, item)


def home_panel(request):
    """For a participant with quiz questions waiting: how many, and where."""
    if request.person is None:
        return None
    waiting = open_items(request.person).count()
    return ("quizzes/_home_panel.html", {"waiting": waiting}) if waiting else None
