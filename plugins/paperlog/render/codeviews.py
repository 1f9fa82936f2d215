"""What the code-related templates show: links into code pages, code blocks,
pseudo-code steps with their code, and results with their differences.

The templates stay simple by receiving these ready-made views. Code goes into
pages as fenced blocks highlighted by pymdownx.highlight; lines on a code page
are linked through the anchors pymdownx gives the lines of the source block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from markupsafe import Markup

from ..model import Algorithm, CodeModule, CodeRef, Implementation, LinkedLibrary, Paper, Result

SOURCE_BLOCK_ID = "pl-src"
"""The id of the full-source block on a code page; line anchors are built from it."""
DEFAULT_LINE_ANCHORS = "__codelineno"
"""pymdownx.highlight's prefix for line anchors when `line_anchors` is not set."""

try:  # Neutralise pymdownx.snippets markers inside code we embed (see escape_snippets).
    from pymdownx.snippets import SnippetPreprocessor

    _SNIPPET_LINE: re.Pattern[str] | None = SnippetPreprocessor.RE_ALL_SNIPPETS
    _SNIPPET_SECTION: re.Pattern[str] | None = SnippetPreprocessor.RE_SNIPPET_SECTION
except (ImportError, AttributeError):  # pragma: no cover - older or newer pymdownx
    _SNIPPET_LINE = _SNIPPET_SECTION = None


def line_anchor(line: int, prefix: str = DEFAULT_LINE_ANCHORS) -> str:
    """The id of a line of the source on a code page, e.g. '__codelineno-pl-src-12'."""
    return f"{prefix}-{SOURCE_BLOCK_ID}-{line}"


def escape_snippets(line: str) -> str:
    """A line with its pymdownx.snippets markers escaped, so the code shows as written.

    With the snippets extension on, a line like `--8<-- "file"` inside a code
    block would pull another file into the page, and `# --8<-- [start:x]`
    would be deleted (shifting line numbers). One more ';' escapes a marker;
    snippets removes it again.
    """
    if _SNIPPET_LINE is None or _SNIPPET_SECTION is None:
        return line
    match = _SNIPPET_LINE.match(line) or _SNIPPET_SECTION.match(line)
    if match is None:
        return line
    at = match.start("escape")
    return line[:at] + ";" + line[at:]


def fence(
    text: str,
    *,
    start: int = 1,
    block_id: str = "",
    title: str = "",
    snippets: bool = False,
) -> Markup:
    """A fenced Python block with line numbers from `start`, safe for any source text."""
    lines = text.split("\n")
    if snippets:
        lines = [escape_snippets(line) for line in lines]
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    attrs = [".python"]
    if block_id:
        attrs.append(f"#{block_id}")
    attrs.append(f'linenums="{start}"')
    if title:
        # A title is an attribute value: no quotes, no line breaks.
        attrs.append('title="{}"'.format(" ".join(title.replace('"', "'").split())))
    body = "\n".join(lines).rstrip("\n")
    return Markup(f"{ticks} {{ {' '.join(attrs)} }}\n{body}\n{ticks}")


@dataclass(frozen=True)
class CodeLink:
    """A resolved code target, ready to link and embed."""

    ref: CodeRef
    module: CodeModule
    anchor: str
    """The id of the first line on the module's code page."""

    @property
    def label(self) -> str:
        """The target as a reader names it: 'attention.MultiHeadAttention' or 'attention.py'."""
        if self.ref.symbol:
            return f"{self.module.name}.{self.ref.symbol}"
        return self.module.rel if self.ref.kind == "lines" else self.module.name

    @property
    def lines(self) -> str:
        if self.ref.start == self.ref.end:
            return f"line {self.ref.start}"
        return f"lines {self.ref.start}\u2013{self.ref.end}"

    @property
    def excerpt(self) -> str:
        """The lines the target names, as in the file."""
        lines = self.module.source.split("\n")
        return "\n".join(lines[self.ref.start - 1 : self.ref.end])

    @property
    def embeddable(self) -> bool:
        """A whole module is linked, not copied into the paper page."""
        return not self.ref.whole_module


def code_link(
    lib: LinkedLibrary, target: str | None, anchors: str = DEFAULT_LINE_ANCHORS
) -> CodeLink | None:
    """The link for a target, or None when it did not resolve (already reported)."""
    if not target or target not in lib.code_refs:
        return None
    ref = lib.code_refs[target]
    module = lib.code_modules[ref.module]
    return CodeLink(ref, module, line_anchor(ref.start, anchors))


@dataclass(frozen=True)
class StepView:
    number: int
    text: str
    target: str | None
    link: CodeLink | None


@dataclass(frozen=True)
class AlgorithmView:
    name: str
    steps: tuple[StepView, ...]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.link is not None)

    @property
    def total(self) -> int:
        return len(self.steps)


def algorithm_views(
    lib: LinkedLibrary, paper: Paper, anchors: str = DEFAULT_LINE_ANCHORS
) -> list[AlgorithmView]:
    return [_algorithm_view(lib, alg, anchors) for alg in paper.pseudocode]


def _algorithm_view(lib: LinkedLibrary, alg: Algorithm, anchors: str) -> AlgorithmView:
    steps = tuple(
        StepView(i, step.text, step.code, code_link(lib, step.code, anchors))
        for i, step in enumerate(alg.steps, start=1)
    )
    return AlgorithmView(alg.name, steps)


