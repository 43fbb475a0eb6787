"""What the plan views share: finding a plan (404 outside the viewer's sight) and checking the rule."""

from django.db.models import Q

from takeroot.core.views.helpers import get_or_404, require_perm

from ..models import ActionPlan
from ..queries import buddy_plans, plan_detail, plans_for_user


def find_plan(request, uuid, perm: str = "plans.view_plan") -> ActionPlan:
    """The plan among those the person may see (else 404, like a missing one), if the rule allows
    the action (else 403)."""
    visible = plans_for_user(request.user, workspace=request.workspace).values("pk")
    plan = get_or_404(plan_detail(request.workspace).filter(pk__in=visible), uuid=uuid)
    require_perm(request, perm, plan)
    return plan


def find_plan_with_buddy(request, uuid, perm: str) -> ActionPlan:
    """Like ``find_plan``, but the plans the person cheers on as the buddy are visible too."""
    visible = plans_for_user(request.user, workspace=request.workspace).values("pk")
    cheered = buddy_plans(request.person).values("pk")
    found = plan_detail(request.workspace).filter(Q(pk__in=visible) | Q(pk__in=cheered))
    plan = get_or_404(found.prefetch_related("cheers__author__user", "cheers__goal"), uuid=uuid)
    require_perm(request, perm, plan)
    return plan
