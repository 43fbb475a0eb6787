"""The trainer's and admin's practice pages: a cohort's tasks with completion rates and its
review setting, creating and editing a task, assigning it, and a task's participants."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, workspace_view
from takeroot.programmes.models import Module

from .. import services
from ..forms import AssignForm, SettingsForm, TaskForm
from ..models import CohortPracticeSettings, PracticeTask
from ..queries import (
    assignable_enrolments,
    assignments_for_workspace,
    cohort_completion,
    cohort_tasks,
    task_completion,
    with_completion,
)
from .common import find_cohort, find_task


def _settings_form(cohort, data=None):
    instance = CohortPracticeSettings.objects.filter(cohort=cohort).first() or CohortPracticeSettings(cohort=cohort)
    return SettingsForm(data, instance=instance)


@workspace_view("practice.view_practice")
def cohort_page(request, cohort_uuid):
    cohort = find_cohort(request, cohort_uuid, "practice.view_cohort_practice")
    tasks = [(task, task_completion(task)) for task in cohort_tasks(cohort)]
    context = {
        "cohort": cohort,
        "tasks": tasks,
        "total": cohort_completion(cohort),
        "settings_form": _settings_form(cohort),
    }
    return render(request, "practice/cohort.html", context)


@require_POST
@workspace_view("practice.view_practice")
def cohort_settings(request, cohort_uuid):
    cohort = find_cohort(request, cohort_uuid)
    form = _settings_form(cohort, request.POST)
    if form.is_valid():
        services.save_practice_settings(
            cohort=cohort, actor=request.user, trainer_alone=form.cleaned_data["trainer_alone"]
        )
        messages.success(request, _("Review setting saved."))
    return redirect("practice:cohort", cohort.uuid)


def _modules(cohort):
    return Module.objects.filter(programme_id=cohort.programme_id).order_by("position", "id")


@workspace_view("practice.view_practice")
def task_create(request, cohort_uuid):
    cohort = find_cohort(request, cohort_uuid)
    form = TaskForm(request.POST or None, modules=_modules(cohort))
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_task(
                cohort=cohort, actor=request.user, created_by=request.person, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Practice task created. Now choose who does it."))
            return redirect("practice:task_assign", task.uuid)
    title = _("New practice task")
    return render(request, "practice/task_form.html", {"cohort": cohort, "form": form, "title": title})


@workspace_view("practice.view_practice")
def task_edit(request, uuid):
    task = find_task(request, uuid)
    form = TaskForm(request.POST or None, instance=PracticeTask.objects.get(pk=task.pk), modules=_modules(task.cohort))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(task=task, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Practice task saved."))
            return redirect(task)
    title = _("Edit the practice task")
    return render(request, "practice/task_form.html", {"cohort": task.cohort, "form": form, "title": title})


@workspace_view("practice.view_practice")
def task_assign(request, uuid):
    task = find_task(request, uuid)
    enrolments = list(assignable_enrolments(task.cohort))
    already = set(task.assignments.values_list("enrolment_id", flat=True))
    form = AssignForm(request.POST or None, enrolments=[e for e in enrolments if e.pk not in already])
    if request.method == "POST" and form.is_valid():
        try:
            created = services.assign_task(
                task=task, actor=request.user, assigned_by=request.person, enrolments=form.chosen()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("Assigned to %(count)d person.", "Assigned to %(count)d people.", len(created))
                % {"count": len(created)}
                if created
                else _("Everyone chosen already has this task."),
            )
            return redirect(task)
    return render(request, "practice/assign.html", {"task": task, "form": form, "assigned": len(already)})


@workspace_view("practice.view_practice")
def task_detail(request, uuid):
    task = find_task(request, uuid)
    task = with_completion(PracticeTask.objects.filter(pk=task.pk).select_related("cohort__programme", "module")).get()
    assignments = (
        assignments_for_workspace(request.workspace).filter(task=task).order_by("enrolment__person__user__name", "pk")
    )
    context = {"task": task, "completion": task_completion(task), "assignments": assignments}
    return render(request, "practice/task_detail.html", context)
