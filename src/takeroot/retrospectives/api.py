"""Retrospectives over JSON: the same queries, rules and services as the pages. The report's
endpoints live in ``report_api``."""

from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from takeroot.catalogue.models import Initiative
from takeroot.catalogue.queries import initiatives_for_workspace
from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.models import Person
from takeroot.core.pagination import Pages
from takeroot.core.queries import workspace_people
from takeroot.core.rules import API_KEY_SCOPES, principal_has_perm

from . import services
from .enums import RaterGroup
from .models import Rater, Retrospective
from .queries import (
    indicators_of,
    rater_for_user,
    raters_of,
    ratings_of,
    retrospectives_for_user,
    retrospectives_for_workspace,
    with_progress,
)
from .report_api import router as report_router
from .schemas import (
    IndicatorIn,
    IndicatorOut,
    RaterOut,
    RatersIn,
    RatingIn,
    RatingOut,
    RetrospectiveIn,
    RetrospectiveOut,
    RetrospectivePatch,
)

router = Router(tags=["retrospectives"])
router.add_router("", report_router)

# What an API key may do here. Rating is a person's own answer: no key scope gives it.
API_KEY_SCOPES.update(
    {
        "retrospectives.list_retrospectives": "retrospectives:read",
        "retrospectives.view_retrospective": "retrospectives:read",
        "retrospectives.view_answers": "retrospectives:read",
        "retrospectives.view_report": "retrospectives:read",
        "retrospectives.manage_retrospectives": "retrospectives:write",
    }
)

VIEW = "retrospectives.view_retrospective"
ANSWERS = "retrospectives.view_answers"
MANAGE = "retrospectives.manage_retrospectives"


def _listed(queryset):
    return with_progress(queryset).prefetch_related("initiatives")


# Objects named in the path: looked up in the caller's workspace (another workspace's answers
# exactly like a missing one), then the rule decides.


def _retrospective(request, retrospective_id: UUID, perm: str) -> Retrospective:
    workspace = api_workspace(request)
    retrospective = retrospectives_for_workspace(workspace).filter(uuid=retrospective_id).first()
    if retrospective is None:
        raise Http404
    require_api_perm(request, perm, retrospective)
    return retrospective


def _out(retrospective: Retrospective) -> Retrospective:
    # Read again after a write, with the counts and initiatives as saved.
    return _listed(retrospectives_for_workspace(retrospective.workspace)).get(pk=retrospective.pk)


def _initiative_in_path(request, initiative_id: UUID) -> Initiative:
    initiative = initiatives_for_workspace(api_workspace(request)).filter(uuid=initiative_id).first()
    if initiative is None:
        raise Http404
    return initiative


def _own_rater(request, retrospective: Retrospective) -> Rater:
    """The signed-in rater; an API key or someone not invited may not answer for anybody (403)."""
    if is_api_key(request) or not request.user.is_authenticated:
        raise PermissionDenied
    rater = rater_for_user(retrospective, request.user)
    if rater is None:
        raise PermissionDenied
    rater.retrospective = retrospective
    return rater


# Objects named in a body: unknown in this workspace → 400 on that field.


