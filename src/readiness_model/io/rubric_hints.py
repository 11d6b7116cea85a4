"""Fix hints for the problems of a rubric file that come without one.

The model's checks say what is wrong (``duplicate level 'a'``, ``'min' must be a finite
number (got 'x')``); the loader's problems name the spot. :func:`hint_for` adds what to
write instead, from the problem's message and path: the shape a mapping or a list is
written in (:func:`shape_hint`), a number in the allowed range, an id that would do.
A problem that already has a hint keeps it.

Example:
    >>> from readiness_model.errors import Problem
    >>> hint_for(Problem("duplicate level 'a'", "$.dimensions[0].indicators[0].scale.levels[1]"))
    "every level must be unique: rename or remove this one ('a')"
    >>> for part in shape_hint("$.defaults", "mapping", ("aggregate", "missing")).split(", "):
    ...     print(part)
    write a mapping: 'defaults:' and below it one indented 'key: value' line per key
    e.g. 'defaults:' then '  missing: zero'; on one line: defaults: {missing: zero}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import attrs

from ..errors import Problem
from ..model._validators import ID_RE

__all__ = ["GENERIC_HINT", "hint_for", "shape_hint", "with_hints"]

GENERIC_HINT = "see this key's entry in docs/rubric-format.md"
"""The hint of a problem no rule knows (the tests check that the loader's own problems
never get it)."""

# What a value of a key looks like, for the examples of hints.
_MAPPING_EXAMPLE = {
    "defaults": "missing: zero",
    "answers": "portal: yes",
    "expect": "overall: 75",
    "population": "kind: ministry",
    "among": "member: true",
    "title": "en: Policy",
    "description": "en: What it measures",
    "rounding": "decimals: 2",
    "aggregate": "method: power_mean",
    "normalize": "method: minmax",
    "params": "power: 2",
    "scale": "type: binary",
    "not_assessed": "score: 0",
    "ranking": "among: all",
    "all_dimensions": "min: 50",
}
_LIST_EXAMPLE = {
    "dimensions": "- id: policy",
    "indicators": "- id: portal",
    "bands": "- {id: ready, min: 60}",
    "trend": "- {id: rising, above: 0}",
    "groups": "- {id: leaders, bands: [ready], trend: [rising]}",
    "examples": "- agency: all-yes",
    "levels": "- none",
    "options": "- paper",
    "items": "- portal",
    "values": "- 0",
    "remove": "- old_indicator",
    "references": "- https://example.org/method",
    "not_assessed": "- {indicator: portal, equals: n/a}",
}
_LIST_ONE_LINE = {
    "levels": "[none, partial, full]",
    "options": "[paper, online]",
    "items": "[portal, app]",
    "values": "[0, 0.5, 1]",
    "remove": "[old_indicator]",
    "references": '["https://example.org/method"]',
    "goalposts": "[0, 100]",
    "scale": "[0, 100]",
    "bands": "[{id: ready, min: 60}]",
    "trend": "[{id: rising, above: 0}]",
}
_ITEM_EXAMPLE = {"examples": "agency: all-yes", "not_assessed": "indicator: portal"}
_METHOD = {"aggregate": "arithmetic", "normalize": "minmax", "rescale": "minmax"}
_IDS = {"bands": "ready, developing", "trend": "rising, steady", "remove": "old_indicator"}
_NUMBER_EXAMPLE = {
    "weight": "1",
    "min": "60",
    "max": "90",
    "above": "0",
    "below": "0",
    "tol": "0.01",
    "min_coverage": "0.5",
    "power": "2",
    "p": "2",
    "cap": "100",
    "score": "0",
    "target": "100",
    "effort": "2",
    "decimals": "2",
    "overall": "75",
}


def _key(path: str) -> str:
    """The YAML key a path ends at (``$.bands[0].min`` → ``min``); for a list item, the
    list's key."""
    tail = re.sub(r"(\[\d+\])+$", "", path)
    return tail.rsplit(".", 1)[-1].lstrip("$") or "rubric"


