"""Panels on the home page that apps above core contribute ("what to do today").

An app registers a function from its ``AppConfig.ready``; the function gets the request and
returns ``(template_name, context)`` for its panel, or ``None`` when it has nothing to say.
"""

from collections.abc import Callable

HomePanel = Callable[..., tuple[str, dict] | None]
HOME_PANELS: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if panel not in HOME_PANELS:
        HOME_PANELS.append(panel)


def home_panels(request) -> list[tuple[str, dict]]:
    return [found for panel in HOME_PANELS if (found := panel(request)) is not None]
