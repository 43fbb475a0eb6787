"""N+1 guards: list pages and API lists read a fixed number of queries whatever their length;
and the visibility queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.peers import services
from takeroot.peers.queries import communities_of, threads_for_person


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _threads(cohort, group, author, n):
    for i in range(n):
        thread = services.start_thread(author=author, actor=None, cohort=cohort, title=f"T{i}", text="x")
        services.reply(thread=thread, author=author, actor=None, text="y")
        services.start_thread(author=author, actor=None, group=group, title=f"G{i}", text="x")


@pytest.mark.parametrize(
    "path",
    ["/peers/cohort/{cohort}/", "/peers/", "/api/v1/threads", "/api/v1/peer-groups", "/peers/cohort/{cohort}/groups/"],
)
def test_lists_do_not_grow_queries(cohort, group, cast, client_for, path):
    client = client_for(cast["trainer"] if "groups/" in path else cast["participant"])
    path = path.format(cohort=cohort.uuid)
    _threads(cohort, group, cast["participant"], 1)
    client.get(path)  # warm the per-request caches of the first call
    one = _count(client, path)
    _threads(cohort, group, cast["participant"], 3)
    services.create_group(cohort=cohort, actor=None, name="Late", members=[])
    assert _count(client, path) == one


def test_thread_page_does_not_grow_queries(community_thread, cast, client_for):
    client = client_for(cast["trainer"])
    path = f"/peers/threads/{community_thread.uuid}/"
    one = _count(client, path)
    for i in range(3):
        services.reply(thread=community_thread, author=cast["other_participant"], actor=None, text=f"r{i}")
    assert _count(client, path) == one


def test_admin_reads_every_community_but_the_digest_only_their_own(cohort, other_cohort, cast):
    assert set(communities_of(cast["admin"])) == {cohort, other_cohort}
    assert list(communities_of(cast["admin"], every_place=False)) == []
    assert list(communities_of(cast["participant"])) == [cohort]
    assert set(communities_of(cast["trainer"])) == {cohort}


def test_group_threads_only_for_members_trainers_and_admins(group_thread, cast, buddy):
    assert group_thread in threads_for_person(buddy)
    assert group_thread in threads_for_person(cast["trainer"])
    assert group_thread in threads_for_person(cast["admin"])
    assert group_thread not in threads_for_person(cast["other_participant"])
    assert group_thread not in threads_for_person(cast["mentor"])
    assert not threads_for_person(None).exists()
