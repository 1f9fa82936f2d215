"""Read a YAML file into plain values, remembering where each value stood.

PyYAML's loaders lose line numbers and silently keep the last of two
duplicate keys, and expanding aliases can blow up memory ("billion laughs").
So we build values ourselves from libyaml's event stream: iteratively (no
recursion, whatever the nesting), with every value's location recorded by
its path ('cites/2'), duplicate keys reported, and alias expansion bounded.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostics
from ..model import Location
from ..safety import control_characters, strip_controls

MAX_NODES = 200_000
"""Upper bound on the values in one file, counting every alias expansion."""
MAX_DEPTH = 64
"""Upper bound on nesting; no note format needs more than a handful."""
MAX_BYTES = 8 * 1024 * 1024

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()


class _Constructor(yaml.constructor.SafeConstructor):
    pass


_constructor = _Constructor()


@dataclass
class YamlDocument:
    """A parsed file: its top value, the location of every value, its lines."""

    value: Any
    locations: dict[str, Location]
    lines: list[str]


class _TooBig(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.mark = mark


def read_text(path: Path, rel: str, diags: Diagnostics) -> str | None:
    """A file's text as UTF-8 (a BOM is allowed), or None with a diagnostic."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error(rel, 0, 0, "PL100", f"cannot read file: {exc.strerror or exc}")
        return None
    return decode_text(data, rel, diags)


def decode_text(data: bytes, rel: str, diags: Diagnostics) -> str | None:
    """A file's bytes as UTF-8 text (a BOM is allowed), or None with a diagnostic."""
    if len(data) > MAX_BYTES:
        diags.error(
            rel, 1, 1, "PL107", f"file is {len(data):,} bytes; notes are limited to {MAX_BYTES:,}"
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(
            rel,
            line,
            col,
            "PL100",
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            hint="save the file as UTF-8 in your editor",
        )
        return None


def load_yaml_file(path: Path, rel: str, diags: Diagnostics) -> YamlDocument | None:
    text = read_text(path, rel, diags)
    if text is None:
        return None
    return parse_yaml(text, rel, diags)


def parse_yaml(text: str, rel: str, diags: Diagnostics) -> YamlDocument | None:
    """Parse one YAML document; None (with diagnostics) when it cannot be read."""
    lines = text.splitlines()
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in lines):
        diags.error(
            rel, 1, 1, "PL102", "file is empty", hint="a note is a YAML mapping, e.g. `title: ...`"
        )
        return None
    locations: dict[str, Location] = {}
    try:
        value = _build(text, rel, locations, diags)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{problem} ({exc.context})"
        diags.error(rel, line, col, "PL101", f"YAML syntax error: {problem}")
        return None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (NUL, most controls): say which, and where.
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        diags.error(
            rel,
            line,
            col,
            "PL101",
            f"YAML syntax error: character U+{exc.character:04X} is not allowed in YAML",
            hint="delete it; write it as an escape in double quotes if you need it",
        )
        return None
    except yaml.YAMLError as exc:
        diags.error(rel, 1, 1, "PL101", f"YAML syntax error: {' '.join(str(exc).split())}")
        return None
    except _TooBig as exc:
        line, col = (exc.mark.line + 1, exc.mark.column + 1) if exc.mark else (1, 1)
        diags.error(rel, line, col, "PL107", str(exc))
        return None
    return YamlDocument(value, locations, lines)


_STR = _resolver.DEFAULT_SCALAR_TAG


# Notes repeat the same plain scalars (statuses, passes, topics, dates): at 1,000 notes this
# saves 40-80 ms of loading (16,608 of 17,247 calls are repeats).
@functools.lru_cache(maxsize=8192)
def _plain_tag(value: str) -> str:
    # Notes repeat their plain words (ids, topics, 'first-pass'): resolve each once.
    return _resolver.resolve(yaml.ScalarNode, value, (True, False))


