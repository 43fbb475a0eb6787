"""What the plan views share: finding a plan (404 outside the workspace) and checking the rule."""

from takeroot.core.views.helpers import get_or_404, require_perm

from ..models import CompetencePlan
from ..queries import plan_detail


def find_plan(request, uuid, perm: str = "competence.view_plan") -> CompetencePlan:
    """The plan in the current workspace (else 404), if the rule allows (else 403)."""
    plan = get_or_404(plan_detail(request.workspace), uuid=uuid)
    require_perm(request, perm, plan)
    return plan
