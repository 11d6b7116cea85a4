"""Progress of long work: the callback type the library calls, and the line the CLI shows.

Long functions (:func:`~readiness_model.load_responses`, :func:`~readiness_model.audit`,
:func:`~readiness_model.sensitivity`, the HTML report) take ``progress=``, a
:data:`ProgressCallback` called as ``progress(stage, done, total)``: ``stage`` names the
step (``"load"``, ``"audit"``, ...), ``done`` of ``total`` units are finished (rows,
indicators, draws). Calls are cheap and few (a few hundred per run at most); the last
call of a stage has ``done == total``.

The command line draws one self-erasing line on stderr (:class:`ProgressLine`), shown
only after about two seconds, only when stderr is a terminal, and never with
``--quiet``. It is built in rather than taken from ``tqdm``: one line of text needs no
dependency, and a caller who likes ``tqdm`` passes a callback that updates a bar.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["DELAY", "ProgressCallback", "ProgressLine", "progress_line", "tick"]

ProgressCallback = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: ``done`` of ``total`` units of ``stage`` are finished."""

DELAY = 2.0
"""Seconds of work before :class:`ProgressLine` draws anything."""


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def tick(progress: ProgressCallback | None) -> ProgressCallback:
    """``progress``, or a callback that does nothing when it is ``None``.

    Example:
        >>> seen = []
        >>> tick(lambda s, d, t: seen.append((s, d, t)))("load", 1, 2); seen
        [('load', 1, 2)]
        >>> tick(None)("load", 1, 2) is None
        True
    """
    return _quiet if progress is None else progress


class ProgressLine:
    """A progress callback drawing ``stage: 40% (400,000 of 1,000,000)`` on one line of
    ``stream``, redrawn at most ten times a second, once ``delay`` seconds have passed
    since its first call; erased when a stage ends (``done >= total``).

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> line = ProgressLine(out, delay=0.0)
        >>> line("load", 1, 4); line("load", 4, 4)
        >>> out.getvalue().split("\\r")[1].strip()
        'load:  25% (1 of 4)'
    """

    def __init__(self, stream: TextIO, delay: float = DELAY) -> None:
        self.stream = stream
        self.delay = delay
        self.start: float | None = None
        self.last = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.start is None:
            self.start = now
        if done >= total:
            if self.width:
                self.stream.write("\r" + " " * self.width + "\r")
                self.stream.flush()
                self.width = 0
            return
        if now - self.start < self.delay or (self.width and now - self.last < 0.1):
            return
        self.last = now
        share = done / total if total > 0 else 0.0
        text = f"{stage}: {share:4.0%} ({done:,} of {total:,})"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(text))


def progress_line(quiet: bool = False, stream: TextIO | None = None) -> ProgressCallback | None:
    """The CLI's progress callback: a :class:`ProgressLine` on stderr, or ``None`` when
    ``quiet`` or when stderr is not a terminal.

    Example:
        >>> import io
        >>> progress_line(quiet=True) is None, progress_line(stream=io.StringIO()) is None
        (True, True)
    """
    out = sys.stderr if stream is None else stream
    if quiet or not out.isatty():
        return None
    return ProgressLine(out)
