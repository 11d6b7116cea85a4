"""Views of results that a higher layer draws, registered by name.

Results sit below the analyses and the report, so they do not import them: the
explanation of an agency (``"explain"``) and the notebook displays (``"radar_svg"``,
``"agency_html"``, ``"summary_table"``) are registered by the modules that draw them,
which ``import readiness_model`` always loads.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["provide_view", "view"]

_VIEWS: dict[str, Callable[..., Any]] = {}


def provide_view(name: str, func: Callable[..., Any]) -> None:
    """Register the function behind a view of results that a higher layer draws.

    Example:
        >>> from readiness_model.results.views import _VIEWS
        >>> sorted(_VIEWS)
        ['agency_html', 'explain', 'radar_svg', 'summary_table']
    """
    _VIEWS[name] = func


def view(name: str) -> Callable[..., Any]:
    """The function registered as ``name`` (importing any part of the package has
    registered them all).

    Example:
        >>> view("explain").__name__
        'explain'
    """
    return _VIEWS[name]