def _initiatives_field(request, ids: list[UUID], field: str = "initiatives") -> list[Initiative]:
    wanted = set(ids)
    found = list(initiatives_for_workspace(api_workspace(request)).filter(uuid__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({field: [_("There is no initiative with this id in the workspace.")]})
    return found


def _people_field(request, ids: list[UUID], field: str) -> list[Person]:
    wanted = set(ids)
    found = list(workspace_people(api_workspace(request)).filter(uuid__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({field: [_("There is nobody with this id in the workspace.")]})
    return found


# Retrospectives ------------------------------------------------------------------------------


@router.get(
    "/retrospectives",
    response={200: list[RetrospectiveOut], **READ_ERRORS},
    summary="List retrospectives: all for admins and keys, the ones you are invited to otherwise",
)
@paginate(Pages, page_size=50)
def list_retrospectives(request):
    workspace = api_workspace(request)
    require_api_perm(request, "retrospectives.list_retrospectives", workspace)
    if is_api_key(request):
        return _listed(retrospectives_for_workspace(workspace)).order_by("-period_end", "-opened_at", "pk")
    return _listed(retrospectives_for_user(request.user, workspace)).order_by("-period_end", "-opened_at", "pk")


@router.post(
    "/retrospectives",
    response={201: RetrospectiveOut, **WRITE_ERRORS},
    summary="Open a retrospective and invite its raters by mail",
)
def open_retrospective(request, payload: RetrospectiveIn):
    workspace = api_workspace(request)
    require_api_perm(request, MANAGE, workspace)
    data = payload.model_dump()
    initiatives = _initiatives_field(request, data["initiatives"]) if data["initiatives"] is not None else None
    leadership = _people_field(request, data["leadership"], "leadership")
    chosen = {person.pk for person in leadership}
    participants = [p for p in _people_field(request, data["participants"], "participants") if p.pk not in chosen]
    retrospective = services.open_retrospective(
        workspace=workspace,
        actor=api_actor(request),
        title=data["title"],
        period_start=data["period_start"],
        period_end=data["period_end"],
        introduction=data["introduction"],
        initiatives=initiatives,
        leadership=leadership,
        participants=participants,
    )
    return Status(201, _out(retrospective))


@router.get(
    "/retrospectives/{retrospective_id}", response={200: RetrospectiveOut, **READ_ERRORS}, summary="One retrospective"
)
def get_retrospective(request, retrospective_id: UUID):
    return _out(_retrospective(request, retrospective_id, VIEW))


@router.patch(
    "/retrospectives/{retrospective_id}",
    response={200: RetrospectiveOut, **WRITE_ERRORS},
    summary="Change the title, period, message or initiatives under review",
)
def update_retrospective(request, retrospective_id: UUID, payload: RetrospectivePatch):
    retrospective = _retrospective(request, retrospective_id, MANAGE)
    data = payload.model_dump(exclude_unset=True)
    if "initiatives" in data:
        data["initiatives"] = _initiatives_field(request, data["initiatives"] or [])
    services.update_retrospective(retrospective=retrospective, actor=api_actor(request), **data)
    return _out(retrospective)


@router.delete(
    "/retrospectives/{retrospective_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a retrospective with its raters, ratings and indicators",
)
def delete_retrospective(request, retrospective_id: UUID):
    retrospective = _retrospective(request, retrospective_id, MANAGE)
    services.delete_retrospective(retrospective=retrospective, actor=api_actor(request))
    return Status(204, None)


@router.post(
    "/retrospectives/{retrospective_id}/close",
    response={200: RetrospectiveOut, **WRITE_ERRORS},
    summary="Close: no more ratings",
)
def close_retrospective(request, retrospective_id: UUID):
    retrospective = _retrospective(request, retrospective_id, MANAGE)
    services.close_retrospective(retrospective=retrospective, actor=api_actor(request))
    return _out(retrospective)


@router.post(
    "/retrospectives/{retrospective_id}/reopen",
    response={200: RetrospectiveOut, **WRITE_ERRORS},
    summary="Reopen for ratings",
)
def reopen_retrospective(request, retrospective_id: UUID):
    retrospective = _retrospective(request, retrospective_id, MANAGE)
    services.reopen_retrospective(retrospective=retrospective, actor=api_actor(request))
    return _out(retrospective)


# Raters --------------------------------------------------------------------------------------


@router.get(
    "/retrospectives/{retrospective_id}/raters",
    response={200: list[RaterOut], **READ_ERRORS},
    summary="The raters, their group and whether they are done",
)
@paginate(Pages, page_size=100)
def list_raters(request, retrospective_id: UUID):
    return raters_of(_retrospective(request, retrospective_id, ANSWERS))


@router.post(
    "/retrospectives/{retrospective_id}/raters",
    response={201: list[RaterOut], **WRITE_ERRORS},
    summary="Invite people to rate, in one group; answers the new raters (who is already one is left out)",
)
def invite_raters(request, retrospective_id: UUID, payload: RatersIn):
    retrospective = _retrospective(request, retrospective_id, MANAGE)
    people = _people_field(request, payload.people, "people")
    invited = services.invite_raters(
        retrospective=retrospective, actor=api_actor(request), people=people, group=RaterGroup(payload.group)
    )
    return Status(201, list(raters_of(retrospective).filter(pk__in=[rater.pk for rater in invited])))


@router.delete(
    "/retrospectives/{retrospective_id}/raters/{rater_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Take a rater off, with their ratings",
)
def remove_rater(request, retrospective_id: UUID, rater_id: UUID):
    retrospective = _retrospective(request, retrospective_id, MANAGE)
    rater = raters_of(retrospective).filter(uuid=rater_id).first()
    if rater is None:
        raise Http404
    services.remove_rater(rater=rater, actor=api_actor(request))
    return Status(204, None)


# Ratings -------------------------------------------------------------------------------------


@router.get(
    "/retrospectives/{retrospective_id}/ratings",
    response={200: list[RatingOut], **READ_ERRORS},
    summary="Every rating with its rater and group (admins and keys), or your own (a rater)",
)
@paginate(Pages, page_size=200)
def list_ratings(request, retrospective_id: UUID):
    retrospective = _retrospective(request, retrospective_id, VIEW)
    if principal_has_perm(request, ANSWERS, retrospective):
        return ratings_of(retrospective)
    return ratings_of(retrospective, rater=_own_rater(request, retrospective))


def _single_answer(rater: Rater, initiative: Initiative, answer: dict | None) -> None:
    """``save_ratings`` for one initiative, its problems named by field alone."""
    try:
        services.save_ratings(rater=rater, answers={initiative: answer})
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        prefix = services.answer_key(initiative, "")
        raise ValidationError(
            {key.removeprefix(prefix): messages for key, messages in error.message_dict.items()}
        ) from None


@router.put(
    "/retrospectives/{retrospective_id}/ratings/{initiative_id}",
    response={200: RatingOut, **WRITE_ERRORS},
    summary="Your own answer about one initiative (a signed-in rater only, while open)",
)
def put_rating(request, retrospective_id: UUID, initiative_id: UUID, payload: RatingIn):
    retrospective = _retrospective(request, retrospective_id, VIEW)
    initiative = _initiative_in_path(request, initiative_id)
    rater = _own_rater(request, retrospective)
    _single_answer(rater, initiative, payload.model_dump())
    return ratings_of(retrospective, rater=rater).get(initiative=initiative)


@router.delete(
    "/retrospectives/{retrospective_id}/ratings/{initiative_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Your own answer about one initiative becomes “I don't know it”",
)
def delete_rating(request, retrospective_id: UUID, initiative_id: UUID):
    retrospective = _retrospective(request, retrospective_id, VIEW)
    initiative = _initiative_in_path(request, initiative_id)
    rater = _own_rater(request, retrospective)
    _single_answer(rater, initiative, None)
    return Status(204, None)


# Effect indicators ---------------------------------------------------------------------------


@router.get(
    "/retrospectives/{retrospective_id}/indicators",
    response={200: list[IndicatorOut], **READ_ERRORS},
    summary="The effect indicators entered by hand, with their sources",
)
def list_indicators(request, retrospective_id: UUID):
    return list(indicators_of(_retrospective(request, retrospective_id, ANSWERS)))


@router.post(
    "/retrospectives/{retrospective_id}/indicators",
    response={201: IndicatorOut, **WRITE_ERRORS},
    summary="Attach a number, with its source, to an initiative under review",
)
def add_indicator(request, retrospective_id: UUID, payload: IndicatorIn):
    retrospective = _retrospective(request, retrospective_id, MANAGE)
    data = payload.model_dump()
    data["initiative"] = _initiatives_field(request, [data["initiative"]], "initiative")[0]
    indicator = services.add_indicator(retrospective=retrospective, actor=api_actor(request), **data)
    return Status(201, indicators_of(retrospective).get(pk=indicator.pk))


@router.delete(
    "/retrospectives/{retrospective_id}/indicators/{indicator_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove an effect indicator",
)
def remove_indicator(request, retrospective_id: UUID, indicator_id: UUID):
    retrospective = _retrospective(request, retrospective_id, MANAGE)
    indicator = indicators_of(retrospective).filter(uuid=indicator_id).first()
    if indicator is None:
        raise Http404
    services.remove_indicator(indicator=indicator, actor=api_actor(request))
    return Status(204, None)
