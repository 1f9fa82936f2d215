"""Re-render only what changed: outputs memoised with the library values they read.

`mkdocs serve` rebuilds the whole site after every edit. Most generated pages
do not change when one note does, so the render layer keeps each output
together with

- its explicit inputs (the values a producer passes to a template), and
- every value it read from the library and the render options while it was
  produced, recorded as a path from the root (`lib.papers['x']`,
  `lib.cited_by.get('x')`, `'x' in lib.people`, `lib.sorted_papers()`,
  iterating `lib.topics`, ...).

On the next build an output is reused when its inputs are equal and every
recorded path still leads to an equal value; otherwise it is produced again
and its record replaced. This is memoisation with dynamic dependencies, as
build systems do it: nothing lists by hand what a page depends on, so a
user's template override, a new partial or a helper that reads one more
field are tracked the same way. Outputs nest: a page holds fragments (the
`{% cached %}` tag, e.g. one table row per paper), so a listing of every paper
that must be rendered again reuses the rows that did not change. What an
output sees besides the library and the options is part of a site-wide key
(templates, settings, build date, URL style); when that changes, nothing is
reused.

Checking costs what changed, not what is kept: the paths read by all kept
outputs form one tree (`lib` -> `.papers` -> `['x']`), each path with the
value it had in the last build and the outputs that read it. A build starts
by following every path once and comparing its value; the outputs that read
a changed one, and the outputs holding those (a page holding a row), are
stale. Every other kept output is valid: each was valid for the last build,
since one that was not is produced again or forgotten. Unchanged notes come
back from the load and link stages as the very same objects (and so do the
people, graph nodes and reading events derived from them: link/reuse.py), so
most paths compare by identity. Reusing a page does not visit the fragments
inside it: they stay kept while an output that is kept holds them.

What makes this sound: templates and helpers see the library only through
the recording proxies below, the library and the options are not changed
once rendering starts (nor afterwards: a kept value is compared, not
copied), and values are compared with `==` and their type (so 90 and 90.0,
which print differently, differ). The cache is only used by `mkdocs serve`;
a one-off build renders everything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

Step = tuple[Any, ...]
Path_ = tuple[Step, ...]


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


MISSING: Any = _Marker("missing")
"""What a lookup of an absent key or attribute observed."""
_FAILED: Any = _Marker("failed")
"""A path that cannot be followed: never equal to anything."""
_NONE: Any = _Marker("none")
"""The value of a node that is only on the way to the paths read."""


class _Node:
    """A path some kept output read, the value found there, and the outputs that read it."""

    __slots__ = ("children", "keys", "parent", "path", "value")

    def __init__(self, path: Path_, parent: _Node | None) -> None:
        self.path = path
        self.parent = parent
        self.children: dict[Step, _Node] = {}
        self.keys: set[Any] = set()
        self.value: Any = _NONE


class _Index:
    """Every path the kept outputs read, as a tree from the roots."""

    def __init__(self) -> None:
        self.top = _Node((), None)
        self.nodes: dict[Path_, _Node] = {}

    def node(self, path: Path_) -> _Node:
        """The node of `path` (hashable), made with its ancestors when new."""
        node = self.nodes.get(path)
        if node is None:
            parent = self.node(path[:-1]) if len(path) > 1 else self.top
            node = self.nodes[path] = parent.children[path[-1]] = _Node(path, parent)
        return node

    def release(self, node: _Node) -> None:
        """Forget a node, and the ancestors it leaves empty, once no output reads it."""
        while (
            node is not self.top
            and not node.keys
            and not node.children
            and self.nodes.get(node.path) is node
        ):
            parent = node.parent
            assert parent is not None
            del parent.children[node.path[-1]]
            del self.nodes[node.path]
            node = parent


class Recorder:
    """What one output read while it was produced: its own reads, and the outputs inside it."""

    __slots__ = ("children", "key", "nodes", "volatile")

    def __init__(self, key: Any = None) -> None:
        self.key = key
        self.nodes: set[_Node] = set()
        self.children: list[Any] = []
        self.volatile = False
        """Read something that cannot be checked later: never reused."""


class TrackedObject:
    """Read-only attribute access to an object (the Library), recording what is read."""

    __slots__ = ("_path", "_session", "_target")

    def __init__(self, target: Any, path: Path_, session: _Session) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_session", session)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if inspect.ismethod(value) and value.__self__ is self._target:
            return _TrackedCall(value, self._path, name, self._session)
        return self._session.found((*self._path, ("attr", name)), value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the library is read-only while pages render")


class _TrackedCall:
    """A method of a tracked object: its result is recorded with the arguments."""

    __slots__ = ("_method", "_name", "_path", "_session")

    def __init__(
        self, method: Callable[..., Any], path: Path_, name: str, session: _Session
    ) -> None:
        self._method, self._path, self._name, self._session = method, path, name, session

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        path = (*self._path, ("call", self._name, args, tuple(sorted(kwargs.items()))))
        try:
            hash(path)
        except TypeError:  # arguments we cannot key on: the output is never reused
            self._session.volatile()
            return self._method(*args, **kwargs)
        # Library methods are pure while pages render: each call is computed once per build.
        frozen = self._session.call(path, lambda: self._method(*args, **kwargs))
        self._session.observe(path, frozen)
        return _thaw(frozen)


class TrackedMapping(Mapping[Any, Any]):
    """A read-only view of a mapping that records each lookup, or the whole when iterated."""

    __slots__ = ("_path", "_session", "_target")

    def __init__(self, target: Mapping[Any, Any], path: Path_, session: _Session) -> None:
        self._target, self._path, self._session = target, path, session

    def __getitem__(self, key: Any) -> Any:
        try:
            value = self._target[key]
        except (KeyError, TypeError):
            self._session.observe((*self._path, ("item", key)), MISSING)
            raise
        return self._session.found((*self._path, ("item", key)), value)

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except (KeyError, TypeError):
            return default

    def __contains__(self, key: object) -> bool:
        found = key in self._target
        self._session.observe((*self._path, ("in", key)), found)
        return found

    def __len__(self) -> int:
        size = len(self._target)
        self._session.observe((*self._path, ("len",)), size)
        return size

    def _whole(self) -> tuple[tuple[Any, Any], ...]:
        items = self._session.snapshot(self._target)
        self._session.observe((*self._path, ("all",)), items)
        return items

    def __iter__(self) -> Iterator[Any]:
        return iter([k for k, _ in self._whole()])

    def keys(self) -> Any:
        return [k for k, _ in self._whole()]

    def items(self) -> Any:
        # Values come out as they are: the whole mapping is recorded already.
        return list(self._whole())

    def values(self) -> Any:
        return [v for _, v in self._whole()]


class _Frozen(tuple):
    """A list or dict result, frozen so that no later change to it alters the record."""

    kind: type = list


def _freeze(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        frozen = _Frozen(value.items() if isinstance(value, dict) else value)
        frozen.kind = type(value)
        return frozen
    return value


def _thaw(value: Any) -> Any:
    """A fresh copy of a frozen result for the caller, who may change it."""
    if isinstance(value, _Frozen):
        return value.kind(value)
    return value


class _Session:
    """One build: the recorders at work, and memos for recording and for checking."""

    def __init__(
        self, roots: dict[str, Any], descend: tuple[type, ...], index: _Index | None = None
    ) -> None:
        self.roots = roots
        self.descend = descend
        self.index = index if index is not None else _Index()
        self.stack: list[Recorder] = []
        self.tracked = {name: self._root(name, value) for name, value in roots.items()}
        self._snapshots: dict[int, tuple[Mapping[Any, Any], tuple[tuple[Any, Any], ...]]] = {}
        self._calls: dict[Path_, Any] = {}
        # Keeps the objects it is keyed by alive, so the ids stay theirs for the build.
        self._compared: dict[tuple[int, int], tuple[Any, Any, bool]] = {}

    # --- recording

    def _root(self, name: str, value: Any) -> Any:
        path = (("root", name),)
        return (
            TrackedMapping(value, path, self)
            if isinstance(value, Mapping)
            else TrackedObject(value, path, self)
        )

    def found(self, path: Path_, value: Any) -> Any:
        """What a template gets for `value` found at `path`: a proxy, or the value (recorded)."""
        if isinstance(value, Mapping):
            return TrackedMapping(value, path, self)
        if isinstance(value, self.descend):
            return TrackedObject(value, path, self)
        self.observe(path, value)
        return value

    def observe(self, path: Path_, value: Any) -> None:
        if not self.stack:
            return
        try:
            node = self.index.nodes.get(path) or self.index.node(path)
        except TypeError:  # an unhashable key in the path: cannot be checked later
            self.stack[-1].volatile = True
            return
        # This build's value: equal to what the outputs that keep this node read.
        node.value = value
        self.stack[-1].nodes.add(node)

    def volatile(self) -> None:
        if self.stack:
            self.stack[-1].volatile = True

    def call(self, path: Path_, compute: Callable[[], Any]) -> Any:
        """The frozen result of a method call at `path`, computed once per build."""
        if path not in self._calls:
            self._calls[path] = _freeze(compute())
        return self._calls[path]

    def snapshot(self, mapping: Mapping[Any, Any]) -> tuple[tuple[Any, Any], ...]:
        found = self._snapshots.get(id(mapping))
        if found is None or found[0] is not mapping:
            found = (mapping, tuple(mapping.items()))
            self._snapshots[id(mapping)] = found
        return found[1]

    # --- checking

    def changed(self) -> list[_Node]:
        """The nodes whose path leads to a value not equal to the one kept; each gets the new one.

        One walk down the tree of paths read: each path is followed once, from the
        value of its parent, whatever number of outputs read it.
        """
        out: list[_Node] = []
        same, step = self.same, self._step
        todo = [
            (node, self.roots.get(s[1], _FAILED)) for s, node in self.index.top.children.items()
        ]
        while todo:
            node, value = todo.pop()
            old = node.value
            if old is not value and old is not _NONE and (old is _FAILED or not same(old, value)):
                node.value = value
                out.append(node)
            if not node.children:
                continue
            if value is _FAILED:
                todo.extend((child, _FAILED) for child in node.children.values())
            elif type(value) not in _MAPPINGS:
                todo.extend((child, step(value, child.path)) for child in node.children.values())
            else:
                # Most nodes are a lookup in one of the library's dicts: done here, in line.
                for key, child in node.children.items():
                    kind = key[0]
                    if kind == "item":
                        new = value.get(key[1], MISSING)
                    elif kind == "in":
                        new = key[1] in value
                    else:
                        new = step(value, child.path)
                    if child.children:
                        todo.append((child, new))
                        continue
                    old = child.value
                    if (
                        old is not new
                        and old is not _NONE
                        and (old is _FAILED or not same(old, new))
                    ):
                        child.value = new
                        out.append(child)
        return out

    def _step(self, parent: Any, path: Path_) -> Any:
        step = path[-1]
        kind = step[0]
        try:
            if kind == "attr":
                return getattr(parent, step[1], MISSING)
            if kind == "item":
                return parent.get(step[1], MISSING)
            if kind == "in":
                return step[1] in parent
            if kind == "len":
                return len(parent)
            if kind == "all":
                return self.snapshot(parent)
            if kind == "call":
                return self.call(path, lambda: getattr(parent, step[1])(*step[2], **dict(step[3])))
        except Exception:  # a path that no longer leads anywhere: produce the output again
            return _FAILED
        return _FAILED

    def same(self, old: Any, new: Any) -> bool:
        """Whether `new` would print as `old` does: equal, and of the same types all through.

        `==` alone is not enough: 90 == 90.0 and 0.0 == -0.0, which print differently.
        Each pair of distinct objects is compared once per build (lists of papers are
        the inputs of many outputs).
        """
        if old is new:
            return old is not _FAILED
        kind = type(old)
        if new is _FAILED or kind is not type(new):
            return False
        if kind is str or kind is int or kind is bool:
            return bool(old == new)
        key = (id(old), id(new))
        memo = self._compared.get(key)
        if memo is not None:
            return memo[2]
        try:
            equal = bool(old == new) and _same_types(old, new)
        except Exception:  # values without a usable ==: treat as changed
            equal = False
        self._compared[key] = (old, new, equal)
        return equal


_MAPPINGS = (dict, MappingProxyType)
_ATOMS = (str, int, bool, type(None), bytes)


def _same_types(old: Any, new: Any) -> bool:
    """For two equal values: whether they hold the same types at the same places, and the
    same sign of every zero (what printing shows but `==` does not compare)."""
    if old is new:
        return True
    kind = type(old)
    if kind is not type(new):
        return False
    if kind in _ATOMS or isinstance(old, (frozenset, set, type)):
        return True  # sets print sorted by their callers; their members compare by ==
    if kind is float:
        return math.copysign(1.0, old) == math.copysign(1.0, new)
    if isinstance(old, (tuple, list)):
        return all(map(_same_types, old, new))
    if isinstance(old, Mapping):
        return all(_same_types(v, new[k]) for k, v in old.items())
    if dataclasses.is_dataclass(old):
        return all(
            _same_types(getattr(old, f.name), getattr(new, f.name)) for f in dataclasses.fields(old)
        )
    return True


Inputs = dict[str, Any] | tuple[Any, ...]
"""What an output is made from besides what it reads: a producer's values by name,
or a fragment's values in order."""

