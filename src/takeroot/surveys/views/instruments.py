"""The questionnaire library's pages, for its authors (admins and trainers): the library
(workspace-wide or a programme's) with the ready templates, a questionnaire with its questions and a
preview as a respondent sees it in any of the four languages, creating, editing, copying and
archiving questionnaires, and writing, ordering and deleting questions.

A questionnaire or question is looked up in the current workspace (else 404), then the rule
decides (403)."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view
from takeroot.programmes.models import Programme
from takeroot.programmes.queries import programmes_for_workspace

from .. import instruments
from ..answer_forms import SurveyForm
from ..enums import RaterGroup
from ..instrument_forms import InstrumentForm, QuestionForm
from ..library import TEMPLATES, create_from_template
from ..models import Instrument, SurveyQuestion, text_in
from ..responding import language_of

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _instrument(request, uuid, perm: str = "surveys.change_instrument") -> Instrument:
    found = get_or_404(Instrument.objects.filter(workspace=request.workspace).select_related("programme"), uuid=uuid)
    require_perm(request, perm, found)
    return found


def _question(request, uuid) -> SurveyQuestion:
    questions = SurveyQuestion.objects.filter(workspace=request.workspace).select_related("instrument__programme")
    found = get_or_404(questions, uuid=uuid)
    require_perm(request, "surveys.change_instrument", found.instrument)
    return found


def _programme(request, uuid) -> Programme | None:
    """The programme named in the path or the input, in the current workspace (else 404)."""
    if not uuid:
        return None
    try:
        uuid = UUID(str(uuid))
    except ValueError:
        raise Http404 from None
    return get_or_404(programmes_for_workspace(request.workspace), uuid=uuid)


def _templates(language: str) -> list[dict]:
    return [
        {
            "key": key,
            "kind": template["kind"],
            "anonymity": template["anonymity"],
            "title": text_in(template["content"], language)["title"],
            "introduction": text_in(template["content"], language)["introduction"],
            "questions": len(template["questions"]),
        }
        for key, template in TEMPLATES.items()
    ]


def _preview(instrument: Instrument, questions: list[SurveyQuestion], language: str, group: str) -> dict:
    """The questionnaire laid out exactly as the answer page shows it to a reader of ``language``
    (in ``group``, or every question when empty)."""
    shown = []
    for question in questions:
        if group and question.rater_groups and group not in question.rater_groups:
            continue
        question.text = text_in(question.content, language)
        question.text_language = language_of(question.content, language)
        shown.append(question)
    with translation.override(language):
        items = SurveyForm(shown).items
    return {
        "title": text_in(instrument.content, language).get("title") or instrument.get_kind_display(),
        "introduction": text_in(instrument.content, language).get("introduction", ""),
        "language": language_of(instrument.content, language),
        "items": items,
    }


# The library ------------------------------------------------------------------------------------


@workspace_view("surveys.view_library")
def library(request, uuid=None):
    programme = _programme(request, uuid)
    shown = request.GET.get("archived", "")
    archived = {"archived": True, "all": None}.get(shown, False)
    found = instruments.instruments_in(request.workspace, programme=programme, archived=archived)
    context = {
        "programme": programme,
        "instruments": found,
        "shown": shown,
        "templates": _templates(request.LANGUAGE_CODE),
        "programmes": programmes_for_workspace(request.workspace).order_by("name") if programme is None else [],
    }
    return render(request, "surveys/instrument_library.html", context)


@require_POST
@workspace_view("surveys.manage_instruments")
def from_template(request):
    key = request.POST.get("template", "")
    programme = _programme(request, request.POST.get("programme") or None)
    if key not in TEMPLATES:
        messages.error(request, _("Choose one of the ready templates."))
        return redirect(_library_url(programme))
    instrument = create_from_template(workspace=request.workspace, key=key, actor=request.user, programme=programme)
    messages.success(request, _("Questionnaire created from the template. Adapt it to your training."))
    return redirect("surveys:instrument_detail", instrument.uuid)


def _library_url(programme: Programme | None) -> str:
    if programme is None:
        return reverse("surveys:library")
    return reverse("surveys:programme_library", args=[programme.uuid])


# A questionnaire --------------------------------------------------------------------------------


@workspace_view()
def instrument_detail(request, uuid):
    instrument = _instrument(request, uuid, "surveys.view_instrument")
    language = request.GET.get("lang")
    if language not in LANGUAGE_CODES:
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGE_CODES else settings.LANGUAGE_CODE
    group = request.GET.get("group", "")
    if group not in RaterGroup.values:
        group = ""
    questions = list(instruments.questions_of(instrument))
    rows = []
    for question in questions:
        text = text_in(question.content, request.LANGUAGE_CODE)
        code = next(c for c in (request.LANGUAGE_CODE, "en", *question.content) if question.content.get(c))
        rows.append({"question": question, "prompt": text.get("prompt", ""), "language": code})
    context = {
        "instrument": instrument,
        "rows": rows,
        "used": instruments.is_used(instrument),
        "preview": _preview(instrument, questions, language, group),
        "preview_language": language,
        "preview_group": group,
        "groups_all": RaterGroup.choices,
        "groups": RaterGroup.choices if any(question.rater_groups for question in questions) else [],
        "languages": settings.LANGUAGES,
        "library_url": _library_url(instrument.programme),
    }
    return render(request, "surveys/instrument_detail.html", context)


@workspace_view("surveys.manage_instruments")
def instrument_create(request):
    initial = {}
    if request.GET.get("programme"):
        initial["programme"] = _programme(request, request.GET["programme"])
    form = InstrumentForm(request.POST or None, workspace=request.workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            instrument = instruments.create_instrument(
                workspace=request.workspace,
                actor=request.user,
                content=form.content(),
                anonymity=form.cleaned_data["anonymity"],
                programme=form.cleaned_data["programme"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Questionnaire created. Now add its questions."))
            return redirect("surveys:instrument_detail", instrument.uuid)
    context = {
        "form": form,
        "instrument": None,
        "title": _("New questionnaire"),
        "cancel_url": reverse("surveys:library"),
    }
    return render(request, "surveys/instrument_form.html", context)


@workspace_view()
def instrument_edit(request, uuid):
    instrument = _instrument(request, uuid)
    form = InstrumentForm(request.POST or None, workspace=request.workspace, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            instruments.update_instrument(
                instrument=instrument,
                actor=request.user,
                content=form.content(),
                anonymity=form.cleaned_data["anonymity"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Questionnaire saved."))
            return redirect("surveys:instrument_detail", instrument.uuid)
    context = {
        "form": form,
        "instrument": instrument,
        "title": _("Edit the questionnaire"),
        "cancel_url": reverse("surveys:instrument_detail", args=[instrument.uuid]),
    }
    return render(request, "surveys/instrument_form.html", context)


@require_POST
@workspace_view("surveys.manage_instruments")
def instrument_copy(request, uuid):
    instrument = _instrument(request, uuid, "surveys.view_instrument")
    copy = instruments.copy_instrument(instrument=instrument, actor=request.user)
    messages.success(request, _("Copy made. Change it freely: the original stays as it was."))
    return redirect("surveys:instrument_detail", copy.uuid)


@require_POST
@workspace_view()
def instrument_archive(request, uuid):
    instrument = _instrument(request, uuid)
    if request.POST.get("restore"):
        instruments.restore_instrument(instrument=instrument, actor=request.user)
        messages.success(request, _("Questionnaire restored to the library."))
    else:
        instruments.archive_instrument(instrument=instrument, actor=request.user)
        messages.success(
            request, _("Questionnaire archived: no new survey can use it; surveys sent with it keep their results.")
        )
    return redirect("surveys:instrument_detail", instrument.uuid)


# Questions --------------------------------------------------------------------------------------


def _posted_initial(post) -> dict:
    """What was typed, as a new form's starting values (to show another kind's fields unsaved)."""
    return {
        key: post.getlist(key) if key == "rater_groups" else post.get(key)
        for key in post
        if key != "csrfmiddlewaretoken"
    }


def _edit_question(request, instrument: Instrument, question: SurveyQuestion | None):
    if request.method == "POST" and request.POST.get("show_kind"):
        form = QuestionForm(instrument=instrument, question=question, initial=_posted_initial(request.POST))
    else:
        form = QuestionForm(request.POST or None, instrument=instrument, question=question)
        if request.method == "POST" and form.is_valid():
            try:
                saved = instruments.save_question(
                    instrument=instrument, actor=request.user, question=question, **form.question_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Question saved."))
                url = reverse("surveys:instrument_detail", args=[instrument.uuid])
                return redirect(f"{url}#question-{saved.uuid}")
    answered = question is not None and question.answers.exists()
    context = {
        "instrument": instrument,
        "question": question,
        "form": form,
        "answered": answered,
        "title": _("Edit the question") if question else _("New question"),
    }
    template = "surveys/instrument_question_form.html"
    return render(request, template, context)


@workspace_view()
def question_create(request, uuid):
    return _edit_question(request, _instrument(request, uuid), None)


@workspace_view()
def question_edit(request, uuid):
    question = _question(request, uuid)
    return _edit_question(request, question.instrument, question)


@require_POST
@workspace_view()
def question_delete(request, uuid):
    question = _question(request, uuid)
    try:
        instruments.delete_question(question=question, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Question deleted."))
    return redirect("surveys:instrument_detail", question.instrument.uuid)


@require_POST
@workspace_view()
def question_move(request, uuid):
    question = _question(request, uuid)
    instruments.move_question(question=question, actor=request.user, up=request.POST.get("direction") == "up")
    url = reverse("surveys:instrument_detail", args=[question.instrument.uuid])
    return redirect(f"{url}#question-{question.uuid}")
