"""The user guide documents every option, note field and diagnostic code."""

from __future__ import annotations

import json
from pathlib import Path

from paperlog.diagnostics import CODES
from paperlog.load.schema import schema_text
from paperlog.mkdocs.config import PaperlogConfig

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide"


def guide_text() -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(GUIDE.glob("*.md")))


def test_every_plugin_option_is_documented() -> None:
    text = guide_text()
    missing = [name for name, _ in PaperlogConfig._schema if f"`{name}`" not in text]
    assert missing == []


def test_every_plugin_option_has_a_docstring() -> None:
    import inspect

    source = inspect.getsource(PaperlogConfig)
    for name, _ in PaperlogConfig._schema:
        after = source.split(f"    {name} = ", 1)[1].split("\n", 2)
        assert after[1].strip().startswith('"""'), f"option {name} has no docstring"


def test_every_note_field_is_documented() -> None:
    text = guide_text()
    fields = json.loads(schema_text("note"))["properties"]
    missing = [name for name in fields if f"`{name}`" not in text]
    assert missing == []


def test_every_diagnostic_code_is_documented() -> None:
    text = guide_text()
    missing = [code for code in CODES if f"`{code}`" not in text]
    assert missing == []