@dataclass(frozen=True)
class ResultView:
    """One row of the results table, with its difference and verdict."""

    result: Result
    reported: str
    reproduced: str
    difference: str
    relative: str
    verdict: str
    """'within', 'better', 'worse', 'not-reproduced' or 'no-reference'."""
    favourable: bool | None
    """Whether the difference goes the good way (None when there is none)."""
    label: str = ""
    """The verdict in words, for the reader."""


def number(value: float | int | None) -> str:
    """A number as the reader wrote it: '27.1', '64', '3.16e-16'."""
    if value is None:
        return ""
    if isinstance(value, bool):  # YAML `true` is not a number worth showing
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _decimal(value: float | int) -> Decimal:
    # repr() is the shortest text that reads back as the same float, so
    # 27.1 - 28.4 comes out as -1.3, not -1.2999999999999972.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _signed(text: str) -> str:
    if text.startswith("-"):
        return "\u2212" + text[1:]
    return text if text in ("0", "0.0") else "+" + text


def _percent(ratio: Decimal) -> str:
    pct = float(ratio * 100)
    size = abs(pct)
    if size >= 10:
        text = f"{pct:.0f}"
    elif size >= 1:
        text = f"{pct:.1f}"
    elif size == 0:
        text = "0"
    else:
        text = f"{pct:.2g}"
    return _signed(text) + "\u202f%"


def result_view(result: Result, tolerance: float) -> ResultView:
    """The differences and the verdict for one result, judged against `tolerance`.

    The relative difference is (reproduced - reported) / |reported|; a result
    is within tolerance when its size is at most `tolerance`. A reported 0 has
    no relative difference, so the absolute difference is compared instead.
    Outside tolerance, the verdict says whether the reproduction is better or
    worse than the paper, following `higher_is_better`.
    """
    reported, reproduced = result.reported, result.reproduced
    base = ResultView(result, number(reported), number(reproduced), "", "", "", None)
    if reproduced is None:
        return replace(base, verdict="not-reproduced", label="not reproduced")
    if reported is None:
        return replace(base, verdict="no-reference", label="nothing reported")
    try:
        diff = _decimal(reproduced) - _decimal(reported)
        tol = _decimal(float(tolerance))
    except InvalidOperation:  # inf or nan in a note
        return replace(base, verdict="no-reference", label="not comparable")
    favourable = None if diff == 0 else (diff > 0) == result.higher_is_better
    if reported == 0:
        relative = ""
        within = abs(diff) <= tol
    else:
        ratio = diff / abs(_decimal(reported))
        relative = _percent(ratio)
        within = abs(ratio) <= tol
    verdict = "within" if within else ("better" if favourable else "worse")
    limit = tolerance_label(tolerance)
    label = {
        "within": f"\u2713 within {limit}",
        "better": f"\u25b2 outside {limit}, better",
        "worse": f"\u2717 outside {limit}",
    }[verdict]
    difference = _signed(format(diff, "g")) if diff != 0 else "0"
    return replace(
        base,
        difference=difference,
        relative=relative,
        verdict=verdict,
        favourable=favourable,
        label=label,
    )


def result_views(paper: Paper, tolerance: float) -> list[ResultView]:
    return [result_view(r, tolerance) for r in paper.results]


def tolerance_label(tolerance: float) -> str:
    """0.05 -> '5 %'."""
    return f"{tolerance * 100:g}\u202f%"


@dataclass(frozen=True)
class ImplementationView:
    implementation: Implementation
    link: CodeLink | None


@dataclass(frozen=True)
class PaperCodeView:
    """Everything the paper page's code sections show."""

    mine: tuple[ImplementationView, ...]
    others: tuple[Implementation, ...]
    algorithms: tuple[AlgorithmView, ...]
    results: tuple[ResultView, ...]
    tolerance: str

    @property
    def steps_done(self) -> int:
        return sum(a.done for a in self.algorithms)

    @property
    def steps_total(self) -> int:
        return sum(a.total for a in self.algorithms)


def paper_code_view(
    lib: LinkedLibrary, paper: Paper, tolerance: float, anchors: str = DEFAULT_LINE_ANCHORS
) -> PaperCodeView:
    mine = tuple(
        ImplementationView(i, code_link(lib, i.code, anchors))
        for i in paper.implementations
        if i.code
    )
    others = tuple(i for i in paper.implementations if i.repo)
    return PaperCodeView(
        mine,
        others,
        tuple(algorithm_views(lib, paper, anchors)),
        tuple(result_views(paper, tolerance)),
        tolerance_label(tolerance),
    )


@dataclass(frozen=True)
class Reproduction:
    """A paper's reproduced results at a glance, for chips in paper tables."""

    reproduced: int
    matching: int
    """Results within tolerance of the paper, or better than it."""

    def __bool__(self) -> bool:
        return self.reproduced > 0


def has_reproduced(paper: Paper) -> bool:
    """Whether the reader reproduced at least one of the paper's results."""
    return any(r.reproduced is not None for r in paper.results)


def reproduction(paper: Paper, tolerance: float) -> Reproduction:
    views = [result_view(r, tolerance) for r in paper.results if r.reproduced is not None]
    return Reproduction(len(views), sum(1 for v in views if v.verdict in ("within", "better")))


def repo_label(url: str) -> str:
    """'https://github.com/owner/name/' -> 'github.com/owner/name'."""
    text = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I)
    return text.removeprefix("www.").rstrip("/")