# First characters that may make a plain scalar something other than text
# ('1', 'true', '~', '2026-01-05'...): any other plain scalar is text.
_RESOLVED_FIRST = frozenset(_resolver.yaml_implicit_resolvers)
assert None not in _RESOLVED_FIRST and not _resolver.yaml_path_resolvers


def _scalar(event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if tag is None:
        # The resolver's answer for most scalars, without asking it: quoted and
        # block scalars, and plain ones no implicit rule applies to, are text.
        value = event.value
        if not event.implicit[0] or value[:1] not in _RESOLVED_FIRST:
            return value
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
    # The C parser's marks are another class than the stubs name; both have what is read.
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)  # type: ignore[arg-type]
    try:
        value = _constructor.construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        raise yaml.MarkedYAMLError(
            problem=str(exc.problem),
            problem_mark=event.start_mark,  # type: ignore[arg-type]
        ) from None
    except (ValueError, OverflowError, TypeError):
        # A date-like scalar that is no real date ('2026-02-30'): keep the text,
        # the note's checks report it with its line.
        return event.value
    finally:
        # The constructor remembers every node it built (for aliases within one
        # document); we never reuse one, so forget them rather than keep them all.
        _constructor.constructed_objects.clear()
        _constructor.recursive_objects.clear()
        _constructor.state_generators.clear()
    if isinstance(value, (dt.date, dt.datetime)):
        # Dates stay text until the schema has checked them, like JSON would have them.
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def _without_controls(value: str, rel: str, mark: Any, diags: Diagnostics) -> str:
    # Only escapes ("\0", "\u202e") get here: libyaml refuses raw control characters.
    names = ", ".join(control_characters(value)[:5])
    diags.warning(
        rel,
        mark.line + 1,
        mark.column + 1,
        "PL112",
        f"text holds invisible control characters ({names}); they were removed",
        hint="delete the escapes (e.g. \\0, \\x1b, \\u202e) from the quoted text",
    )
    return strip_controls(value)


class _Frame:
    __slots__ = ("anchor", "container", "is_list", "key", "mark", "path", "prefix", "size")

    def __init__(self, container: Any, path: str, anchor: str | None, mark: Any) -> None:
        self.container = container
        self.is_list = isinstance(container, list)
        self.path = path
        self.prefix = f"{path}/" if path else ""  # of the paths of its values
        self.anchor = anchor
        self.mark = mark
        self.key: Any = _NO_KEY
        self.size = 1


_NO_KEY = object()

# The kinds of event, so the loop below dispatches with one dict lookup.
_SCALAR, _OPEN, _CLOSE, _ALIAS, _DOCUMENT, _IGNORED, _END = range(7)
_KINDS: dict[type, int] = {
    yaml.ScalarEvent: _SCALAR,
    yaml.MappingStartEvent: _OPEN,
    yaml.SequenceStartEvent: _OPEN,
    yaml.MappingEndEvent: _CLOSE,
    yaml.SequenceEndEvent: _CLOSE,
    yaml.AliasEvent: _ALIAS,
    yaml.DocumentStartEvent: _DOCUMENT,
    yaml.StreamStartEvent: _IGNORED,
    yaml.DocumentEndEvent: _IGNORED,
    yaml.StreamEndEvent: _END,
}


def _join(path: str, part: object) -> str:
    return f"{path}/{part}" if path else str(part)


