"""The item bank's pages, for its authors (admins and trainers): the question list with filters,
creating and editing a question in several languages, archiving, ordering, the file import
(upload → preview → apply) and export, and the programme's quiz settings with its parameter fits.

An import's plan waits in the session between the preview and the confirmation: nothing is
written before, and a file with errors is never applied."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.imports import ImportFileError
from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view
from takeroot.programmes.models import Programme
from takeroot.programmes.queries import programmes_for_workspace

from .. import bank, transfer
from ..bank_forms import ImportForm, QuestionFilterForm, QuestionForm, SettingsForm
from ..fitting import MIN_REVIEWS, describe, request_fit
from ..models import ParameterFit, Question
from ..scheduling import settings_for

CSV = "text/csv; charset=utf-8"


def _programme(request, uuid, perm: str = "quizzes.manage_bank") -> Programme:
    """The programme in the current workspace (else 404) that the viewer may work on (else 403)."""
    programme = get_or_404(programmes_for_workspace(request.workspace), uuid=uuid)
    require_perm(request, perm, programme)
    return programme


def _question(request, uuid) -> Question:
    questions = Question.objects.filter(workspace=request.workspace).select_related("programme")
    question = get_or_404(questions, uuid=uuid)
    require_perm(request, "quizzes.manage_bank", question.programme)
    return question


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Questions --------------------------------------------------------------------------------------


@workspace_view()
def question_list(request, uuid):
    programme = _programme(request, uuid, "quizzes.view_bank")
    filters = QuestionFilterForm(request.GET or None, programme=programme)
    questions = Question.objects.filter(programme=programme).select_related("module", "objective")
    rows = []
    for question in filters.apply(questions):
        code = question.language_for(request.LANGUAGE_CODE)  # the reader's language when the question has it
        rows.append({"question": question, "language": code, "prompt": question.content[code]["prompt"]})
    return render(request, "quizzes/bank_list.html", {"programme": programme, "filters": filters, "rows": rows})


def _edit(request, programme: Programme, question: Question | None):
    form = QuestionForm(request.POST or None, programme=programme, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            saved = bank.save_question(
                programme=programme,
                actor=request.user,
                question=question,
                created_by=request.person,
                **form.question_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("quizzes:bank", programme.uuid) if question else redirect(saved)
    title = _("Edit the question") if question else _("New question")
    context = {"programme": programme, "question": question, "form": form, "title": title}
    return render(request, "quizzes/bank_form.html", context)


@workspace_view()
def question_create(request, uuid):
    return _edit(request, _programme(request, uuid), None)


@workspace_view()
def question_edit(request, uuid):
    question = _question(request, uuid)
    return _edit(request, question.programme, question)


@require_POST
@workspace_view()
def question_archive(request, uuid):
    question = _question(request, uuid)
    if request.POST.get("restore"):
        bank.restore_question(question=question, actor=request.user)
        messages.success(request, _("Question restored: it can be asked again."))
    else:
        bank.archive_question(question=question, actor=request.user)
        messages.success(request, _("Question archived: it is not asked any more; its answers stay."))
    return redirect("quizzes:bank", question.programme.uuid)


@require_POST
@workspace_view()
def question_move(request, uuid):
    question = _question(request, uuid)
    bank.move_question(question=question, actor=request.user, up=request.POST.get("direction") == "up")
    return redirect(f"{reverse('quizzes:bank', args=[question.programme.uuid])}#question-{question.uuid}")


# Import and export ------------------------------------------------------------------------------


def _plan_key(programme: Programme) -> str:
    return f"quizzes-import-{programme.uuid}"


@workspace_view()
def bank_export(request, uuid, file_format):
    programme = _programme(request, uuid, "quizzes.view_bank")
    rows = transfer.export_rows(programme)
    if file_format == "xlsx":
        return _download(transfer.export_xlsx(rows), "questions.xlsx", transfer.XLSX)
    return _download(transfer.export_csv(rows), "questions.csv", CSV)


@workspace_view()
def bank_import(request, uuid):
    programme = _programme(request, uuid)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = transfer.preview_import(programme=programme, uploaded_file=form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            request.session[_plan_key(programme)] = plan.as_json()
            return redirect("quizzes:bank_import_preview", programme.uuid)
    return render(request, "quizzes/bank_import.html", {"programme": programme, "form": form})


@workspace_view()
def bank_import_preview(request, uuid):
    programme = _programme(request, uuid)
    plan = request.session.get(_plan_key(programme))
    if plan is None:
        return redirect("quizzes:bank_import", programme.uuid)
    if request.method == "POST":
        try:
            summary = transfer.apply_import(
                programme=programme, actor=request.user, plan=plan, created_by=request.person
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            del request.session[_plan_key(programme)]
            messages.success(
                request, _("Import done: %(create)s created, %(update)s updated, %(unchanged)s unchanged.") % summary
            )
            return redirect("quizzes:bank", programme.uuid)
    actions = {"create": 0, "update": 0, "unchanged": 0} | plan["actions"]
    return render(request, "quizzes/bank_import_preview.html", {"programme": programme, "plan": plan, **actions})


@workspace_view()
def bank_import_errors(request, uuid):
    """The uploaded rows with their errors beside them, to correct in a spreadsheet."""
    programme = _programme(request, uuid)
    plan = request.session.get(_plan_key(programme))
    if plan is None:
        return redirect("quizzes:bank_import", programme.uuid)
    return _download(transfer.export_csv(transfer.rows_with_errors(plan)), "questions-with-errors.csv", CSV)


# Settings and parameter fits --------------------------------------------------------------------


@workspace_view()
def bank_settings(request, uuid):
    programme = _programme(request, uuid, "quizzes.change_settings")
    quiz_settings = settings_for(programme)
    form = SettingsForm(request.POST or None, instance=quiz_settings)
    if request.method == "POST" and form.is_valid():
        try:
            bank.save_quiz_settings(programme=programme, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Quiz settings saved."))
            return redirect("quizzes:bank_settings", programme.uuid)
    fits = ParameterFit.objects.filter(programme=programme).select_related("requested_by__user")[:20]
    context = {
        "programme": programme,
        "form": form,
        "quiz_settings": settings_for(programme),
        "fits": [(fit, describe(fit)) for fit in fits],
        "min_reviews": MIN_REVIEWS,
    }
    return render(request, "quizzes/bank_settings.html", context)


@require_POST
@workspace_view()
def bank_fit(request, uuid):
    programme = _programme(request, uuid, "quizzes.fit_parameters")
    request_fit(programme=programme, actor=request.user, requested_by=request.person)
    messages.success(request, _("The fit has started. Its result appears in the history below."))
    return redirect("quizzes:bank_settings", programme.uuid)
