"""One way to write a file: all of it or none of it.

:func:`write_atomic` writes to a temporary file in the target's folder, flushes it to
disk (``fsync``), then renames it over the target, so a reader sees either the old file
or the complete new one, never a truncated one. Every file-writing function of the
library and the command line uses it (``Results.to_csv``/``to_json``,
``write_responses``, ``score -o``, ``report -o``, ``schema -o``).

What an interruption leaves:

* an exception (a full disk, a permission error), ``Ctrl-C`` (SIGINT), SIGTERM or SIGHUP
  (the terminal closed) during the write: the temporary file is removed and the target
  is untouched (SIGTERM and SIGHUP are then re-delivered, so the process still ends as
  it would have);
* ``kill -9`` (SIGKILL) or a power cut: no code runs, so the temporary file
  (``.<name>.<random>.tmp`` beside the target) may stay behind; the target itself is
  still either the old file or the complete new one. Such leftovers are safe to delete.

A symbolic link is kept: the file it names is replaced. A device or a named pipe
(``-o /dev/stdout``) is written directly, since there is no file to replace.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from .._args import require
from ..errors import Problem, ResponseError

__all__ = ["write_atomic"]


class _Terminated(BaseException):
    """Raised inside a write when SIGTERM arrives, so that the cleanup runs."""


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[list[int]]:
    """While inside, SIGTERM or SIGHUP (a closed terminal) raises :class:`_Terminated`
    (main thread only); on the way out the previous handling is restored and a caught
    signal re-delivered."""
    got: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield got
        return
    old = {sig: signal.getsignal(sig) for sig in _SIGNALS}
    caught = [sig for sig, h in old.items() if h != signal.SIG_IGN]

    def handler(signum: int, frame: FrameType | None) -> None:
        got.append(signum)
        raise _Terminated()

    for sig in caught:
        signal.signal(sig, handler)
    try:
        yield got
    finally:
        for sig in caught:
            signal.signal(sig, old[sig])
        if got:
            sig = got[0]
            previous = old[sig]
            if callable(previous):
                previous(sig, None)
            else:
                os.kill(os.getpid(), sig)


def _error(path: object, what: str, message: str, hint: str) -> ResponseError:
    return ResponseError([Problem(f"cannot write {path}: {message}", what, hint=hint)])


def write_atomic(
    path: str | os.PathLike[str], data: str | bytes, *, what: str = "path", encoding: str = "utf-8"
) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically.

    The new file gets the usual permissions (0666 less the umask).

    Args:
        path: The target file; its folder must exist.
        data: The whole content.
        what: The argument named in errors (``"path"``, ``"--output"``).
        encoding: The encoding of text.

    Raises:
        ResponseError: the folder does not exist, the target is a folder, or the file
            cannot be written (permissions, a full disk); the target is then unchanged.

    Example:
        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
        >>> write_atomic(p, "a,b\\n")
        >>> p.read_text(), sorted(x.name for x in p.parent.iterdir())
        ('a,b\\n', ['out.csv'])
    """
    require(path, (str, os.PathLike), "path", "a file path")
    target = Path(path)
    try:
        mode = os.stat(target).st_mode  # through links
    except OSError:
        mode = 0
    if mode and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        _write_special(target, data, path, what, encoding)
        return
    if target.is_symlink():  # replace the file the link names; keep the link
        target = Path(os.path.realpath(target))
    if not target.parent.is_dir():
        raise _error(
            path,
            what,
            f"folder {str(target.parent)!r} does not exist",
            "create the folder first, or choose another path",
        )
    if target.is_dir():
        raise _error(path, what, "it is a folder", "give a file name")
    blob = data.encode(encoding) if isinstance(data, str) else data
    tmp: str | None = None
    try:
        with _sigterm_raises():
            try:
                fd, tmp = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
                )
                with os.fdopen(fd, "wb") as f:
                    f.write(blob)
                    f.flush()
                    os.fsync(f.fileno())
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
                os.replace(tmp, target)
                tmp = None
            finally:  # before a caught SIGTERM is re-delivered
                if tmp is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
            _sync_folder(target.parent)
    except OSError as err:
        raise _error(
            path, what, err.strerror or str(err), "check the path, its permissions and free space"
        ) from None


def _write_special(target: Path, data: str | bytes, path: object, what: str, encoding: str) -> None:
    """Write straight to a device or pipe (``/dev/stdout``, a FIFO): there is no file to
    replace, and renaming over it would replace the device itself."""
    blob = data.encode(encoding) if isinstance(data, str) else data
    try:
        with open(target, "wb") as f:
            f.write(blob)
            f.flush()
    except OSError as err:
        raise _error(
            path, what, err.strerror or str(err), "check the path, its permissions and free space"
        ) from None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    flags: Any = getattr(os, "O_DIRECTORY", None)
    if flags is None:  # pragma: no cover - Windows
        return
    try:
        fd = os.open(folder, os.O_RDONLY | flags)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)
