"""My communities, a cohort's community, a group's page, a thread with its replies, editing a
post and moderation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, require_perm, workspace_view

from .. import services
from ..forms import EditPostForm, HideForm, PostForm, ThreadForm
from ..models import Ambassador
from ..queries import (
    communities_of,
    community_threads,
    group_threads,
    groups_for_person,
    latest_activity,
    own_groups,
    posts_shown_to,
    team_insights,
)
from ..services.threads import can_still_edit
from .common import find_cohort, find_group, find_post, find_thread


@workspace_view("peers.view_peers")
def my_communities(request):
    """The cohorts and groups I belong to, and my team's insights."""
    me = request.person
    cohorts = list(communities_of(me, every_place=False)) if me else []
    groups = list(own_groups(me)) if me else []
    team = me.team if me and me.team_id else None
    ambassador = Ambassador.objects.filter(team=team).select_related("person__user").first() if team else None
    insights = list(team_insights(team, me)[:5]) if team else []
    return render(
        request,
        "peers/mine.html",
        {"cohorts": cohorts, "groups": groups, "team": team, "ambassador": ambassador, "insights": insights},
    )


def _start_thread(request, form, **where):
    try:
        thread = services.start_thread(
            author=request.person,
            actor=request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            **where,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, _("Thread started."))
    return redirect(thread)


@workspace_view("peers.view_peers")
def cohort_page(request, cohort_uuid):
    """The cohort's community threads (and a form to start one), its groups, and for trainers a
    link to the grouping page."""
    cohort = find_cohort(request, cohort_uuid)
    form = ThreadForm(request.POST or None)
    if request.method == "POST":
        require_perm(request, "peers.start_community_thread", cohort)
        if form.is_valid() and (done := _start_thread(request, form, cohort=cohort)):
            return done
    groups = groups_for_person(request.person).filter(cohort=cohort)
    return render(
        request,
        "peers/cohort.html",
        {
            "cohort": cohort,
            "threads": community_threads(cohort, request.person),
            "groups": groups,
            "form": form,
            "can_manage": request.user.has_perm("peers.manage_groups", cohort),
        },
    )


@workspace_view("peers.view_peers")
def group_page(request, group_uuid):
    group = find_group(request, group_uuid)
    form = ThreadForm(request.POST or None)
    if request.method == "POST":
        require_perm(request, "peers.start_group_thread", group)
        if form.is_valid() and (done := _start_thread(request, form, group=group)):
            return done
    return render(
        request,
        "peers/group.html",
        {
            "group": group,
            "threads": group_threads(group, request.person),
            "form": form,
            "can_manage": request.user.has_perm("peers.manage_groups", group.cohort),
        },
    )


def _back(thread):
    if thread.team_id:
        return ("peers:team_page", thread.team.uuid)
    if thread.group_id:
        return ("peers:group_page", thread.group.uuid)
    return ("peers:cohort_page", thread.cohort.uuid)


@workspace_view("peers.view_peers")
def thread_page(request, thread_uuid):
    """The thread with its replies (hidden ones only for their author and the moderators), the
    reply form and, for moderators, pin, lock and hide."""
    thread = find_thread(request, thread_uuid)
    form = PostForm(request.POST or None)
    if request.method == "POST":
        require_perm(request, "peers.reply", thread)
        if form.is_valid():
            try:
                services.reply(thread=thread, author=request.person, actor=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Reply posted."))
                return redirect(thread)
    moderator = request.user.has_perm("peers.moderate", thread)
    posts = posts_shown_to(thread, request.person, moderator=moderator)
    editable = {post.pk for post in posts if post.author_id == request.person.pk and can_still_edit(post)}
    back = _back(thread)
    return render(
        request,
        "peers/thread.html",
        {
            "thread": thread,
            "posts": posts,
            "form": form,
            "moderator": moderator,
            "editable": editable,
            "back_url": back,
            "can_reply": not thread.locked and not thread.is_hidden,
        },
    )


@require_POST
@workspace_view("peers.view_peers")
def thread_moderate(request, thread_uuid):
    thread = find_thread(request, thread_uuid, "peers.moderate")
    action = request.POST.get("action")
    done = {
        "pin": (services.set_pinned, {"pinned": True}, _("Thread pinned.")),
        "unpin": (services.set_pinned, {"pinned": False}, _("Thread unpinned.")),
        "lock": (services.set_locked, {"locked": True}, _("Thread locked: it takes no more replies.")),
        "unlock": (services.set_locked, {"locked": False}, _("Thread open for replies again.")),
        "show": (services.show_thread, {}, _("Thread shown again.")),
    }.get(action)
    if done is None:
        messages.error(request, _("Unknown action."))
    else:
        change, args, message = done
        change(thread=thread, actor=request.user, **args)
        messages.success(request, message)
    return redirect(thread)


@workspace_view("peers.view_peers")
def thread_hide(request, thread_uuid):
    thread = find_thread(request, thread_uuid, "peers.moderate")
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_thread(thread=thread, moderator=request.person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thread hidden. Its author sees the reason."))
            return redirect(thread)
    title = _("Hide the thread “%(title)s”") % {"title": thread.title}
    return render(request, "peers/form.html", {"form": form, "title": title, "back": thread.get_absolute_url()})


@workspace_view("peers.view_peers")
def post_edit(request, post_uuid):
    post = find_post(request, post_uuid, "peers.edit_post")
    form = EditPostForm(request.POST or None, initial={"text": post.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(post=post, author=request.person, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Post saved."))
            return redirect(post.thread)
    back = post.thread.get_absolute_url()
    return render(request, "peers/form.html", {"form": form, "title": _("Edit your post"), "back": back})


@workspace_view("peers.view_peers")
def post_hide(request, post_uuid):
    post = find_post(request, post_uuid, "peers.moderate")
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_post(post=post, moderator=request.person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Post hidden. Its author sees the reason."))
            return redirect(post.thread)
    name = post.author.user.name if post.author else "—"
    title = _("Hide a post by %(name)s") % {"name": name}
    return render(
        request,
        "peers/form.html",
        {"form": form, "title": title, "back": post.thread.get_absolute_url(), "quote": post.text},
    )


@require_POST
@workspace_view("peers.view_peers")
def post_show(request, post_uuid):
    post = find_post(request, post_uuid, "peers.moderate")
    services.show_post(post=post, actor=request.user)
    messages.success(request, _("Post shown again."))
    return redirect(post.thread)


def home_panel(request):
    """The latest activity in my communities, groups and team."""
    if request.person is None:
        return None
    threads = latest_activity(request.person)
    if not threads:
        return None
    return "peers/_home_panel.html", {"threads": threads}
