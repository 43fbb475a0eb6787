"""The cohort's groups for its trainers and admins: create by hand, add, remove and move
members, rename or delete a group, and form groups automatically after a preview."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.models import Person
from takeroot.core.views.helpers import add_service_errors, get_or_404, workspace_view

from .. import services
from ..forms import AutoGroupForm, GroupForm, MemberForm
from ..models import PeerGroup
from ..queries import groups_for_workspace, ungrouped_participants
from .common import find_cohort, find_group


def _ungrouped(cohort):
    return (
        Person.objects.filter(pk__in=[p.pk for p in ungrouped_participants(cohort)])
        .select_related("user", "team")
        .order_by("user__name")
    )


@workspace_view("peers.view_peers")
def groups_page(request, cohort_uuid):
    cohort = find_cohort(request, cohort_uuid, "peers.manage_groups")
    form = GroupForm(request.POST or None, people=_ungrouped(cohort))
    if not form.fields["members"].queryset.exists():
        del form.fields["members"]  # everyone has a group: an empty list of boxes helps nobody
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(
                cohort=cohort,
                actor=request.user,
                name=form.cleaned_data["name"],
                members=list(form.cleaned_data.get("members", [])),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Group “%(name)s” created.") % {"name": group.name})
            return redirect("peers:groups_page", cohort.uuid)
    groups = list(groups_for_workspace(request.workspace).filter(cohort=cohort))
    return render(
        request,
        "peers/groups.html",
        {
            "cohort": cohort,
            "groups": groups,
            "form": form,
            "ungrouped": ungrouped_participants(cohort),
            "auto_form": AutoGroupForm(),
        },
    )


def _signature(proposed) -> str:
    # What the trainer saw: confirming saves only if the proposal is still the same.
    text = "|".join(",".join(str(p.uuid) for p in group.members) for group in proposed)
    return hashlib.sha256(text.encode()).hexdigest()


@workspace_view("peers.view_peers")
def auto_groups(request, cohort_uuid):
    """Step 1 shows the proposed groups; step 2 (confirm) saves them if nothing changed since."""
    cohort = find_cohort(request, cohort_uuid, "peers.manage_groups")
    form = AutoGroupForm(request.POST or None)
    proposed, signature = None, ""
    if request.method == "POST" and form.is_valid():
        size, mode = form.cleaned_data["size"], form.cleaned_data["mode"]
        try:
            proposed = services.form_groups(cohort=cohort, actor=request.user, size=size, mode=mode, preview=True)
            signature = _signature(proposed)
            if request.POST.get("confirm") == signature:
                services.form_groups(cohort=cohort, actor=request.user, size=size, mode=mode)
                messages.success(request, _("%(count)s groups formed.") % {"count": len(proposed)})
                return redirect("peers:groups_page", cohort.uuid)
            if request.POST.get("confirm"):
                messages.warning(request, _("The participants changed since the preview: check the new proposal."))
        except ValidationError as error:
            add_service_errors(form, error)
            proposed = None
    return render(
        request,
        "peers/auto_groups.html",
        {"cohort": cohort, "form": form, "proposed": proposed, "signature": signature},
    )


@workspace_view("peers.view_peers")
def group_edit(request, group_uuid):
    """Rename the group, add a participant, or delete the group."""
    group = find_group(request, group_uuid, "peers.manage_groups")
    cohort = group.cohort
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                services.delete_group(group=group, actor=request.user)
                messages.success(request, _("Group deleted."))
            elif "rename" in request.POST:
                services.rename_group(group=group, actor=request.user, name=request.POST.get("name", ""))
                messages.success(request, _("Group renamed."))
            else:
                form = MemberForm(request.POST, people=_ungrouped(cohort))
                if not form.is_valid():
                    raise ValidationError(form.errors.get("person", [_("Choose a participant.")]))
                services.add_member(group=group, person=form.cleaned_data["person"], actor=request.user)
                messages.success(request, _("Participant added."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("peers:groups_page", cohort.uuid)


@require_POST
@workspace_view("peers.view_peers")
def member_change(request, group_uuid, person_uuid):
    """Remove a member from the group, or move them to another group of the cohort."""
    group = find_group(request, group_uuid, "peers.manage_groups")
    person = get_or_404(Person.objects.filter(pk__in=group.memberships.values("person_id")), uuid=person_uuid)
    try:
        if request.POST.get("to_group"):
            target = get_or_404(PeerGroup.objects.filter(cohort=group.cohort), uuid=request.POST["to_group"])
            services.move_member(person=person, to_group=target, actor=request.user)
            messages.success(request, _("%(name)s moved to %(group)s.") % {"name": person, "group": target.name})
        else:
            services.remove_member(group=group, person=person, actor=request.user)
            messages.success(request, _("%(name)s removed from the group.") % {"name": person})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("peers:groups_page", group.cohort.uuid)
