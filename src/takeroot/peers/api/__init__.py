"""Peer learning over JSON. Same queries, rules and services as the pages.

Objects named in the path are looked up among those the caller may see (else 404); then the
rule decides (403). An API key may read (``peers:read``), manage groups, moderate and name
ambassadors (``peers:write``), but never writes a thread or a post: that is a person's own
voice and needs a signed-in session (403 with a message saying so).
"""

from takeroot.core.rules import API_KEY_SCOPES

from . import ambassadors, groups, threads  # noqa: F401  (they add their endpoints to the router)
from .common import router

# What an API key may do here. Starting threads, replying and editing posts: no key.
API_KEY_SCOPES.update(
    {
        "peers.view_peers": "peers:read",
        "peers.view_ambassadors": "peers:read",
        "peers.view_community": "peers:read",
        "peers.view_group": "peers:read",
        "peers.view_team": "peers:read",
        "peers.view_thread": "peers:read",
        "peers.manage_groups": "peers:write",
        "peers.moderate": "peers:write",
        "peers.name_ambassador": "peers:write",
    }
)


__all__ = ["router"]
