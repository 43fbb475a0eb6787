"""Threads and posts over JSON: read, start and reply (signed-in people only), edit and moderate."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.models import Person
from takeroot.core.pagination import Pages

from .. import services
from ..models import Post, Thread
from ..queries import (
    posts_shown_to,
    threads_for_workspace,
    with_counts,
)
from ..schemas import (
    PostIn,
    PostOut,
    PostPatch,
    ThreadDetailOut,
    ThreadFilters,
    ThreadIn,
    ThreadOut,
    ThreadPatch,
)
from .common import (
    cohort_in_path,
    found_or_404,
    group_in_path,
    is_moderator,
    key_refusal,
    me_of,
    person_ref,
    router,
    team_in_path,
    thread_in_path,
    visible_threads,
)


def _post_out(post: Post, thread: Thread, *, moderator: bool, me: Person | None) -> dict:
    shown = not post.is_hidden or moderator or (me is not None and post.author_id == me.pk)
    return {
        "id": post.uuid,
        "thread": thread.uuid,
        "author": person_ref(post.author),
        "text": post.text if shown else None,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "hidden": post.is_hidden,
        "hidden_reason": post.hidden_reason if shown and post.is_hidden else None,
    }


def _thread_out(thread: Thread) -> dict:
    return {
        "id": thread.uuid,
        "scope": thread.scope,
        "cohort": thread.cohort.uuid if thread.cohort_id else None,
        "group": thread.group.uuid if thread.group_id else None,
        "team": thread.team.uuid if thread.team_id else None,
        "title": thread.title,
        "author": person_ref(thread.author),
        "pinned": thread.pinned,
        "locked": thread.locked,
        "hidden": thread.is_hidden,
        "hidden_reason": thread.hidden_reason or None,
        "created_at": thread.created_at,
        "last_activity_at": thread.last_activity_at,
        "posts": getattr(thread, "post_count", 0),
    }


def _posts(request, thread: Thread) -> list[dict]:
    moderator, me = is_moderator(request, thread), me_of(request)
    posts = (
        posts_shown_to(thread, me, moderator=moderator)
        if not is_api_key(request)
        else list(thread.posts.select_related("author__user", "author__team"))
    )
    return [_post_out(post, thread, moderator=moderator, me=me) for post in posts]


def _thread_detail(request, thread: Thread) -> dict:
    thread = with_counts(threads_for_workspace(thread.workspace)).get(pk=thread.pk)
    return _thread_out(thread) | {"items": _posts(request, thread)}


@router.get("threads", response={200: list[ThreadOut], **READ_ERRORS}, summary="List the threads you may see")
@paginate(Pages, page_size=50)
def list_threads(request, filters: Query[ThreadFilters]):
    require_api_perm(request, "peers.view_peers", api_workspace(request))
    threads = with_counts(visible_threads(request))
    if filters.cohort:
        threads = threads.filter(cohort__uuid=filters.cohort, group__isnull=True)
    if filters.group:
        threads = threads.filter(group__uuid=filters.group)
    if filters.team:
        threads = threads.filter(team__uuid=filters.team)
    return [_thread_out(thread) for thread in threads.select_related("author__team")]


@router.post(
    "threads",
    response={201: ThreadDetailOut, **WRITE_ERRORS},
    summary="Start a thread in a cohort's community, a group, or (ambassadors) a team — signed-in people only",
)
def start_thread(request, payload: ThreadIn):
    if refusal := key_refusal(request):
        return refusal
    workspace = api_workspace(request)
    require_api_perm(request, "peers.view_peers", workspace)
    named = [name for name in ("cohort", "group", "team") if getattr(payload, name) is not None]
    if len(named) != 1:
        raise ValidationError({"__all__": [_("Name exactly one of cohort, group or team.")]})
    where = {}
    if payload.group is not None:
        where["group"] = group_in_path(request, payload.group, "peers.start_group_thread")
    elif payload.cohort is not None:
        where["cohort"] = cohort_in_path(request, payload.cohort, "peers.start_community_thread")
    else:
        where["team"] = team_in_path(request, payload.team, "peers.start_insight")
    thread = services.start_thread(
        author=me_of(request), actor=api_actor(request), title=payload.title, text=payload.text, **where
    )
    return Status(201, _thread_detail(request, thread))


@router.get(
    "threads/{thread_id}", response={200: ThreadDetailOut, **READ_ERRORS}, summary="Read a thread and its posts"
)
def read_thread(request, thread_id: UUID):
    return _thread_detail(request, thread_in_path(request, thread_id))


@router.patch(
    "threads/{thread_id}",
    response={200: ThreadDetailOut, **WRITE_ERRORS},
    summary="Moderate a thread: pin, lock, hide with a reason, or show again",
)
def moderate_thread(request, thread_id: UUID, payload: ThreadPatch):
    thread = thread_in_path(request, thread_id, "peers.moderate")
    actor = api_actor(request)
    if payload.pinned is not None:
        services.set_pinned(thread=thread, actor=actor, pinned=payload.pinned)
    if payload.locked is not None:
        services.set_locked(thread=thread, actor=actor, locked=payload.locked)
    if payload.hidden is True and not thread.is_hidden:
        services.hide_thread(thread=thread, moderator=me_of(request), actor=actor, reason=payload.reason or "")
    elif payload.hidden is False:
        services.show_thread(thread=thread, actor=actor)
    return _thread_detail(request, thread)


@router.get("threads/{thread_id}/posts", response={200: list[PostOut], **READ_ERRORS}, summary="The thread's posts")
def list_posts(request, thread_id: UUID):
    return _posts(request, thread_in_path(request, thread_id))


@router.post(
    "threads/{thread_id}/posts",
    response={201: PostOut, **WRITE_ERRORS},
    summary="Reply in a thread that is not locked — signed-in people only",
)
def reply(request, thread_id: UUID, payload: PostIn):
    if refusal := key_refusal(request):
        return refusal
    thread = thread_in_path(request, thread_id, "peers.reply")
    me = me_of(request)
    post = services.reply(thread=thread, author=me, actor=api_actor(request), text=payload.text)
    post = Post.objects.select_related("author__user", "author__team").get(pk=post.pk)
    return Status(201, _post_out(post, thread, moderator=False, me=me))


@router.patch(
    "posts/{post_id}",
    response={200: PostOut, **WRITE_ERRORS},
    summary="Edit your own post within 30 minutes (signed-in), or moderate it: hide with a reason, show again",
)
def update_post(request, post_id: UUID, payload: PostPatch):
    post = found_or_404(
        Post.objects.filter(thread__in=visible_threads(request).values("pk")).select_related(
            "author__user", "author__team"
        ),
        uuid=post_id,
    )
    thread = thread_in_path(request, post.thread.uuid)
    me, moderator = me_of(request), is_moderator(request, thread)
    if post.is_hidden and not moderator and (me is None or post.author_id != me.pk):
        raise Http404
    actor = api_actor(request)
    if payload.text is not None:
        if refusal := key_refusal(request):
            return refusal
        require_api_perm(request, "peers.edit_post", post)
        services.edit_post(post=post, author=me, actor=actor, text=payload.text)
    if payload.hidden is not None:
        require_api_perm(request, "peers.moderate", post)
        if payload.hidden and not post.is_hidden:
            services.hide_post(post=post, moderator=me, actor=actor, reason=payload.reason or "")
        elif not payload.hidden:
            services.show_post(post=post, actor=actor)
    return _post_out(post, thread, moderator=moderator, me=me)
