"""Merging an extending rubric file into the rubric it extends, by id, keeping marks.

Both sides are read documents (:class:`~readiness_model.io.yaml_nodes.Document`): plain
data with the file, line and column of every value. The merge builds the data of the
resolved rubric and, for every value in it, the mark of the file that wrote it, so that
a problem found later in the resolved rubric is located where the value came from.

The rules (docs/rubric-format.md, "Rubric families"):

- a top-level key the child gives replaces the parent's value whole (``title``,
  ``scale``, ``defaults``, ``bands``, ``examples``...), except ``dimensions``;
- ``dimensions`` and, inside a node, ``dimensions``/``indicators`` are merged by id: a
  node the child names by an id its parent has at that place is the parent's node with
  the child's keys replacing its own (the same rule, one level down); a node with a new
  id is added after the inherited ones;
- ``remove: [ids]`` drops dimensions or indicators of the parent (a dimension with
  everything under it) before the merge; removing and restating an id moves it.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..errors import Location, Problem, did_you_mean
from .yaml_nodes import Document, Spot

__all__ = ["FAMILY_KEYS", "Merge", "node_index"]

FAMILY_KEYS = ("extends", "abstract", "remove")
"""The keys of a rubric file that are about its family, not about the rubric."""
_LISTS = ("dimensions", "indicators")


@attrs.frozen
class NodeAt:
    """Where a node sits in a rubric's data: its kind, its parent's id and its path."""

    kind: str
    parent: str | None
    path: str


def node_index(data: Any) -> dict[str, NodeAt]:
    """Every dimension and indicator id of rubric data, with where it sits.

    Example:
        >>> data = {"dimensions": [{"id": "d", "indicators": [{"id": "q"}]}]}
        >>> for k, v in node_index(data).items():
        ...     print(k, v.kind, v.parent, v.path)
        d dimension None $.dimensions[0]
        q indicator d $.dimensions[0].indicators[0]
    """
    out: dict[str, NodeAt] = {}

    def walk(nodes: Any, path: str, kind: str, parent: str | None) -> None:
        if not isinstance(nodes, list):
            return
        for i, node in enumerate(nodes):
            if not isinstance(node, dict) or not isinstance(node.get("id"), str):
                continue
            here = f"{path}[{i}]"
            out.setdefault(node["id"], NodeAt(kind, parent, here))
            walk(node.get("dimensions"), f"{here}.dimensions", "dimension", node["id"])
            walk(node.get("indicators"), f"{here}.indicators", "indicator", node["id"])

    if isinstance(data, dict):
        walk(data.get("dimensions"), "$.dimensions", "dimension", None)
    return out


def _noun(kind: str, parent: str | None) -> str:
    where = f"of dimension {parent!r}" if parent else "at the top level"
    return f"{'an indicator' if kind == 'indicator' else 'a dimension'} {where}"


class Merge:
    """One merge of a child document into its (resolved) parent document.

    Attributes:
        data: The merged plain data (family keys left out).
        spots: The merged marks, each in the file that wrote the value.
        problems: What the child got wrong about its parent, located in the child.
        reported: Paths of the merged data about which a problem was already reported
            (the build's own problem at or under such a path is a repeat).
        removed: The ids the child removes.
    """

    def __init__(self, parent: Document, child: Document) -> None:
        self.parent, self.child = parent, child
        self.spots: dict[str, Spot] = {}
        self.problems: list[Problem] = []
        self.reported: set[str] = set()
        self.index = node_index(parent.data)
        self.removed: dict[str, str] = {}  # id -> path of its entry in 'remove'
        self._read_remove()
        self.gone = self._subtrees()
        self.data = self._top()

    # -- problems -------------------------------------------------------------------------
    def _add(self, message: str, path: str, hint: str = "", *, at_key: bool = False) -> None:
        self.problems.append(
            Problem(message, path, self.child.locate(path, at_key=at_key), hint=hint)
        )

    def _where(self, path: str) -> Location:
        return self.parent.locate(path)

    # -- remove ---------------------------------------------------------------------------
    def _read_remove(self) -> None:
        value = self.child.data.get("remove")
        if value is None:
            return
        if not isinstance(value, list):
            self._add(
                "'remove' must be a list of dimension or indicator ids",
                "$.remove",
                "e.g. remove: [old_indicator]",
            )
            return
        for i, rid in enumerate(value):
            path = f"$.remove[{i}]"
            if not isinstance(rid, str):
                self._add(
                    f"'remove' lists ids (got {rid!r})",
                    path,
                    "write each id as plain text: remove: [old_indicator, old_dimension]",
                )
            elif rid in self.removed:
                self._add(f"{rid!r} is listed twice in 'remove'", path, "list each id once")
            elif rid not in self.index:
                self._add(
                    f"cannot remove {rid!r}: the rubric it extends has no dimension or "
                    "indicator with that id",
                    path,
                    did_you_mean(rid, self.index),
                )
            else:
                self.removed[rid] = path

    def _subtrees(self) -> dict[str, str]:
        """Every id that leaves with a removal (a removed dimension's whole subtree),
        mapped to the removed id."""
        out = {rid: rid for rid in self.removed}
        for nid, at in self.index.items():
            up = at.parent
            while up is not None and nid not in out:
                if up in self.removed:
                    out[nid] = up
                up = self.index[up].parent if up in self.index else None
        return out

    def _gone(self, node: Any) -> bool:
        return isinstance(node, dict) and node.get("id") in self.removed

    # -- copying --------------------------------------------------------------------------
    def _copy(self, doc: Document, src: str, dst: str, value: Any) -> Any:
        """``value`` (at ``src`` in ``doc``) placed at ``dst``, with its marks."""
        spot = doc.spots.get(src)
        if spot is not None:
            self.spots[dst] = spot
        if isinstance(value, dict):
            return {k: self._copy(doc, f"{src}.{k}", f"{dst}.{k}", v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._copy(doc, f"{src}[{i}]", f"{dst}[{i}]", v) for i, v in enumerate(value)]
        return value

    # -- the merge ------------------------------------------------------------------------
    def _top(self) -> dict[str, Any]:
        p, c = self.parent.data, self.child.data
        self.spots["$"] = self.child.spots.get("$") or Spot(None, Location(self.child.file, 1, 1))
        if "$.extends" in self.child.spots:  # where inherited problems are reported
            self.spots["$.extends"] = self.child.spots["$.extends"]
        out: dict[str, Any] = {}
        keys = [k for k in p if k not in FAMILY_KEYS]
        keys += [k for k in c if k not in FAMILY_KEYS and k not in p]
        for k in keys:
            if k == "dimensions" and isinstance(p.get(k), list) and isinstance(c.get(k, []), list):
                self._key_spot(k, "$", "$", "$")
                out[k] = self._nodes(
                    p[k], "$.dimensions", c.get(k, []), "$.dimensions", "$.dimensions"
                )
            elif k in c:
                out[k] = self._copy(self.child, f"$.{k}", f"$.{k}", c[k])
            else:
                out[k] = self._copy(self.parent, f"$.{k}", f"$.{k}", p[k])
        self._dangling(out)
        return out

    def _key_spot(self, key: str, cpath: str, ppath: str, dst: str) -> None:
        spot = self.child.spots.get(f"{cpath}.{key}") or self.parent.spots.get(f"{ppath}.{key}")
        if spot is not None:
            self.spots[f"{dst}.{key}"] = spot

    def _nodes(
        self, plist: list[Any], ppath: str, clist: list[Any], cpath: str, dst: str
    ) -> list[Any]:
        """The merged list of nodes at ``dst``: inherited ones (the child's restatements
        merged in) in the parent's order, then the child's new ones."""
        here = {n.get("id") for n in plist if isinstance(n, dict) and not self._gone(n)}
        restated: dict[str, tuple[int, dict[str, Any]]] = {}
        new: list[tuple[int, Any]] = []
        for j, node in enumerate(clist):
            nid = node.get("id") if isinstance(node, dict) else None
            if isinstance(nid, str) and nid in here:
                if nid in restated:
                    self._add(
                        f"{nid!r} is restated twice here",
                        f"{cpath}[{j}].id",
                        f"first at line {self.child.locate(f'{cpath}[{restated[nid][0]}]').line}",
                    )
                    continue
                restated[nid] = (j, node)
                continue
            if isinstance(nid, str) and nid in self.index and nid not in self.removed:
                at = self.index[nid]
                self._add(
                    f"{nid!r} is {_noun(at.kind, at.parent)} in the rubric this one extends "
                    f"({self._where(at.path)})",
                    f"{cpath}[{j}].id",
                    "restate it at that place to change it; to move it, also list it in 'remove'",
                )
                continue
            new.append((j, node))
        out: list[Any] = []
        for i, node in enumerate(plist):
            if self._gone(node):
                continue
            nid = node.get("id") if isinstance(node, dict) else None
            src = f"{ppath}[{i}]"
            if isinstance(nid, str) and nid in restated:
                j, cnode = restated[nid]
                out.append(self._node(node, src, cnode, f"{cpath}[{j}]", f"{dst}[{len(out)}]"))
            elif isinstance(node, dict) and self.removed:  # removals may reach inside
                out.append(self._node(node, src, {}, "", f"{dst}[{len(out)}]"))
            else:
                out.append(self._copy(self.parent, src, f"{dst}[{len(out)}]", node))
        for j, node in new:
            out.append(self._copy(self.child, f"{cpath}[{j}]", f"{dst}[{len(out)}]", node))
        return out

    def _node(
        self, pnode: dict[str, Any], ppath: str, cnode: dict[str, Any], cpath: str, dst: str
    ) -> dict[str, Any]:
        """A restated node: the parent's keys, each replaced by the child's when given,
        its sub-lists merged by id."""
        spot = self.child.spots.get(cpath) or self.parent.spots.get(ppath)
        if spot is not None:
            self.spots[dst] = spot
        out: dict[str, Any] = {}
        for k in [*pnode, *(k for k in cnode if k not in pnode)]:
            if k in cnode and k in _LISTS and isinstance(cnode[k], list):
                inherited = pnode.get(k)
                self._key_spot(k, cpath, ppath, dst)
                out[k] = self._nodes(
                    inherited if isinstance(inherited, list) else [],
                    f"{ppath}.{k}",
                    cnode[k],
                    f"{cpath}.{k}",
                    f"{dst}.{k}",
                )
            elif k in cnode:
                out[k] = self._copy(self.child, f"{cpath}.{k}", f"{dst}.{k}", cnode[k])
            elif k in _LISTS and isinstance(pnode[k], list):
                out[k] = self._nodes(pnode[k], f"{ppath}.{k}", [], "", f"{dst}.{k}")
                self._key_spot(k, "", ppath, dst)
            else:
                out[k] = self._copy(self.parent, f"{ppath}.{k}", f"{dst}.{k}", pnode[k])
        return out

    # -- what a removal leaves behind -----------------------------------------------------
    def _dangling(self, data: dict[str, Any]) -> None:
        """Problems at the ``remove`` entries: a node left empty, or an inherited band or
        example that names a removed id."""
        if not self.removed:
            return
        present = node_index(data)
        self.gone = {k: v for k, v in self.gone.items() if k not in present}

        def empty(nodes: Any, path: str) -> None:
            for i, node in enumerate(nodes if isinstance(nodes, list) else []):
                if not isinstance(node, dict):
                    continue
                here = f"{path}[{i}]"
                lists = [k for k in _LISTS if k in node]
                if lists and all(node[k] == [] for k in lists) and not self._restated(here):
                    rid = self._emptied_by(node)
                    self._removal(
                        rid,
                        f"removing {rid!r} leaves dimension {node.get('id')!r} with nothing in it",
                        here,
                        f"remove {node.get('id')!r} too, or add to it",
                    )
                for k in lists:
                    if node[k]:
                        empty(node[k], f"{here}.{k}")
                    elif any(node[x] for x in lists):
                        del node[k]  # emptied, and the child gave the other kind

        empty(data.get("dimensions"), "$.dimensions")
        if "bands" not in self.child.data:
            for i, band in enumerate(data.get("bands") or []):
                gates = band.get("dimensions") if isinstance(band, dict) else None
                for nid in gates if isinstance(gates, dict) else []:
                    if nid in self.gone:
                        self._removal(
                            self.gone[nid],
                            f"removing {self.gone[nid]!r}: the inherited band "
                            f"{band.get('id')!r} gates on {self._it(nid)} "
                            f"({self._where(f'$.bands[{i}].dimensions.{nid}')})",
                            f"$.bands[{i}].dimensions.{nid}",
                            "restate 'bands' in this file",
                        )
        if "examples" not in self.child.data:
            for i, ex in enumerate(data.get("examples") or []):
                if not isinstance(ex, dict):
                    continue
                named = list(ex.get("answers") or {}) if isinstance(ex.get("answers"), dict) else []
                expect = ex.get("expect")
                dims = expect.get("dimensions") if isinstance(expect, dict) else None
                named += list(dims) if isinstance(dims, dict) else []
                for nid in named:
                    if nid in self.gone:
                        self._removal(
                            self.gone[nid],
                            f"removing {self.gone[nid]!r}: the inherited example "
                            f"{ex.get('agency')!r} names {self._it(nid)} "
                            f"({self._where(f'$.examples[{i}]')})",
                            f"$.examples[{i}]",
                            "restate 'examples' in this file",
                        )
                        break

    def _it(self, nid: str) -> str:
        return "it" if nid in self.removed else f"{nid!r}, which goes with it"

    def _restated(self, path: str) -> bool:
        spot = self.spots.get(path)
        return spot is not None and spot.value.file == self.child.file

    def _emptied_by(self, node: dict[str, Any]) -> str:
        for rid, at in self.removed.items():
            if at and self.index[rid].parent == node.get("id"):
                return rid
        return next(iter(self.removed))

    def _removal(self, rid: str, message: str, merged_path: str, hint: str) -> None:
        self.reported.add(merged_path)
        self._add(message, self.removed[rid], hint)