REUSE_MISSED: Any = _Marker("missed")
"""What `RenderCache.reuse` returns when the output must be produced."""


@dataclass
class _Entry:
    inputs: Inputs
    nodes: set[_Node]
    """The paths it read itself (not inside its fragments)."""
    result: Any
    children: list[Any] = field(default_factory=list)
    """Keys of the outputs produced inside this one (fragments): kept while it is."""
    parents: set[Any] = field(default_factory=set)
    """Keys of the outputs this one was produced inside: stale when it is."""
    volatile: bool = False


class RenderCache:
    """Outputs of the last build, reused when what they read is unchanged (see the module doc)."""

    def __init__(self) -> None:
        self._entries: dict[Any, _Entry] = {}
        self._index = _Index()
        self._volatile: set[Any] = set()
        self._site_key: Any = None
        self._session: _Session | None = None
        self._used: set[Any] = set()
        """Keys asked for (run or reused) in this build; the outputs inside a reused one are
        kept through their `parents` (see `end`)."""
        self._tops: set[Any] = set()
        """Keys asked for in the last build (those outside any other output among them)."""
        self._orphans: list[Any] = []
        """Keys an output produced again no longer holds: forgotten at the end of the build
        if nothing else holds them and this build did not ask for them."""
        self._stale: set[Any] = set()
        self._unread: list[_Node] = []
        """Nodes an output stopped reading: forgotten at the end of the build if no other reads them."""
        self.hits = 0
        self.misses = 0
        self.build_hits = 0
        self.build_misses = 0
        self.rendered: list[Any] = []
        """Keys of the outputs produced (not reused) in the last build, in order."""

    @property
    def active(self) -> bool:
        return self._session is not None

    def begin(self, site_key: Any, roots: dict[str, Any], descend: tuple[type, ...] = ()) -> None:
        """Start a build: `site_key` covers what no recording sees; `roots` are the tracked
        objects; reads inside objects of the `descend` types are recorded one by one
        (a big object most pages read a small part of), other values as a whole."""
        if site_key != self._site_key:
            self._entries.clear()
            self._index = _Index()
            self._volatile.clear()
            self._unread = []
            self._tops = set()
            self._orphans = []
            self._site_key = site_key
        self._session = _Session(roots, descend, self._index)
        self._used = set()
        self._stale = self._find_stale(self._session)
        self.build_hits = self.build_misses = 0
        self.rendered = []

    def _find_stale(self, session: _Session) -> set[Any]:
        """The kept outputs that read a value that changed, and the outputs they are part of.

        Every kept output was valid for the last build (an output that was not is
        produced again or forgotten), so comparing each path read with the last
        build's value at it finds them all: the work grows with the paths, not with
        the outputs that read them, and only the outputs that changed are visited.
        """
        stale = set(self._volatile)
        for node in session.changed():
            stale |= node.keys
        todo = list(stale)
        while todo:
            entry = self._entries.get(todo.pop())
            if entry is None:
                continue
            for parent in entry.parents:
                if parent not in stale:
                    stale.add(parent)
                    todo.append(parent)
        return stale

    def end(self) -> None:
        """Finish a build: forget outputs this build did not ask for (deleted notes, ...).

        An output is kept when this build asked for it or another kept output holds it
        (its `parents`): the outputs inside a reused page are not visited one by one.
        So only two kinds can be unwanted: an output asked for outside any other one in
        the last build but not in this one, and an output that one produced again no
        longer holds; forgetting one lets go of the outputs only it held.
        """
        todo = [k for k in self._tops if k not in self._used]
        todo.extend(self._orphans)
        while todo:
            key = todo.pop()
            entry = self._entries.get(key)
            if entry is None or key in self._used or entry.parents:
                continue
            self._drop(key)
            todo.extend(entry.children)
        # Every key asked for: the ones held by another output are skipped above (their
        # `parents`), so there is no need to sort out the top ones here.
        self._tops = self._used
        self._orphans = []
        for node in self._unread:
            self._index.release(node)
        self._unread = []
        self._session = None
        self._stale = set()

    def __len__(self) -> int:
        return len(self._entries)

    def run(self, key: Any, inputs: Inputs, produce: Callable[..., Any]) -> Any:
        """`produce(**tracked roots)` unless the output kept for `key` is still valid.

        Called inside another output's `produce`, the result becomes part of it.
        """
        found = self.reuse(key, inputs)
        if found is not REUSE_MISSED:
            return found
        session = self._session
        assert session is not None, "begin() a build first"
        parent = session.stack[-1] if session.stack else None
        self.misses += 1
        self.build_misses += 1
        self.rendered.append(key)
        rec = Recorder(key)
        session.stack.append(rec)
        try:
            result = produce(**session.tracked)
        except BaseException:
            self._unread.extend(rec.nodes)
            raise
        finally:
            session.stack.pop()
        inputs = dict(inputs) if type(inputs) is dict else tuple(inputs)
        entry = self._store(
            key, _Entry(inputs, rec.nodes, result, rec.children, volatile=rec.volatile)
        )
        if parent is not None:
            parent.children.append(key)
            entry.parents.add(parent.key)
        return result

    def reuse(self, key: Any, inputs: Inputs) -> Any:
        """The kept result for `key` if it is still valid (then it is part of the output
        being produced, if any), else REUSE_MISSED: `run` it."""
        entry = self._entries.get(key)
        if entry is None or key in self._stale:
            return REUSE_MISSED
        session = self._session
        assert session is not None, "begin() a build first"
        if not self._same_inputs(entry.inputs, inputs, session):
            return REUSE_MISSED
        self.hits += 1
        self.build_hits += 1
        self._used.add(key)
        if session.stack:
            parent = session.stack[-1]
            parent.children.append(key)
            entry.parents.add(parent.key)
        return entry.result

    def _store(self, key: Any, entry: _Entry) -> _Entry:
        old = self._entries.get(key)
        if old is not None:
            for node in old.nodes - entry.nodes:
                node.keys.discard(key)
                # Not now: an output being produced around this one may have read it.
                self._unread.append(node)
            for child in set(old.children).difference(entry.children):
                kept = self._entries.get(child)
                if kept is not None:
                    kept.parents.discard(key)
                    self._orphans.append(child)
            # Outputs that held the old result still depend on this one.
            entry.parents |= old.parents
        for node in entry.nodes:
            node.keys.add(key)
        if entry.volatile:
            self._volatile.add(key)
        else:
            self._volatile.discard(key)
        self._entries[key] = entry
        self._stale.discard(key)
        self._used.add(key)
        return entry

    def _drop(self, key: Any) -> None:
        entry = self._entries.pop(key)
        for node in entry.nodes:
            node.keys.discard(key)
            self._unread.append(node)
        for child in entry.children:
            kept = self._entries.get(child)
            if kept is not None:
                kept.parents.discard(key)
        self._volatile.discard(key)

    @staticmethod
    def _same_inputs(old: Inputs, new: Inputs, session: _Session) -> bool:
        same = session.same
        if type(old) is tuple:
            return (
                type(new) is tuple
                and len(old) == len(new)
                and all(a is b or same(a, b) for a, b in zip(old, new, strict=True))
            )
        if type(new) is not dict or type(old) is not dict or old.keys() != new.keys():
            return False
        # Most inputs are equal objects, and most of those the very same (unchanged notes).
        for name, value in new.items():
            kept = old[name]
            if kept is not value and not same(kept, value):
                return False
        return True


def template_fingerprint(template_dirs: list[Path]) -> str:
    """A hash of every template the pages can use: the user's folders and the package's."""
    digest = hashlib.blake2b(digest_size=16)
    package = resources.files("paperlog").joinpath("render/templates")
    for root in [*template_dirs, Path(str(package))]:
        if not root.is_dir():
            continue
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(file.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(file.read_bytes() + b"\0")
        digest.update(b"\1")
    return digest.hexdigest()
