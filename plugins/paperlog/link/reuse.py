"""The last build's objects, handed back when a rebuild makes the same ones again.

`mkdocs serve` links the whole library again after every edit. The render
cache (render/cache.py) compares what each kept page read with what this build
has; an unchanged note comes back from loading and merging as the very same
object, so most of those comparisons are identity checks. The objects the
linker derives (people, reading events, graph nodes, works without a note)
would be new every build and compared field by field, once per value read.
Swapping each for the last build's equal one makes them compare by identity
too, and the comparison is made once here instead of once per reader.

Equal means: would print the same. `==` alone is not enough where a field is a
number (90 and 90.0, 0.0 and -0.0 are equal and print differently): callers
pass a stricter `same` for such objects.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")


class _Clearable(Protocol):
    def clear(self) -> None: ...


M = TypeVar("M", bound=_Clearable)

_MEMOS: list[_Clearable] = []


def last_build_memo(memo: M) -> M:
    """Register a module's memo of the last build (a dict or list), so that
    `forget_last_build` empties it; returns it."""
    _MEMOS.append(memo)
    return memo


def forget_last_build() -> None:
    """Drop what every module kept of the last build.

    Only `mkdocs serve` builds again in the same process; a one-off build calls
    this once it has rendered, so the memos do not hold objects (views, layouts,
    merged notes) through the rest of the build, where MkDocs' pages reach the
    peak of memory.
    """
    for memo in _MEMOS:
        memo.clear()


_LAST: dict[str, dict[Hashable, Any]] = last_build_memo({})
"""Kind -> key -> the object the last build made (only for the next build of this process)."""


class Reuse(Generic[T]):
    """One kind of object for one build: `reuse(key, new)` is the last build's object for
    `key` when `same(last, new)`, else `new`; `done()` keeps this build's for the next."""

    def __init__(self, kind: str, same: Callable[[T, T], bool] | None = None) -> None:
        self._kind = kind
        self._last: dict[Hashable, T] = _LAST.get(kind, {})
        self._now: dict[Hashable, T] = {}
        self._same = same

    def __call__(self, key: Hashable, new: T) -> T:
        old = self._last.get(key)
        if old is not None and old is not new and type(old) is type(new) and self._equal(old, new):
            new = old
        self._now[key] = new
        return new

    def _equal(self, old: T, new: T) -> bool:
        return self._same(old, new) if self._same is not None else bool(old == new)

    def done(self) -> None:
        _LAST[self._kind] = self._now


def same_items(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """The same objects in the same order (items already swapped for the last build's)."""
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))
