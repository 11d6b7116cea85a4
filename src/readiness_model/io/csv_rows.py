"""Rows of a CSV text file, checked line by line before the csv module sees them.

A NUL byte (a binary file), a line that starts with a byte-order mark (two files
joined) and bytes that are not in the file's encoding are errors at their line.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .problems import Report

__all__ = ["CHUNK_ROWS", "Rows", "decode_error", "encoding_hint", "ragged"]

CHUNK_ROWS = 8192


def decode_error(path: str | Path, encoding: str) -> tuple[int, int, int]:
    """Line, byte value and offset of the first byte that is not in ``encoding``."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = lines = 0
    with open(path, "rb") as fh:
        for block in [*iter(lambda: fh.read(1 << 20), b""), b""]:
            try:  # (the last, empty block ends the text: a sequence cut off at the end)
                lines += decoder.decode(block, final=not block).count("\n")
            except UnicodeDecodeError as e:
                # the decoder may hold a few bytes of a sequence from the previous block
                held = len(e.object) - len(block)
                at = offset - held + e.start
                with open(path, "rb") as again:
                    before = again.read(at + 1)
                text = before[:at].decode(encoding, errors="replace")
                return text.count("\n") + 1, before[at], at
            offset += len(block)
    return lines + 1, 0, offset  # pragma: no cover - called only after an error


def encoding_hint(path: str | Path, encoding: str) -> str:
    """What to do about a file that is not in ``encoding`` (Thai Windows text named)."""
    with open(path, "rb") as fh:
        data = fh.read(1 << 16)
    high = [b for b in data if b >= 0x80]
    thai = len(high) >= 3 and sum(0xA1 <= b <= 0xFB for b in high) >= 0.9 * len(high)
    if thai and encoding.replace("-", "").replace("_", "").lower() not in ("cp874", "tis620"):
        try:
            data.decode("cp874")
        except UnicodeDecodeError:
            thai = False
    if thai:
        return (
            "it looks like Thai Windows text (cp874/TIS-620): pass --encoding cp874 "
            "(encoding='cp874'), or save it as 'CSV UTF-8' in Excel"
        )
    return "save it as 'CSV UTF-8' (Excel), or name its encoding: --encoding NAME (encoding=)"


def _lines(
    fh: IO[str], rep: Report, path: str | Path, encoding: str, start: int = 0
) -> Iterator[str]:
    """Physical lines of ``fh`` (the first is line ``start + 1``), each checked before
    the csv module sees it."""
    n = start
    try:
        for line in fh:
            n += 1
            if "\x00" in line:
                rep.fail(
                    "this is not a text file (it holds NUL bytes)",
                    rep.at(n),
                    hint="export the survey as CSV (UTF-8) or JSON",
                )
            if line.startswith("\ufeff"):  # inside text it is a character like any other
                rep.fail(
                    "a byte-order mark (U+FEFF) in the middle of the file: were two files joined?",
                    rep.at(n, 1),
                    hint="remove the mark (and a second header row, if any)",
                )
            yield line
    except UnicodeDecodeError:
        where, byte, at = decode_error(path, encoding)
        name = "UTF-8" if encoding == "utf-8-sig" else encoding
        # reported alone: which rows were read before it depends on where the text was
        # decoded (ahead of the rows, a block at a time), and the encoding is the first fix
        rep.problems.clear()
        rep.more = 0
        rep.fail(
            f"the file is not {name} (byte {byte:#04x} at offset {at})",
            rep.at(where),
            hint=encoding_hint(path, encoding),
        )


def _spans(row: list[str]) -> int:
    """Physical lines a parsed row took (quoted cells may hold line breaks)."""
    return 1 + sum(c.count("\n") + c.count("\r") - c.count("\r\n") for c in row)


class Rows:
    """Non-blank rows of a CSV file in chunks, each row with the line it starts on
    (``fh`` may start at line ``start + 1`` of the file)."""

    def __init__(
        self,
        fh: IO[str],
        rep: Report,
        path: str | Path,
        encoding: str,
        delimiter: str,
        start: int = 0,
    ) -> None:
        self.rep = rep
        lines = _lines(fh, rep, path, encoding, start)
        self.reader = csv.reader(lines, strict=True, delimiter=delimiter)
        self.start = start
        self.done = False

    def chunk(self, size: int) -> tuple[list[list[str]], list[int]]:
        """Up to ``size`` rows and their first lines (blank rows dropped)."""
        if self.done:
            return [], []
        base = self.start + self.reader.line_num
        try:
            rows = list(itertools.islice(self.reader, size))
        except csv.Error as e:
            self.rep.add(
                f"malformed CSV: {e}",
                "",
                self.rep.at(self.start + self.reader.line_num),
                hint='check quotes: a field holding the delimiter needs "..."',
            )
            self.done = True
            return [], []
        if len(rows) < size:
            self.done = True
        if self.start + self.reader.line_num - base == len(rows):
            lines = list(range(base + 1, base + 1 + len(rows)))
        else:
            lines, at = [], base + 1
            for row in rows:
                lines.append(at)
                at += _spans(row)
        if not all(rows) or any(not "".join(r).strip() for r in rows if not r[0].strip()):
            kept = [(r, ln) for r, ln in zip(rows, lines, strict=True) if "".join(r).strip()]
            rows, lines = [r for r, _ in kept], [ln for _, ln in kept]
        return rows, lines

    def header(self) -> tuple[list[str], int] | None:
        while True:
            rows, lines = self.chunk(1)
            if rows:
                return rows[0], lines[0]
            if self.done:
                return None


def ragged(rep: Report, line: int, cells: list[str], width: int) -> bool:
    if len(cells) == width:
        return False
    rep.add(
        f"row {line} has {len(cells)} cells but the header has {width} columns",
        f"row {line}",
        rep.at(line),
        hint="every row needs one cell per column (check for stray commas)",
    )
    return True