def _item(path: str) -> bool:
    return path.endswith("]")


def shape_hint(path: str, shape: str, allowed: Sequence[str] | None = None) -> str:
    """How the value at ``path`` is written when YAML read it as something else:
    ``shape`` is ``mapping`` or ``list``; ``allowed`` names the keys of the mapping, if
    known.

    Example:
        >>> for part in re.split(", (?=e.g. )|; ", shape_hint("$.bands", "list")):
        ...     print(part)
        write a list: 'bands:' and below it one indented '- ' line per item
        e.g. 'bands:' then '  - {id: ready, min: 60}'
        on one line: bands: [{id: ready, min: 60}]
        >>> shape_hint("$.groups[0].bands", "list")
        'write a list of ids: bands: [ready, developing]'
    """
    key = _key(path)
    if shape == "list":
        if re.search(r"\.groups\[\d+\]\.\w+$", path) or key == "remove":
            return f"write a list of ids: {key}: [{_IDS.get(key, 'a, b')}]"
        first = _LIST_EXAMPLE.get(key, "- ...")
        flow = _LIST_ONE_LINE.get(key, f"[{first[2:]}]" if first != "- ..." else "[a, b]")
        return (
            f"write a list: '{key}:' and below it one indented '- ' line per item, e.g. "
            f"'{key}:' then '  {first}'; on one line: {key}: {flow}"
        )
    if _item(path):
        first = _ITEM_EXAMPLE.get(key, "id: ...")
        return (
            f"write each item of '{key}' as a mapping: '- {first}' with its other keys "
            f"indented below it, or on one line: - {{{first}, ...}}"
        )
    pair = _MAPPING_EXAMPLE.get(key)
    if pair is None or (allowed is not None and pair.split(":")[0] not in allowed):
        pair = f"{allowed[0]}: ..." if allowed else "name: value"
    return (
        f"write a mapping: '{key}:' and below it one indented 'key: value' line per key, "
        f"e.g. '{key}:' then '  {pair}'; on one line: {key}: {{{pair}}}"
    )


def _got(message: str) -> str:
    m = re.search(r"\(got (.*)\)$", message)
    return m.group(1) if m else ""


def _number_text(got: str) -> str | None:
    """The number inside quoted text (``'60'`` → ``60``), else ``None``."""
    m = re.fullmatch(r"""(['"])\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\1""", got)
    return m.group(2) if m else None


def _number(m: re.Match[str], p: Problem) -> str:
    key = _key(p.path)
    bounds = m.group("bounds") or ""
    lo = re.search(r">= ?(-?[\d.e+]+)", bounds)
    hi = re.search(r"<= ?(-?[\d.e+]+)", bounds)
    got = _got(p.message)
    if lo and hi:
        where, example = f" from {lo.group(1)} to {hi.group(1)}", _NUMBER_EXAMPLE.get(key, "")
        example = example or f"{(float(lo.group(1)) + float(hi.group(1))) / 2:g}"
    elif lo:
        where = f" of {lo.group(1)} or more"
        example = _NUMBER_EXAMPLE.get(key) or f"{float(lo.group(1)) + 1:g}"
    elif hi:
        where = f" of {hi.group(1)} or less"
        example = _NUMBER_EXAMPLE.get(key) or f"{float(hi.group(1)) - 1:g}"
    else:
        where, example = "", _NUMBER_EXAMPLE.get(key, "1")
    quoted = _number_text(got)
    if quoted is not None:
        return f"write the number without quotes: {key}: {quoted}"
    if got in ("inf", "-inf", "nan"):
        return f"write a finite number{where} (not .inf or .nan), e.g. {key}: {example}"
    return f"write a number{where}, e.g. {key}: {example}"


def _fixed_id(got: str, rubric: bool) -> str:
    """An id close to the bad one (``'1st plan'`` → ``_1st_plan``)."""
    raw = got[1:-1] if len(got) >= 2 and got[0] == got[-1] and got[0] in "'\"" else got
    if rubric:
        fixed = re.sub(r"[^a-z0-9-]+", "-", raw.lower()).strip("-")
        return fixed or "my-rubric"
    fixed = re.sub(r"[^A-Za-z0-9_.\-]+", "_", raw).strip("_") or "my_id"
    return fixed if ID_RE.match(fixed) else f"_{fixed}"


