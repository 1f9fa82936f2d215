"""notes/sessions.yaml: the reading group's meetings, validated into `Session`s.

Problems are 64x diagnostics at the line of the offending value. A meeting
with a bad field keeps the rest of its fields; one without a usable date is
left out (it cannot be placed in time).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import zoneinfo
from pathlib import Path
from typing import Any

import jsonschema

from ..diagnostics import Diagnostics
from ..model import Location, Session
from . import schema
from .yamlsource import load_yaml_file

SCHEMA_CODES = ("PL641", "PL641")


def load_sessions(path: Path, rel: str, diags: Diagnostics) -> tuple[Session, ...]:
    """Every meeting in sessions.yaml, by date and time (empty when there is no file)."""
    if not path.is_file():
        return ()
    doc = load_yaml_file(path, rel, diags)
    if doc is None:
        return ()
    if not isinstance(doc.value, list):
        diags.error(
            rel,
            1,
            1,
            "PL640",
            f"sessions.yaml must be a list of meetings, but holds {schema.describe(doc.value)}",
            "start each meeting with '- date: 2026-03-05'",
        )
        return ()
    schema.validate("sessions", doc.value, rel, doc.locations, diags, codes=SCHEMA_CODES)
    drafts: list[tuple[dict[str, Any], dict[str, Location], int]] = []
    for i, item in enumerate(doc.value):
        if not isinstance(item, dict):
            continue  # reported by the schema
        # Keep the fields that are valid on their own, like notes do.
        fields = {k: v for k, v in item.items() if _field_is_valid(k, v)}
        prefix = f"{i}/"
        locations = {
            k[len(prefix) :]: loc for k, loc in doc.locations.items() if k.startswith(prefix)
        }
        start = doc.locations.get(str(i))
        drafts.append((fields, locations, start.line if start else 0))
    sessions = [
        s for s in (_build(f, locs, line, rel, diags) for f, locs, line in drafts) if s is not None
    ]
    return tuple(sorted(_assign_uids(sessions, rel, diags), key=_order))


@functools.cache
def _field_validator() -> jsonschema.protocols.Validator:
    """Checks one field of a meeting on its own (so without `required`)."""
    full = json.loads(schema.schema_text("sessions"))
    item = {k: v for k, v in full["items"].items() if k != "required"}
    return jsonschema.validators.validator_for(full)(item)


def _field_is_valid(key: str, value: Any) -> bool:
    return _field_validator().is_valid({key: value})


def _order(session: Session) -> tuple[dt.date, dt.time, str]:
    return (session.date, session.time or dt.time.min, session.uid)


def _error(
    diags: Diagnostics,
    rel: str,
    locations: dict[str, Location],
    key: str,
    line: int,
    message: str,
    hint: str = "",
) -> None:
    loc = locations.get(key) or Location(rel, line, 1)
    diags.error(loc.path, loc.line, loc.col, "PL642", message, hint)


def _build(
    fields: dict[str, Any], locations: dict[str, Location], line: int, rel: str, diags: Diagnostics
) -> Session | None:
    if "date" not in fields:
        return None  # missing or malformed: the schema said so
    try:
        date = dt.date.fromisoformat(fields["date"])
    except ValueError:
        _error(diags, rel, locations, "date", line, f"'{fields['date']}' is not a real date")
        return None
    time = _time(fields.get("time"), rel, locations, line, diags)
    zone = str(fields.get("timezone") or "")
    if zone and not _known_zone(zone):
        _error(
            diags,
            rel,
            locations,
            "timezone",
            line,
            f"unknown time zone '{zone}'",
            "use an IANA name such as Europe/Berlin or America/New_York",
        )
        zone = ""
    duration = fields.get("duration")
    if duration is not None and time is None:
        _error(
            diags,
            rel,
            locations,
            "duration",
            line,
            "'duration' needs a start 'time'",
            'add e.g. time: "14:00"',
        )
        duration = None
    return Session(
        uid=str(fields.get("id") or ""),
        date=date,
        time=time,
        duration=duration,
        timezone=zone,
        title=str(fields.get("title") or ""),
        presenter=str(fields.get("presenter") or ""),
        papers=tuple(str(p) for p in fields.get("papers", ())),
        slides=str(fields.get("slides") or ""),
        location=str(fields.get("location") or ""),
        notes=str(fields.get("notes") or ""),
        source=rel,
        line=line,
        locations=locations,
    )


def _time(
    value: Any, rel: str, locations: dict[str, Location], line: int, diags: Diagnostics
) -> dt.time | None:
    if value is None:
        return None
    if isinstance(value, int):
        # YAML 1.1 reads an unquoted 14:30 as the base-60 number 870.
        if 60 <= value < 24 * 60:
            return dt.time(value // 60, value % 60)
        _error(
            diags,
            rel,
            locations,
            "time",
            line,
            f"'time' must be HH:MM, but got the number {value}",
            'write it in quotes, e.g. time: "14:30"',
        )
        return None
    hours, _, minutes = str(value).partition(":")
    return dt.time(int(hours), int(minutes))


def _known_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _assign_uids(sessions: list[Session], rel: str, diags: Diagnostics) -> list[Session]:
    """Give every meeting a stable key: its `id`, else its date and time, numbered on a busy day.

    Keys only depend on the meeting itself and, on a day with several
    meetings, on their order in the file: editing one meeting never changes
    another's key (its calendar UID and link anchor).
    """
    taken: set[str] = set()
    keyed: list[Session | None] = [None] * len(sessions)
    for i, s in enumerate(sessions):  # explicit ids first: they win their key
        if not s.uid:
            continue
        if s.uid in taken:
            loc = s.where("id")
            diags.error(
                loc.path,
                loc.line,
                loc.col,
                "PL645",
                f"two meetings have the id '{s.uid}'",
                "ids must be unique; rename one",
            )
            s = dataclasses.replace(s, uid=_free(s.uid, taken))
        taken.add(s.uid)
        keyed[i] = s
    for i, s in enumerate(sessions):
        if keyed[i] is None:
            base = s.date.isoformat() + (f"-{s.time:%H%M}" if s.time else "")
            keyed[i] = dataclasses.replace(s, uid=_free(base, taken))
            taken.add(keyed[i].uid)  # type: ignore[union-attr]
    return [s for s in keyed if s is not None]


def _free(base: str, taken: set[str]) -> str:
    uid, n = base, 1
    while uid in taken:
        n += 1
        uid = f"{base}-{n}"
    return uid
