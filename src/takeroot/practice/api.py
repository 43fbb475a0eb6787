"""Practice tasks over JSON. Same queries, rules and services as the pages.

Objects named in the path are looked up among those the caller may see (else 404); then the rule
decides (403). Objects named in a body that are unknown answer 400 on that field. Files are
uploaded and downloaded through the web pages only. Reports and reviews are personal acts: an
API key (which is nobody) cannot submit or review.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.pagination import Pages
from takeroot.core.queries import membership
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.programmes.models import Cohort, Module

from . import services
from .models import PracticeAssignment, PracticeTask
from .queries import (
    Completion,
    assignment_detail,
    assignments_for_user,
    assignments_for_workspace,
    cohort_completion,
    cohort_tasks,
    task_completion,
    tasks_for_user,
    tasks_for_workspace,
    with_completion,
)
from .schemas import (
    AssignIn,
    AssignmentOut,
    AssignmentSummaryOut,
    CohortCompletionOut,
    ReportIn,
    ReviewIn,
    TaskFilters,
    TaskIn,
    TaskOut,
    TaskPatch,
)

router = Router(tags=["Practice tasks"])

API_KEY_SCOPES.update(
    {
        "practice.view_practice": "practice:read",
        "practice.view_cohort_practice": "practice:read",
        "practice.manage_cohort_practice": "practice:write",
        "practice.manage_task": "practice:write",
        "practice.view_assignment": "practice:read",
    }
)
ROLE_PERMS = {"trainer": "practice.review_as_trainer", "supervisor": "practice.review_as_supervisor"}


def _tasks(request, workspace):
    return tasks_for_workspace(workspace) if is_api_key(request) else tasks_for_user(request.user, workspace=workspace)


def _assignments(request, workspace):
    if is_api_key(request):
        return assignments_for_workspace(workspace)
    return assignments_for_user(request.user, workspace=workspace)


def _me(request):
    return None if is_api_key(request) else membership(request.user, api_workspace(request))


def _completion_out(found: Completion) -> dict:
    return {
        "assigned": found.assigned,
        "submitted": found.submitted,
        "completed": found.completed,
        "percent_completed": found.percent,
    }


def _task_out(task: PracticeTask) -> dict:
    return {
        "id": task.uuid,
        "cohort": task.cohort.uuid,
        "title": task.title,
        "instructions": task.instructions,
        "due_on": task.due_on,
        "module": task.module.uuid if task.module else None,
        "completion": _completion_out(task_completion(task)),
    }


def _summary_out(assignment: PracticeAssignment) -> dict:
    supervisor = assignment.supervisor
    return {
        "id": assignment.uuid,
        "task": assignment.task.uuid,
        "enrolment": assignment.enrolment.uuid,
        "participant": assignment.enrolment.person.user.name,
        "supervisor": supervisor.user.name if supervisor else None,
        "state": assignment.state,
        "submitted_at": assignment.submitted_at,
        "completed_at": assignment.completed_at,
    }


def _assignment_out(assignment: PracticeAssignment) -> dict:
    assignment = assignment_detail(assignment.workspace).get(pk=assignment.pk)
    reports = [
        {
            "id": report.uuid,
            "version": report.version,
            "text": report.text,
            "submitted_at": report.submitted_at,
            "attachments": [
                {
                    "id": f.uuid,
                    "name": f.name,
                    "content_type": f.content_type,
                    "size": f.size,
                    "download_url": f.get_absolute_url(),
                }
                for f in report.attachments.all()
            ],
            "reviews": [
                {
                    "id": r.uuid,
                    "role": r.role,
                    "verdict": r.verdict,
                    "reviewer": r.reviewer.user.name if r.reviewer else None,
                    "comment": r.comment,
                    "created_at": r.created_at,
                }
                for r in report.reviews.all()
            ],
        }
        for report in assignment.reports.all()
    ]
    return _summary_out(assignment) | {"needs_supervisor": services.needs_supervisor(assignment), "reports": reports}


def _task(request, task_id: UUID, perm: str) -> PracticeTask:
    workspace = api_workspace(request)
    task = with_completion(_tasks(request, workspace)).filter(uuid=task_id).first()
    if task is None:
        raise Http404
    require_api_perm(request, perm, task)
    return task


def _assignment(request, assignment_id: UUID, perm: str = "practice.view_assignment") -> PracticeAssignment:
    workspace = api_workspace(request)
    visible = _assignments(request, workspace).values("pk")
    assignment = assignment_detail(workspace).filter(pk__in=visible, uuid=assignment_id).first()
    if assignment is None:
        raise Http404
    require_api_perm(request, perm, assignment)
    return assignment


def _module(cohort: Cohort, module_id):
    if module_id is None:
        return None
    found = Module.objects.filter(programme_id=cohort.programme_id, uuid=module_id).first()
    if found is None:
        raise ValidationError({"module": [_("There is no such module in this cohort's programme.")]})
    return found


# Tasks -----------------------------------------------------------------------------------------


@router.get(
    "practice-tasks",
    response={200: list[TaskOut], **READ_ERRORS},
    summary="List the practice tasks you may see, with completion; filter by cohort",
)
@paginate(Pages, page_size=50)
def list_tasks(request, filters: Query[TaskFilters]):
    workspace = api_workspace(request)
    require_api_perm(request, "practice.view_practice", workspace)
    tasks = with_completion(_tasks(request, workspace))
    if filters.cohort:
        tasks = tasks.filter(cohort__uuid=filters.cohort)
    return [_task_out(task) for task in tasks.order_by("due_on", "pk")]


@router.post("practice-tasks", response={201: TaskOut, **WRITE_ERRORS}, summary="Create a practice task for a cohort")
def create_task(request, payload: TaskIn):
    workspace = api_workspace(request)
    require_api_perm(request, "practice.view_practice", workspace)
    cohort = Cohort.objects.filter(workspace=workspace, uuid=payload.cohort).first()
    if cohort is None:
        raise ValidationError({"cohort": [_("There is no cohort with this id in the workspace.")]})
    require_api_perm(request, "practice.manage_cohort_practice", cohort)
    task = services.create_task(
        cohort=cohort,
        actor=api_actor(request),
        created_by=_me(request),
        title=payload.title,
        instructions=payload.instructions,
        due_on=payload.due_on,
        module=_module(cohort, payload.module),
    )
    return Status(201, _task_out(with_completion(tasks_for_workspace(workspace)).get(pk=task.pk)))


@router.get("practice-tasks/{task_id}", response={200: TaskOut, **READ_ERRORS}, summary="Read a practice task")
def read_task(request, task_id: UUID):
    return _task_out(_task(request, task_id, "practice.view_practice"))


@router.patch("practice-tasks/{task_id}", response={200: TaskOut, **WRITE_ERRORS}, summary="Change a practice task")
def update_task(request, task_id: UUID, payload: TaskPatch):
    task = _task(request, task_id, "practice.manage_task")
    fields = payload.dict(exclude_unset=True)
    if "module" in fields:
        fields["module"] = _module(task.cohort, fields["module"])
    services.update_task(task=task, actor=api_actor(request), **fields)
    return _task_out(task)


@router.get(
    "practice-tasks/{task_id}/assignments",
    response={200: list[AssignmentSummaryOut], **READ_ERRORS},
    summary="The task's assignments you may see",
)
@paginate(Pages, page_size=50)
def list_assignments(request, task_id: UUID):
    task = _task(request, task_id, "practice.view_practice")
    found = _assignments(request, task.workspace).filter(task=task)
    return [_summary_out(a) for a in found.order_by("enrolment__person__user__name", "pk")]


@router.post(
    "practice-tasks/{task_id}/assignments",
    response={201: list[AssignmentSummaryOut], **WRITE_ERRORS},
    summary="Assign the task to chosen enrolments of its cohort, or to everyone enrolled",
)
def assign_task(request, task_id: UUID, payload: AssignIn):
    task = _task(request, task_id, "practice.manage_task")
    enrolments = None
    if payload.enrolments is not None:
        found = {e.uuid: e for e in task.cohort.enrolments.filter(uuid__in=payload.enrolments)}
        if len(found) != len(set(payload.enrolments)):
            raise ValidationError({"enrolments": [_("Choose people enrolled in this cohort.")]})
        enrolments = list(found.values())
    created = services.assign_task(task=task, actor=api_actor(request), assigned_by=_me(request), enrolments=enrolments)
    found = assignments_for_workspace(task.workspace).filter(pk__in=[a.pk for a in created])
    return Status(201, [_summary_out(a) for a in found.order_by("enrolment__person__user__name", "pk")])


# Assignments, reports, reviews -----------------------------------------------------------------


@router.get(
    "practice-assignments/{assignment_id}",
    response={200: AssignmentOut, **READ_ERRORS},
    summary="An assignment with its report versions, files and reviews",
)
def read_assignment(request, assignment_id: UUID):
    return _assignment_out(_assignment(request, assignment_id))


@router.post(
    "practice-assignments/{assignment_id}/reports",
    response={201: AssignmentOut, **WRITE_ERRORS},
    summary="Submit a report (text only; the participant). Files go through the web page",
)
def submit_report(request, assignment_id: UUID, payload: ReportIn):
    assignment = _assignment(request, assignment_id, "practice.submit_report")
    services.submit_report(assignment=assignment, actor=api_actor(request), author=_me(request), text=payload.text)
    return Status(201, _assignment_out(assignment))


@router.post(
    "practice-assignments/{assignment_id}/reviews",
    response={201: AssignmentOut, **WRITE_ERRORS},
    summary="Review the latest report as the trainer or the supervisor",
)
def review_report(request, assignment_id: UUID, payload: ReviewIn):
    assignment = _assignment(request, assignment_id, ROLE_PERMS[payload.role])
    services.review_report(
        assignment=assignment,
        actor=api_actor(request),
        reviewer=_me(request),
        role=payload.role,
        verdict=payload.verdict,
        comment=payload.comment,
    )
    return Status(201, _assignment_out(assignment))


@router.get(
    "cohorts/{cohort_id}/practice-completion",
    response={200: CohortCompletionOut, **READ_ERRORS},
    summary="Practice completion of a cohort, in total and per task (trainers and admins)",
)
def cohort_practice_completion(request, cohort_id: UUID):
    workspace = api_workspace(request)
    require_api_perm(request, "practice.view_practice", workspace)
    cohort = Cohort.objects.filter(workspace=workspace, uuid=cohort_id).first()
    if cohort is None:
        raise Http404
    require_api_perm(request, "practice.view_cohort_practice", cohort)
    return {
        "cohort": cohort.uuid,
        "completion": _completion_out(cohort_completion(cohort)),
        "tasks": [_task_out(task) for task in cohort_tasks(cohort)],
    }
