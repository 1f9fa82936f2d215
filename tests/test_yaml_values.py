"""Our YAML builder yields the values PyYAML's own safe loader yields.

The builder takes text scalars without asking the resolver when no implicit
rule can apply (quoted, block, or a plain word whose first character starts
no number, boolean, null or date) and remembers each plain word's type; this
checks those shortcuts against `yaml.safe_load` on documents of every kind of
scalar, with dates as the ISO text the builder keeps them as.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperlog.diagnostics import Diagnostics
from paperlog.load.yamlsource import parse_yaml

WORDS = [
    "a",
    "ada",
    "yes",
    "Yes",
    "no",
    "NO",
    "on",
    "off",
    "y",
    "n",
    "true",
    "True",
    "TRUE",
    "tRue",
    "false",
    "null",
    "Null",
    "~",
    "1",
    "-1",
    "+1",
    "1_000",
    "0x1f",
    "0o17",
    "017",
    "0b101",
    "1.5",
    "1e3",
    "-.5",
    ".inf",
    "-.Inf",
    ".nan",
    ".NaN",
    "1:30",
    "190:20:30",
    "2026-01-05",
    "2026-1-5",
    "2026-01-05 10:00:00",
    "2026-01-05T10:00:00Z",
    "first-pass",
    "topic-004",
    "term-18",
    "o",
    "f",
    "t",
    "nope",
    "Tr",
    "=",
    "1.2.3",
    "0.",
    "+.inf",
    "x y",
    "ünï",
    "1706.03762",
]
SCALARS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda w: f"'{w}'"),
    st.sampled_from(WORDS).map(lambda w: f'"{w}"'),
    st.sampled_from(WORDS).map(lambda w: f"!!str {w}"),
    st.text(alphabet="abtfny01.-:_ ", min_size=1, max_size=6).filter(
        lambda w: w.strip() == w and ": " not in w and not w.endswith(":")
    ),
)


def plain(value: Any) -> Any:
    """safe_load's value with dates as ISO text, as the builder keeps them."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["k1", "k2", "k3", "k4"]), SCALARS, st.lists(SCALARS, max_size=3)
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda t: t[0],
    )
)
def test_values_are_those_of_the_safe_loader(fields: list[tuple[str, str, list[str]]]) -> None:
    lines = []
    for key, scalar, items in fields:
        if items:
            lines.append(f"{key}:")
            lines.extend(f"  - {item}" for item in items)
        else:
            lines.append(f"{key}: {scalar}")
    text = "\n".join(lines) + "\n"
    try:
        expected = plain(yaml.safe_load(text))
    except (ValueError, yaml.YAMLError):
        return  # not a document both read ('2026-1-5' as a bad date is the builder's own business)
    doc = parse_yaml(text, "x.yaml", Diagnostics())
    assert doc is not None
    assert repr(doc.value) == repr(expected)  # repr: nan equals nothing, and 1 == 1.0 == True
