"""What the practice views share: finding an object (404 outside the viewer's sight), then the rule."""

from takeroot.core.views.helpers import get_or_404, require_perm
from takeroot.programmes.models import Cohort

from ..models import PracticeAssignment, PracticeTask
from ..queries import assignment_detail, assignments_for_user, tasks_for_user


def find_cohort(request, uuid, perm: str = "practice.manage_cohort_practice") -> Cohort:
    cohort = get_or_404(Cohort.objects.filter(workspace=request.workspace).select_related("programme"), uuid=uuid)
    require_perm(request, perm, cohort)
    return cohort


def find_task(request, uuid, perm: str = "practice.manage_task") -> PracticeTask:
    task = get_or_404(tasks_for_user(request.user, workspace=request.workspace), uuid=uuid)
    require_perm(request, perm, task)
    return task


def find_assignment(request, uuid, perm: str = "practice.view_assignment") -> PracticeAssignment:
    visible = assignments_for_user(request.user, workspace=request.workspace).values("pk")
    assignment = get_or_404(assignment_detail(request.workspace).filter(pk__in=visible), uuid=uuid)
    require_perm(request, perm, assignment)
    return assignment
