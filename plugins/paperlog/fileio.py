"""Atomic file writes: every command that writes goes through here.

A reader of a file (a build, an editor, a second command) sees either the old
content or the new, never half of it, and an interrupted command (Ctrl-C, a
kill, a full disk) leaves the old file in place. The recipe: write a temporary
file in the same folder (so the rename stays on one file system), flush and
fsync it, then rename it over the target. Temporary names end in `.tmp`, so a
leftover one after a hard kill is never read as a note or a .bib file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


class WriteError(OSError):
    """A file could not be written (disk full, read-only folder, ...); it is as it was."""

    def __init__(self, path: Path, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause))
        self.path = path
        self.cause = cause

    def __str__(self) -> str:
        reason = self.strerror or str(self.cause)
        return f"cannot write {self.path}: {reason}; the file was left as it was"


def _guarded(path: Path):
    """Turn an OSError while writing `path` into a WriteError that names it."""

    @contextlib.contextmanager
    def guard():
        try:
            yield
        except WriteError:
            raise
        except OSError as exc:
            raise WriteError(path, exc) from exc

    return guard()


def _write_temp(path: Path, data: bytes, durable: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            # Keep the permissions the user gave the file we replace.
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform can open a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace (or create) `path` with `data`, atomically.

    `durable=False` skips the fsyncs: still atomic for readers, but after a
    power cut the file may be empty. For output that is regenerated anyway
    (`paperlog render`), where syncing thousands of pages costs seconds.
    """
    with _guarded(path):
        tmp = _write_temp(path, data, durable)
        try:
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    if durable:
        _fsync_dir(path.parent)


def write_text(path: Path, text: str, *, durable: bool = True) -> None:
    """Replace (or create) `path` with UTF-8 `text`, atomically."""
    write_bytes(path, text.encode("utf-8"), durable=durable)


def create_new(path: Path, data: bytes) -> bool:
    """Create `path` atomically, only if it does not exist; False when it does.

    A hard link from the finished temporary file fails when the target exists,
    so a file that appears between our check and our write is never replaced.
    """
    if path.exists():
        return False
    with _guarded(path):
        tmp = _write_temp(path, data)
        try:
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
            except OSError:
                # File systems without hard links: fall back to check-then-rename.
                if path.exists():
                    return False
                os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return True


def append_bytes(path: Path, data: bytes) -> bytes:
    """Append to `path` atomically, keeping every existing byte; returns the old bytes."""
    old = path.read_bytes() if path.exists() else b""
    write_bytes(path, old + data)
    return old


def write_json(path: Path, value: Any) -> None:
    """Write JSON with sorted keys and a final newline, so diffs stay small."""
    text = json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    write_text(path, text)
