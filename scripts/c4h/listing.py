"""Read one YAML file safely into plain data plus a map from field path to position.

The only YAML reader in the project. It guards against what PyYAML lets through silently:
duplicate keys (PyYAML keeps the last), anchors and aliases (alias bombs), custom tags, YAML 1.1
surprises (``NO`` read as false, ``2026-12-01`` read as a date object, ``010`` read as octal),
non-UTF-8 bytes, huge files and deep nesting. Scalars resolve as in YAML 1.2's core schema, so
what a person wrote is what the validator sees. libyaml (``CParser``) does the parsing when it
is available, which keeps a full validation run close to the cost of merely loading the files.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from c4h.findings import ERROR, Finding

MAX_BYTES = 256 * 1024
MAX_DEPTH = 16

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

FieldPath = tuple[str | int, ...]


_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _first in (
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (INT, r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        FLOAT,
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    for _c in _first:
        _IMPLICIT.setdefault(_c, []).append((_tag, re.compile(_pattern)))


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core-schema scalars: no yes/no/on/off booleans, no dates, no octal or sexagesimal.

    ``resolve`` is replaced by a direct lookup: it runs for every scalar, and the generic one
    (path resolvers, several dictionary walks) cost as much as parsing the file.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return STR
        return SEQ if kind is SequenceNode else MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


# libyaml's parser and composer, in C, when PyYAML was built with it; else the Python chain.
_CParser: Any = getattr(yaml, "cyaml", None) and getattr(yaml.cyaml, "CParser", None)

if _CParser is not None:

    class _Loader(_CParser, _Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _Resolver.__init__(self)

else:  # pragma: no cover

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)


@dataclass
class Document:
    """A parsed file: plain data, the YAML node tree (for positions) and reading problems."""

    path: str
    data: Any = None
    root: Node | None = None
    problems: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def place(self, fpath: FieldPath, of_key: bool = False) -> tuple[int, int]:
        """1-based line and column of a field's value (or its key), or of its closest parent.

        Positions are looked up in the node tree only when a finding needs one, which keeps
        reading thousands of valid files as cheap as loading them.
        """
        node, key_node = self.root, None
        if node is None:
            return (1, 1)
        for part in fpath:
            child = key = None
            if isinstance(node, MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == part:
                        key, child = k, v
                        break
            elif (
                isinstance(node, SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                key = child = node.value[part]
            if child is None:
                break
            node, key_node = child, key
        target = key_node if of_key and key_node is not None else node
        return _mark(target.start_mark)


def format_path(fpath: FieldPath) -> str:
    """``("offers", 0, "regions", 1)`` → ``offers[0].regions[1]``."""
    out = ""
    for part in fpath:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class _Stop(Exception):
    """Raised inside the builder once a problem makes further reading pointless."""


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


_ANCHOR_HINT = re.compile(r"[&*]")


def read(path: Path, display: str | None = None) -> Document:
    """Read a listing file; problems (never exceptions) for anything unsafe or unreadable."""
    name = display or str(path)
    doc = Document(name)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return _fail(
                doc, 1, 1, f"the file is {size:,} bytes; the limit is {MAX_BYTES:,} (256 KiB)"
            )
        raw = path.read_bytes()
    except OSError as exc:
        return _fail(doc, 1, 1, f"cannot read the file: {exc.strerror or exc}")
    return parse_bytes(raw, name)


def parse_bytes(raw: bytes, name: str) -> Document:
    doc = Document(name)
    if len(raw) > MAX_BYTES:
        return _fail(
            doc, 1, 1, f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} (256 KiB)"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return _fail(
            doc, line, col, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        )
    return parse_text(text, name)


def parse_text(text: str, name: str) -> Document:
    doc = Document(name)
    text = text.removeprefix("\ufeff")
    if _ANCHOR_HINT.search(text):
        _check_events(text, doc)
        if doc.problems:
            return doc
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _mark(mark) if mark else (1, 1)
        return _fail(doc, line, col, f"not valid YAML: {_yaml_reason(exc, text)}")
    except yaml.YAMLError as exc:
        return _fail(doc, 1, 1, f"not valid YAML: {exc}")
    if node is None:
        return _fail(doc, 1, 1, "the file is empty; copy schema/listing-template.yml to start")
    if not isinstance(node, MappingNode):
        line, col = _mark(node.start_mark)
        return _fail(
            doc, line, col, "the file must be a mapping of fields (name: ..., website: ...)"
        )
    doc.root = node
    with contextlib.suppress(_Stop):  # _build recorded why it stopped
        doc.data = _build(node, (), doc, 0)
    return doc


def _yaml_reason(exc: yaml.MarkedYAMLError, text: str) -> str:
    reason = exc.problem or exc.context or "syntax error"
    mark = exc.problem_mark
    if mark is not None:
        lines = text.splitlines()
        here = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in here[: mark.column + 1]:
            return "a tab character; indent with spaces"
    if "expected a single document" in reason or "but found another document" in reason:
        return "more than one document (---); keep one listing per file"
    return reason


def _check_events(text: str, doc: Document) -> None:
    """Anchors and aliases are only visible as events: look when the text hints at them.

    A small stack follows the event stream so each finding names its field.
    """
    frames: list[list[Any]] = []  # [kind, key or index, expecting_key]
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frames.pop()
                if frames and frames[-1][0] == "map":
                    frames[-1][2] = True
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            top = frames[-1] if frames else None
            if top and top[0] == "map" and top[2]:
                top[1], top[2] = getattr(event, "value", ""), False
                fpath: FieldPath = tuple(f[1] for f in frames)
            else:
                if top and top[0] == "seq":
                    top[1] += 1
                fpath = tuple(f[1] for f in frames)
                if top and top[0] == "map":
                    top[2] = True
            anchor = event.anchor
            if anchor:
                line, col = _mark(event.start_mark)
                what = (
                    f"alias *{anchor} is not allowed; write the value out"
                    if isinstance(event, yaml.AliasEvent)
                    else f"anchor &{anchor} is not allowed; write values out in full"
                )
                doc.problems.append(Finding(doc.path, line, col, ERROR, format_path(fpath), what))
            if isinstance(event, yaml.MappingStartEvent):
                frames.append(["map", None, True])
                if top and top[0] == "map":
                    top[2] = False  # the mapping is the value; its end re-arms the parent
            elif isinstance(event, yaml.SequenceStartEvent):
                frames.append(["seq", -1, False])
                if top and top[0] == "map":
                    top[2] = False
    except yaml.YAMLError:
        return  # the composing step reports syntax errors with their place


def _fail(doc: Document, line: int, col: int, message: str) -> Document:
    doc.problems.append(Finding(doc.path, line, col, ERROR, "", message))
    return doc


def _build(node: Node, fpath: FieldPath, doc: Document, depth: int) -> Any:
    if depth > MAX_DEPTH:
        line, col = _mark(node.start_mark)
        doc.problems.append(
            Finding(
                doc.path,
                line,
                col,
                ERROR,
                format_path(fpath),
                f"nested more than {MAX_DEPTH} levels deep",
            )
        )
        raise _Stop
    if type(node) is ScalarNode:
        if node.tag == STR:  # the common case first
            return node.value
        return _scalar(node, fpath, doc)
    if node.tag not in (SEQ, MAP):
        _bad_tag(node, fpath, doc)
        return None
    if isinstance(node, SequenceNode):
        return [_build(child, (*fpath, i), doc, depth + 1) for i, child in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            line, col = _mark(key_node.start_mark)
            doc.problems.append(
                Finding(
                    doc.path, line, col, ERROR, format_path(fpath), "a key must be a plain name"
                )
            )
            continue
        if key_node.tag not in (STR, INT, FLOAT, BOOL, NULL):
            _bad_tag(key_node, fpath, doc)
            continue
        key = key_node.value
        here = (*fpath, key)
        if key in out:
            line, col = _mark(key_node.start_mark)
            first = next(k.start_mark.line + 1 for k, _ in node.value if k.value == key)
            doc.problems.append(
                Finding(
                    doc.path,
                    line,
                    col,
                    ERROR,
                    format_path(here),
                    f"duplicate key (first at line {first}); YAML would silently keep only the"
                    " last one: remove or merge one of them",
                )
            )
            continue
        out[key] = _build(value_node, here, doc, depth + 1)
    return out


def _scalar(node: ScalarNode, fpath: FieldPath, doc: Document) -> Any:
    tag, value = node.tag, node.value
    try:
        if tag == STR:
            return value
        if tag == INT:
            return int(value)
        if tag == FLOAT:
            return float(value.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf"))
        if tag == BOOL and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if tag == NULL and value in ("", "~", "null", "Null", "NULL"):
            return None
    except ValueError:
        pass  # an explicit !!int or !!float on something that is not one
    _bad_tag(node, fpath, doc)
    return None


def _bad_tag(node: Node, fpath: FieldPath, doc: Document) -> None:
    line, col = _mark(node.start_mark)
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    doc.problems.append(
        Finding(
            doc.path,
            line,
            col,
            ERROR,
            format_path(fpath),
            f"the tag {tag} is not allowed; write plain values (dates as YYYY-MM-DD)",
        )
    )


def load_plain(path: Path) -> Any:
    """Read a trusted project file (taxonomy, form template) with the same safe rules."""
    doc = read(path)
    if doc.problems:
        raise ValueError("\n".join(p.text() for p in doc.problems))
    return doc.data