def _build(text: str, rel: str, locations: dict[str, Location], diags: Diagnostics) -> Any:
    loader = _Loader(text)
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    stack: list[_Frame] = []
    total = 0
    result: Any = None
    seen_document = False

    def place(value: Any, size: int, mark: Any, anchor: str | None) -> None:
        nonlocal result
        if anchor:
            anchors[anchor] = (value, size)
        if not stack:
            result = value
            return
        top = stack[-1]
        top.size += size
        if top.is_list:
            path = _join(top.path, len(top.container))
            locations.setdefault(path, Location(rel, mark.line + 1, mark.column + 1))
            top.container.append(value)
            return
        if top.key is _NO_KEY:
            if isinstance(value, (list, dict)):
                raise yaml.MarkedYAMLError(
                    problem="a mapping key must be plain text, not a list or mapping",
                    problem_mark=mark,
                )
            key = value if isinstance(value, str) else str(value)
            path = _join(top.path, key)
            if key in top.container:
                first = locations.get(path)
                where = f" (first at line {first.line})" if first else ""
                diags.error(
                    rel,
                    mark.line + 1,
                    mark.column + 1,
                    "PL105",
                    f"duplicate key '{key}'{where}; the later value would silently win",
                    hint="remove or rename one of the two",
                )
            else:
                locations[path] = Location(rel, mark.line + 1, mark.column + 1)
            top.key = key
            return
        top.container[top.key] = value
        top.key = _NO_KEY

    get_event = loader.get_event
    kinds = _KINDS
    resolved_first = _RESOLVED_FIRST
    plain_tag = _plain_tag
    try:
        while True:
            event = get_event()
            if event is None:
                break
            kind = kinds.get(type(event), _IGNORED)
            if kind == _SCALAR:
                total += 1
                if total > MAX_NODES:
                    raise _TooBig(f"more than {MAX_NODES:,} values in one file", event.start_mark)
                value = event.value
                if event.tag is not None or (
                    event.implicit[0] and value[:1] in resolved_first and plain_tag(value) != _STR
                ):
                    value = _scalar(event)
                    if value.__class__ is not str:
                        place(value, 1, event.start_mark, event.anchor)
                        continue
                # Printable ASCII holds no control character: skip the search.
                if not (value.isascii() and value.isprintable()) and control_characters(value):
                    value = _without_controls(value, rel, event.start_mark, diags)
                if event.anchor or not stack:
                    place(value, 1, event.start_mark, event.anchor)
                    continue
                # The common cases of `place`, inline: text as a list item, a key, a value.
                top = stack[-1]
                top.size += 1
                if top.is_list:
                    path = f"{top.prefix}{len(top.container)}"
                    if path not in locations:
                        mark = event.start_mark
                        locations[path] = Location(rel, mark.line + 1, mark.column + 1)
                    top.container.append(value)
                elif top.key is not _NO_KEY:
                    top.container[top.key] = value
                    top.key = _NO_KEY
                elif value in top.container:
                    top.size -= 1
                    place(value, 1, event.start_mark, None)
                else:
                    mark = event.start_mark
                    locations[top.prefix + value] = Location(rel, mark.line + 1, mark.column + 1)
                    top.key = value
                continue
            if kind == _CLOSE:
                frame = stack.pop()
                if frame.anchor:
                    open_anchors.discard(frame.anchor)
                place(frame.container, frame.size, frame.mark, frame.anchor)
                continue
            if kind == _OPEN:
                if len(stack) >= MAX_DEPTH:
                    raise _TooBig(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                path = ""
                if stack:
                    top = stack[-1]
                    if top.is_list:
                        path = _join(top.path, len(top.container))
                    elif top.key is not _NO_KEY:
                        path = _join(top.path, top.key)
                if event.anchor:
                    open_anchors.add(event.anchor)
                stack.append(_Frame(container, path, event.anchor, event.start_mark))
                continue
            if kind == _END:
                break
            if kind == _DOCUMENT:
                if seen_document:
                    raise yaml.MarkedYAMLError(
                        problem="a note holds one YAML document; found a second one ('---')",
                        problem_mark=event.start_mark,
                    )
                seen_document = True
                continue
            if kind == _ALIAS:
                if event.anchor in open_anchors:
                    raise _TooBig(f"alias '*{event.anchor}' refers to itself", event.start_mark)
                if event.anchor not in anchors:
                    raise yaml.MarkedYAMLError(
                        problem=f"unknown alias '*{event.anchor}'", problem_mark=event.start_mark
                    )
                value, size = anchors[event.anchor]
                total += size
                if total > MAX_NODES:
                    raise _TooBig(
                        f"aliases expand to more than {MAX_NODES:,} values", event.start_mark
                    )
                place(value, size, event.start_mark, None)
                continue
    finally:
        loader.dispose()
    return result
