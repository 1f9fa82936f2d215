"""The compiled schema check may only ever let through what jsonschema lets through.

`schema.validate` skips jsonschema for a value the compiled check passes, so a
value the compiled check passes but jsonschema refuses would lose its
diagnostics. Values are drawn from each shipped schema itself (mostly almost
valid, with the edge cases where JSON Schema validators differ: 1.0 and true
for integers, a trailing newline after a pattern's `$`, true next to 1 in a
unique list) and from plain YAML-like data.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperlog.diagnostics import Diagnostics
from paperlog.load import schema

TEXTS = [
    "",
    "a",
    "ada",
    "Ada",
    "ada\n",
    "paper-1",
    "x_y",
    "-x",
    "self-attention",
    "2026-01-05",
    "2026-01-05\n",
    "2026-02-30",
    "10:30",
    "1706.03762",
    "arXiv:1706.03762",
    "10.48550/arXiv.1706.03762",
    "https://example.org/a",
    "skim",
    "first-pass",
    "to-read",
    "Europe/Paris",
    "ü",
    "a b",
    "1",
    "true",
]
SCALARS = st.one_of(
    st.sampled_from(TEXTS),
    st.text(max_size=6),
    st.sampled_from(
        [
            0,
            1,
            2,
            5,
            6,
            -1,
            2026,
            10**20,
            1.0,
            1.5,
            4.0,
            float("nan"),
            float("inf"),
            True,
            False,
            None,
        ]
    ),
)
ANY = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(TEXTS), inner, max_size=3)
    ),
    max_leaves=8,
)


def from_schema(node: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values shaped like `node` wants, often with one thing wrong."""
    if not isinstance(node, dict) or depth > 6:
        return ANY
    options: list[st.SearchStrategy[Any]] = []
    if "enum" in node:
        options.append(st.sampled_from(node["enum"]))
    if "anyOf" in node:
        options.extend(from_schema(branch, depth + 1) for branch in node["anyOf"])
    types = node.get("type", [])
    types = [types] if isinstance(types, str) else types
    if "object" in types:
        props = node.get("properties", {})
        names = [*sorted(props), "unknown", "Bad Key"]
        options.append(
            st.lists(st.sampled_from(names), max_size=6, unique=True).flatmap(
                lambda keys: st.fixed_dictionaries(
                    {
                        k: from_schema(props.get(k, node.get("additionalProperties")), depth + 1)
                        for k in keys
                    }
                )
            )
        )
    if "array" in types:
        item = from_schema(node.get("items"), depth + 1)
        options.append(st.lists(item, max_size=3))
        options.append(item.map(lambda v: [v, v]))
    if "string" in types and "enum" not in node:
        options.append(st.sampled_from(TEXTS))
    if "integer" in types or "number" in types:
        options.append(st.sampled_from([1, 3, 5, 0, 6, 1.0, 2.5, True, 2026]))
    if "boolean" in types:
        options.append(st.booleans())
    if "null" in types:
        options.append(st.none())
    options.append(ANY)
    return st.one_of(options)


@pytest.mark.parametrize("name", schema.SCHEMA_NAMES)
def test_the_compiled_check_passes_nothing_jsonschema_refuses(name: str) -> None:
    full = json.loads(schema.schema_text(name))
    reference = jsonschema.validators.validator_for(full)(full)
    seen = {"passed": 0, "refused": 0}

    @settings(
        max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(from_schema(full))
    def check(value: Any) -> None:
        quick = schema._passes(name, value)
        if quick:
            assert reference.is_valid(value), value
        seen["passed" if quick else "refused"] += 1
        # The public answers agree with jsonschema whatever the quick check said.
        assert schema.is_valid(name, value) == reference.is_valid(value)
        diags = Diagnostics()
        assert schema.validate(name, value, "x.yaml", {}, diags) == reference.is_valid(value)
        assert bool(list(diags)) != reference.is_valid(value)

    check()
    # Both sides were exercised: the draws are not all valid, nor all invalid.
    assert seen["passed"] > 0 and seen["refused"] > 0, seen
