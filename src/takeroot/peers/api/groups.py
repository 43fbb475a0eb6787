"""Peer groups over JSON: list, read, change and delete; a cohort's groups, by hand or formed automatically."""

from uuid import UUID

from ninja import Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, require_api_perm
from takeroot.core.pagination import Pages

from .. import services
from ..queries import (
    groups_for_workspace,
)
from ..schemas import (
    AutoGroupIn,
    AutoGroupOut,
    GroupIn,
    GroupOut,
    GroupPatch,
)
from .common import (
    cohort_in_path,
    group_in_path,
    group_out,
    people_field,
    person_ref,
    router,
    visible_groups,
)


@router.get("peer-groups", response={200: list[GroupOut], **READ_ERRORS}, summary="List the peer groups you may see")
@paginate(Pages, page_size=50)
def list_groups(request):
    require_api_perm(request, "peers.view_peers", api_workspace(request))
    return [group_out(group) for group in visible_groups(request).order_by("cohort__starts_on", "name", "pk")]


@router.get("peer-groups/{group_id}", response={200: GroupOut, **READ_ERRORS}, summary="Read a peer group")
def read_group(request, group_id: UUID):
    return group_out(group_in_path(request, group_id))


@router.patch(
    "peer-groups/{group_id}",
    response={200: GroupOut, **WRITE_ERRORS},
    summary="Rename a group, add people (moving them from another group) or take members out",
)
def update_group(request, group_id: UUID, payload: GroupPatch):
    group = group_in_path(request, group_id)
    require_api_perm(request, "peers.manage_groups", group)
    actor = api_actor(request)
    add = people_field(request, payload.add, "add")
    remove = people_field(request, payload.remove, "remove")
    if payload.name is not None:
        services.rename_group(group=group, actor=actor, name=payload.name)
    for person in remove:
        services.remove_member(group=group, person=person, actor=actor)
    for person in add:
        services.move_member(person=person, to_group=group, actor=actor)
    return group_out(groups_for_workspace(group.workspace).get(pk=group.pk))


@router.delete("peer-groups/{group_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a group and its threads")
def delete_group(request, group_id: UUID):
    group = group_in_path(request, group_id)
    require_api_perm(request, "peers.manage_groups", group)
    services.delete_group(group=group, actor=api_actor(request))
    return Status(204, None)


@router.get(
    "cohorts/{cohort_id}/peer-groups",
    response={200: list[GroupOut], **READ_ERRORS},
    summary="The cohort's peer groups you may see",
)
def list_cohort_groups(request, cohort_id: UUID):
    cohort = cohort_in_path(request, cohort_id, "peers.view_community")
    return [group_out(group) for group in visible_groups(request).filter(cohort=cohort)]


@router.post(
    "cohorts/{cohort_id}/peer-groups", response={201: GroupOut, **WRITE_ERRORS}, summary="Create a group by hand"
)
def create_group(request, cohort_id: UUID, payload: GroupIn):
    cohort = cohort_in_path(request, cohort_id, "peers.manage_groups")
    members = people_field(request, payload.members, "members")
    group = services.create_group(cohort=cohort, actor=api_actor(request), name=payload.name, members=members)
    return Status(201, group_out(groups_for_workspace(cohort.workspace).get(pk=group.pk)))


@router.post(
    "cohorts/{cohort_id}/peer-groups/auto",
    response={200: AutoGroupOut, 201: AutoGroupOut, **WRITE_ERRORS},
    summary="Form groups of everyone without one: a preview (200) or, with preview false, saved (201)",
)
def auto_groups(request, cohort_id: UUID, payload: AutoGroupIn):
    cohort = cohort_in_path(request, cohort_id, "peers.manage_groups")
    proposed = services.form_groups(
        cohort=cohort, actor=api_actor(request), size=payload.size, mode=payload.mode, preview=payload.preview
    )
    groups = [{"name": g.name, "kind": g.kind, "members": [person_ref(p) for p in g.members]} for g in proposed]
    return Status(200 if payload.preview else 201, {"saved": not payload.preview, "groups": groups})
