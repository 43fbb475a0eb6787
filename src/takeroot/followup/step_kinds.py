"""Step kinds and conditions that other apps add to the follow-up engine.

The engine renders the kinds it owns itself (action plan, check-in, material, session, manager
talk, message). A kind owned by another app (a quiz round) is registered from that app's
``apps.py``: what a batch of its touchpoints needs loaded, why one must be skipped, and what its
mail shows after the step's own text. A condition owned by another app (the last quiz score) is
registered the same way and judged for every step.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Extra:
    """What a kind adds to a touchpoint's mail after the body: a plain-text block, an HTML block
    (already escaped) and the mail's main link."""

    text: str = ""
    html: str = ""
    url: str = ""


# load(touchpoints, facts): bulk reads for a batch, stored in ``facts.extra``.
Loader = Callable[[list, object], None]
# skip(touchpoint, facts) -> (state, untranslated reason) or None.
Skipper = Callable[[object, object], tuple[str, str] | None]
# render(touchpoint, facts, link, persist) -> Extra; ``link(purpose, target)`` makes a one-click
# link for the recipient ("" when none can be made, as in a preview); ``persist`` is false for
# previews and test sends, which must write nothing.
Renderer = Callable[[object, object, Callable[[str, str], str], bool], Extra]


@dataclass(frozen=True)
class KindHooks:
    render: Renderer
    load: Loader | None = None
    skip: Skipper | None = None


@dataclass(frozen=True)
class Condition:
    skip: Skipper
    load: Loader | None = None


_kinds: dict[str, KindHooks] = {}
_conditions: list[Condition] = []


def register_step_kind(kind, *, render: Renderer, load: Loader | None = None, skip: Skipper | None = None) -> None:
    _kinds[str(kind)] = KindHooks(render=render, load=load, skip=skip)


def register_condition(*, skip: Skipper, load: Loader | None = None) -> None:
    _conditions.append(Condition(skip=skip, load=load))


def hooks_for(kind: str) -> KindHooks | None:
    return _kinds.get(str(kind))


def loaders() -> list[Loader]:
    found = [hooks.load for hooks in _kinds.values() if hooks.load] + [c.load for c in _conditions if c.load]
    return list(dict.fromkeys(found))


def skippers_for(kind: str) -> list[Skipper]:
    hooks = _kinds.get(str(kind))
    return [c.skip for c in _conditions] + ([hooks.skip] if hooks and hooks.skip else [])
