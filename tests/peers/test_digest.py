"""The digest section "New in your discussions": threads with posts by others since the last
digest, in the person's cohorts, groups and team; never their own posts, hidden ones, or places
they do not belong to."""

import datetime

from django.utils import timezone, translation

from takeroot.core.digest import DIGEST_SECTIONS, digest_sections
from takeroot.peers import services
from takeroot.peers.digest import discussions_section


def test_section_is_registered():
    assert discussions_section in DIGEST_SECTIONS


def test_new_posts_by_others_since_the_last_digest(community_thread, group_thread, insight, cast, buddy):
    since = timezone.now() + datetime.timedelta(seconds=1)
    later = since + datetime.timedelta(minutes=5)
    services.reply(thread=community_thread, author=cast["trainer"], actor=None, text="Good question", now=later)
    services.reply(thread=community_thread, author=cast["other_participant"], actor=None, text="Checklist", now=later)
    services.reply(thread=group_thread, author=cast["participant"], actor=None, text="Yes", now=later)
    services.reply(thread=insight, author=cast["manager"], actor=None, text="Thanks", now=later)
    with translation.override("en"):
        section = discussions_section(cast["participant"], since)
    assert section.title == "New in your discussions"
    assert sorted((item.text, item.url) for item in section.items) == [
        ("First week (Gdańsk autumn): 2 new posts", f"/peers/threads/{community_thread.uuid}/"),
        ("Three ideas (Sales): 1 new post", f"/peers/threads/{insight.uuid}/"),
    ]
    # Bea sees her group's news (the participant's "Yes"), not the Sales team's.
    with translation.override("en"):
        bea = discussions_section(buddy, since)
    assert sorted(item.text for item in bea.items) == [
        "First week (Gdańsk autumn): 2 new posts",
        "Our call (Pair 1 · Gdańsk autumn): 1 new post",
    ]


def test_nothing_new_gives_no_section(community_thread, cast, outsider):
    since = timezone.now() + datetime.timedelta(seconds=1)
    assert discussions_section(cast["participant"], since) is None
    services.reply(
        thread=community_thread, author=cast["participant"], actor=None, text="Mine", now=since + datetime.timedelta(1)
    )
    assert discussions_section(cast["participant"], since) is None  # own posts are not news
    assert discussions_section(outsider, since) is None
    assert all(section.title != "New in your discussions" for section in digest_sections(cast["participant"], since))


def test_hidden_posts_and_other_cohorts_are_not_news(community_thread, cast, stranger, other_cohort):
    since = timezone.now() + datetime.timedelta(seconds=1)
    post = services.reply(
        thread=community_thread, author=cast["trainer"], actor=None, text="x", now=since + datetime.timedelta(1)
    )
    services.hide_post(post=post, moderator=cast["trainer"], actor=None, reason="Wrong thread")
    assert discussions_section(cast["participant"], since) is None
    services.show_post(post=post, actor=None)
    assert discussions_section(stranger, since) is None
    assert discussions_section(cast["participant"], since) is not None