def _identifier(m: re.Match[str], p: Problem) -> str:
    got = _got(p.message)
    rubric = "lowercase letters" in p.message
    if got in ("None", "''", '""'):
        return f"write an id, e.g. {'rubric: my-rubric' if rubric else 'id: portal'}"
    fixed = _fixed_id(got, rubric)
    if rubric:
        return f"use lowercase letters, digits and '-' only, e.g. rubric: {fixed}"
    rule = "start it with a letter or '_', then letters, digits, '_', '-' or '.'"
    return f"{rule}, e.g. id: {fixed}" if _key(p.path) == "id" else f"{rule}: {fixed}"


def _missing_key(m: re.Match[str], p: Problem) -> str:
    k = m.group("k")
    fixed = {
        "rubric": "add 'rubric: my-rubric-id' at the top of the file",
        "dimensions": "add 'dimensions:' with at least one dimension, e.g. "
        "dimensions: [{id: policy, indicators: [{id: plan}]}]",
        "id": "add 'id: some_id' (letters, digits, '_'; unique in the rubric)",
        "type": "add 'type: binary' (or ordinal, choice, numeric, checklist)",
        "levels": "add the levels, lowest first: levels: [none, partial, full]",
        "options": "add the options: options: [paper, online]",
        "items": "add the items: items: [portal, app]",
        "values": "add one score from 0 to 1 per option, e.g. values: [0, 1]",
        "expect": "add what scoring the example must give, e.g. expect: {overall: 75}",
        "agency": "add 'agency: <a name for the example>'",
        "answers": "add the example's answers, e.g. answers: {portal: yes}",
        "min": "write the gate as {min: 60}, or as a bare number: 60",
        "decimals": "write rounding: {decimals: 2}, or rounding: 2",
        "method": "add 'method: <its name>'",
    }
    return fixed.get(k, f"add '{k}: ...' to it")


def _must_be_one_of(m: re.Match[str], p: Problem) -> str:
    return f"write one of: {m.group('choices')}"


def _must_be(m: re.Match[str], p: Problem) -> str:
    key = _key(p.path)
    what = m.group("what")
    got = _got(p.message)
    if what.startswith(("a mapping", "a mapping of")) or "must map" in p.message:
        return shape_hint(p.path, "mapping")
    if what.startswith("a list"):
        return shape_hint(p.path, "list")
    if what == "true or false":
        return f"write true or false, without quotes: {key}: true"
    if what.startswith("text or a mapping of language"):
        if got == "a mapping":
            return f"name at least one language: {key}: {{en: ...}}"
        return f"write text, e.g. {key}: Some text, or by language: {key}: {{en: ..., th: ...}}"
    if what == "text or a number":
        return f"write one version as text, e.g. {key}: '2024.1' (quotes keep trailing zeros)"
    if what == "text" or what.startswith("text "):
        return f"write plain text: {key}: some text (quote it if it holds ': ' or '#')"
    return f"write {what}" if what else GENERIC_HINT


def _duplicate(m: re.Match[str], p: Problem) -> str:
    return f"every {m.group('what')} must be unique: rename or remove this one ({m.group('v')})"


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Problem], str]]


def _text(hint: str) -> Callable[[re.Match[str], Problem], str]:
    return lambda m, p: hint.format(key=_key(p.path), **m.groupdict())


_RULES: list[_Rule] = [
    (
        re.compile(r"^an answer must be a finite number"),
        _text("write a finite number, or null for no answer"),
    ),
    (
        re.compile(r"^'effort' must be"),
        _text("write low, medium or high, or a number above 0, e.g. effort: 2"),
    ),
    (re.compile(r"must be a finite number(?P<bounds>[^(]*)"), _number),
    (re.compile(r"must be an identifier of"), _identifier),
    (re.compile(r"is missing the required key '(?P<k>[^']+)'"), _missing_key),
    (re.compile(r"^duplicate (?P<what>[a-z ]+?) (?P<v>'.*'|\".*\")$"), _duplicate),
    (
        re.compile(r"'rounding\.decimals' must be a whole number"),
        _text("write a whole number of decimals from 0 to 12, e.g. rounding: 2"),
    ),
    (
        re.compile(r"^'rounding' takes only 'decimals'"),
        _text("write rounding: {{decimals: 2}}, or rounding: 2"),
    ),
    (
        re.compile(r"^'all_dimensions' takes only 'min'"),
        _text("write all_dimensions: {{min: 50}}, or all_dimensions: 50"),
    ),
    (
        re.compile(r"^'goalposts' must be two finite numbers"),
        _text("write the worst and the best answer: goalposts: [0, 100]"),
    ),
    (re.compile(r"^'scale' must be \[low, high\]"), _text("write the two ends: scale: [0, 100]")),
    (
        re.compile(r"^'scale' must have low < high"),
        _text("write the low end first: scale: [0, 100]"),
    ),
    (
        re.compile(r"^values\[\d+\] must be a number in \[0, 1\]"),
        _text("each value is a score from 0 (worst) to 1 (best), e.g. values: [0, 0.5, 1]"),
    ),
    (
        re.compile(r"^'values' must have one number per (?P<what>\w+) \((?P<n>\d+)\)"),
        _text("give exactly {n} values, one per {what}, in the same order"),
    ),
    (
        re.compile(r"^ordinal 'values' must not decrease"),
        _text("order the values from the lowest level up, or use a 'choice' scale"),
    ),
    (
        re.compile(r"^a checklist needs at least one item"),
        _text("list the items: items: [portal, app]"),
    ),
    (
        re.compile(r"^checklist item .* may not contain '\|' or be 'none'"),
        _text(
            "rename the item: '|' separates the items of an answer and 'none' means no "
            "item is ticked"
        ),
    ),
    (
        re.compile(r"^an ordinal scale needs at least 2 levels"),
        _text("list two levels or more, lowest first: levels: [none, partial, full]"),
    ),
    (
        re.compile(r"^a choice scale needs at least 2 options"),
        _text("list two options or more, each with a value: options: [a, b], values: [0, 1]"),
    ),
    (
        re.compile(r"^'(?P<f>\w+)' must be a list of labels"),
        _text("write the labels as a list: {f}: [none, partial, full]"),
    ),
    (
        re.compile(r"^\w+\[\d+\] must be a label"),
        _text("write the label as text or a number: [none, partial, full]"),
    ),
    (
        re.compile(r"^'references' must be a list of strings"),
        _text('write a list of text: references: ["https://example.org/method"]'),
    ),
    (
        re.compile(r"^an answer must be a value or a list of values"),
        _text("write the answer itself (yes, 3, approved), or a list of checklist items [a, b]"),
    ),
    (
        re.compile(r"^an answer must be text, a number"),
        _text("write the answer itself (yes, 3, approved), or a list of checklist items [a, b]"),
    ),
    (
        re.compile(r"^a label must be text"),
        _text("write the label as text: [none, partial, full]"),
    ),
    (
        re.compile(r"^'[^']+' must be a value or list of values"),
        _text("write a value or a list of values, e.g. kind: [ministry, department]"),
    ),
    (
        re.compile(r"^'[^']+' must map agency attributes"),
        _text("write the attributes and what they must be, e.g. {key}: {{kind: ministry}}"),
    ),
    (
        re.compile(r"^a rubric needs at least one dimension"),
        _text(
            "add a dimension holding an indicator: dimensions: [{{id: d, indicators: [{{id: q}}]}}]"
        ),
    ),
    (
        re.compile(r"^'dimensions' of a band must map dimension ids"),
        _text("write each dimension's minimum score: dimensions: {{policy: 60}}"),
    ),
    (
        re.compile(
            r"^band '.*' can never match: its range lies outside the rubric scale (?P<s>\[.*\])"
        ),
        _text("set 'min'/'max' (or 'above'/'below') within the rubric scale {s}"),
    ),
    (
        re.compile(r"^trend class '.*' can never match"),
        _text("check its bounds: 'min'/'above' must lie below 'max'/'below'"),
    ),
    (
        re.compile(r"^not_assessed\.score .* outside the rubric scale (?P<s>\[.*\])"),
        _text("set a score within the rubric scale {s}"),
    ),
    (
        re.compile(r"^not_assessed rule: .* is not an answer of '(?P<i>[^']*)'"),
        _text("write an answer that the scale of '{i}' accepts"),
    ),
    (
        re.compile(r"unknown (?:indicator|dimension|band|trend class)"),
        _text("name an id this rubric defines (readiness-model show lists them)"),
    ),
    (
        re.compile(r"^'expect\.band' must be a band id"),
        _text("write the id of one of the rubric's bands, e.g. band: ready"),
    ),
    (
        re.compile(r"^'params' must be named by text"),
        _text("write each parameter as 'name: value', e.g. params: {{power: 2}}"),
    ),
    (
        re.compile(r"needs a 'method' name"),
        _text("name the method: {{method: <name>, <parameter>: ...}}"),
    ),
    (
        re.compile(r"is only for a method of one parameter; write (?P<w>\{.*\})"),
        _text("write {w}"),
    ),
    (
        re.compile(r"or a mapping with 'method'"),
        lambda m, p: (
            f"write the method's name (e.g. {_key(p.path)}: {_METHOD.get(_key(p.path), '<name>')})"
            f", or {_key(p.path)}: {{method: <name>, ...}}"
        ),
    ),
    (
        re.compile(r"^'(?P<f>[^']+)' must be one of (?P<choices>.+?) \(got"),
        _must_be_one_of,
    ),
    (
        re.compile(r"^(?:'[^']+'|[\w ]+?) must (?:be|map) (?P<what>.*?)(?: \(got .*\))?$"),
        _must_be,
    ),
    (
        re.compile(r"^the rubric this one extends \((?P<parent>.*)\) is invalid"),
        _text("fix the problems of {parent} listed above first"),
    ),
    (
        re.compile(r"^invalid YAML"),
        _text("check the spot under the caret: indentation, quotes, brackets"),
    ),
    (
        re.compile(r"^YAML tag .* is not allowed"),
        _text("remove the tag (the '!...' before the value): only plain values are allowed"),
    ),
    (
        re.compile(r"^invalid value "),
        _text("write the value plainly, or quote it to keep it as text"),
    ),
    (
        re.compile(r"^'<<' must merge a mapping"),
        _text("merge an alias of a mapping: '<<: *base' (or a list of them)"),
    ),
    (
        re.compile(r"^a key must be plain text"),
        _text("write the key as plain text before the ':'"),
    ),
    (re.compile(r"^'(?P<f>[^']+)' is invalid: "), _text("check the value of '{f}'")),
    (
        re.compile(r"^the rubric is too large"),
        _text("a rubric is a small text file; is this the right file?"),
    ),
    (re.compile(r"^cannot read "), _text("check that the file exists and can be read")),
    (re.compile(r"is not a file$"), _text("name a rubric file (.yaml), not a folder")),
    (re.compile(r"^invalid rubric$"), _text("fix the problems of the rubric listed above")),
]


def hint_for(p: Problem) -> str:
    """A short fix hint for ``p``: its own when it has one, else the first rule that
    matches its message (:data:`GENERIC_HINT` when none does)."""
    if p.hint:
        return p.hint
    for pattern, make in _RULES:
        m = pattern.search(p.message)
        if m is not None:
            return make(m, p) or GENERIC_HINT
    return GENERIC_HINT


def with_hints(problems: Sequence[Problem]) -> list[Problem]:
    """``problems``, each without a hint given one (:func:`hint_for`)."""
    return [p if p.hint else attrs.evolve(p, hint=hint_for(p)) for p in problems]
