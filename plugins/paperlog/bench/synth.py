"""Generate a synthetic but realistic study site of N notes, deterministically.

What a lab's log of N papers looks like after a few years:

- each note has 1-6 authors (some written with initials or family name first),
  3 citations (two to earlier notes, so early papers become hubs, and one to a
  BibTeX-only work), sometimes a `related` paper, 1-2 topics, tags, a reading
  log of 1-4 passes, glossary terms, Markdown with math and a `[@key]`
  citation, highlights, questions and (every 20th) reproduction results;
- notes/references.bib holds 1.5 N entries: one per note and N / 2 works that
  have no note;
- notes/topics.yaml (N / 50 topics), notes/glossary.yaml (40 terms) and
  notes/readers.yaml (5 readers; a third of the notes name one);
- notes/code/ holds a few Python modules with docstrings; every 10th note
  lists an implementation (a symbol of that code, or a repository) and every
  25th has pseudo-code whose steps point at functions or line ranges.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's dumper (fast), with text of several lines as a `|` block, as people write it."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    )


_Dumper.add_representer(str, _text)

# fmt: off
FIRST = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Yoshua", "Geoffrey", "Fei-Fei", "Jürgen", "Léon", "Andrej", "Ilya", "Ashish", "Noam", "Niki", "Jakob", "Llion", "Aidan", "Łukasz", "Kyunghyun", "Dzmitry", "Minh-Thang", "Jimmy", "Jacob", "Ming-Wei", "Kenton", "Kristina", "Alexey", "Lucas"]
LAST = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Bengio", "Hinton", "Li", "Schmidhuber", "Bottou", "Karpathy", "Sutskever", "Vaswani", "Shazeer", "Parmar", "Uszkoreit", "Jones", "Gomez", "Kaiser", "Cho", "Bahdanau", "Luong", "Ba", "Devlin", "Chang", "Lee", "Toutanova", "Dosovitskiy", "Beyer", "Müller", "García", "Nguyen", "Kim", "Zhang", "Wang", "Chen", "Rossi", "Novak", "Okafor"]
WORDS = ["attention", "transformer", "graph", "sparse", "efficient", "neural", "learning", "representation", "scaling", "language", "vision", "contrastive", "diffusion", "optimization", "generalization", "robust", "memory", "retrieval", "reasoning", "alignment", "benchmark", "quantization", "distillation", "recurrent", "convolutional", "adaptive", "causal", "self-supervised", "multimodal", "probabilistic"]
STATUSES = ["to-read", "skimmed", "first-pass", "second-pass", "implemented", "abandoned"]
PASSES = ["skim", "abstract", "introduction", "first", "second", "implementation"]
VENUES = ["NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "CVPR", "JMLR", "arXiv preprint"]
READERS = ["ada", "alan", "grace", "edsger", "barbara"]
CODE_MODULES = ["attention", "normalization", "optimizers", "losses", "sampling", "metrics"]
# fmt: on
FUNCTIONS_PER_MODULE = 4
NOTE_DIR = "papers"


def _title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(3, 7))
    return " ".join(w.capitalize() if i == 0 else w for i, w in enumerate(words))


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _spelling(rng: random.Random) -> str:
    """A name as notes write it: mostly in full, sometimes with an initial or family name first."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    form = rng.random()
    if form < 0.15:
        return f"{first[0]}. {last}"
    if form < 0.25:
        return f"{last}, {first}"
    return f"{first} {last}"


def _module_source(name: str) -> str:
    """A small module of the reader's code: functions and a class, with docstrings."""
    lines = [
        f'"""{name.capitalize()}: my implementations, in plain Python."""',
        "",
        "from __future__ import annotations",
        "",
        "",
    ]
    for j in range(FUNCTIONS_PER_MODULE):
        lines += [
            f"def step_{j}(values: list[float], scale: float = 1.0) -> list[float]:",
            f'    """Step {j} of the method: scale, shift and clip each value.',
            "",
            "    Args:",
            "        values: The inputs.",
            "        scale: Multiplies every value first.",
            "",
            "    Returns:",
            "        The transformed values, in the same order.",
            '    """',
            f"    shifted = [v * scale + {j} for v in values]",
            "    return [min(max(v, -10.0), 10.0) for v in shifted]",
            "",
            "",
        ]
    lines += [
        f"class {name.capitalize()}Model:",
        '    """The whole method as a class, so its state can be inspected."""',
        "",
        "    def __init__(self, scale: float = 1.0) -> None:",
        "        self.scale = scale",
        "",
        "    def __call__(self, values: list[float]) -> list[float]:",
        '        """Run every step in order."""',
        *(f"        values = step_{j}(values, self.scale)" for j in range(FUNCTIONS_PER_MODULE)),
        "        return values",
        "",
    ]
    return "\n".join(lines)


def _implementation(rng: random.Random, i: int) -> dict[str, object]:
    module = CODE_MODULES[i % len(CODE_MODULES)]
    if i % 3 == 0:
        return {
            "repo": f"https://github.com/example/{module}-{i}",
            "official": i % 2 == 0,
            "note": "The authors' code.",
        }
    return {
        "code": f"{module}.{module.capitalize()}Model",
        "note": f"My version; see step {rng.randint(0, 3)}.",
    }


def _pseudocode(i: int) -> list[dict[str, object]]:
    module = CODE_MODULES[i % len(CODE_MODULES)]
    steps: list[object] = [
        {
            "text": f"Apply step {j} to every value: $x \\mapsto {j} + s x$.",
            "code": f"{module}.step_{j}",
        }
        for j in range(2)
    ]
    # A line range of the first function's body (its two statements, after the docstring).
    steps.append({"text": "Shift, then clip to $[-10, 10]$.", "code": f"{module}.py#L16-L17"})
    steps.append("Repeat until the loss stops improving.")
    return [{"name": "The method", "steps": steps}]


def generate_site(root: Path, n_notes: int, seed: int = 1) -> Path:
    """Write mkdocs.yml, docs/ and notes/ for an N-note site into root."""
    rng = random.Random(seed)
    notes = root / "notes"
    papers_dir = notes / NOTE_DIR
    papers_dir.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text(
        "# Synthetic reading log\n\n[Papers](papers.md) · [Topics](topics.md)\n", "utf-8"
    )
    n_topics = max(3, n_notes // 50)
    topics = [f"topic-{i:03d}" for i in range(n_topics)]
    terms = [f"term-{i:02d}" for i in range(40)]
    note_ids = [f"paper{i:05d}" for i in range(n_notes)]
    bib_only = [f"work{i:05d}" for i in range(n_notes // 2)]
    (notes / "topics.yaml").write_text(
        "".join(
            f"{t}:\n  name: Topic {t[-3:]}\n  description: Papers about *{rng.choice(WORDS)}* and {rng.choice(WORDS)}.\n"
            for t in topics
        ),
        "utf-8",
    )
    (notes / "glossary.yaml").write_text(
        "".join(
            f"{t}:\n  name: {WORDS[i % len(WORDS)]} {i}\n  definition: A term about {rng.choice(WORDS)}.\n"
            for i, t in enumerate(terms)
        ),
        "utf-8",
    )
    (notes / "readers.yaml").write_text(
        "".join(
            f"{r}:\n  name: {r.capitalize()} {LAST[i]}\n" + ("  default: true\n" if i == 0 else "")
            for i, r in enumerate(READERS)
        ),
        "utf-8",
    )
    code = notes / "code"
    code.mkdir(exist_ok=True)
    for module in CODE_MODULES:
        (code / f"{module}.py").write_text(_module_source(module), "utf-8")
    bib: list[str] = []
    for key in note_ids + bib_only:
        authors = " and ".join(_name(rng) for _ in range(rng.randint(1, 6)))
        year = rng.randint(1995, 2026)
        bib.append(
            f"@inproceedings{{{key},\n  title = {{{{{_title(rng)}}}}},\n  author = {{{authors}}},\n"
            f"  booktitle = {{{rng.choice(VENUES)}}},\n  year = {{{year}}},\n  pages = {{{rng.randint(1, 300)}--{rng.randint(301, 600)}}},\n}}\n"
        )
    (notes / "references.bib").write_text("\n".join(bib), "utf-8")
    for i, note_id in enumerate(note_ids):
        (papers_dir / f"{note_id}.yaml").write_text(
            _note(rng, i, note_ids, bib_only, topics, terms), "utf-8"
        )
    (root / "mkdocs.yml").write_text(
        "site_name: Synthetic reading log\n"
        "site_url: https://example.org/synthetic/\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - paperlog\n",
        "utf-8",
    )
    return root


def _note(
    rng: random.Random,
    i: int,
    note_ids: list[str],
    bib_only: list[str],
    topics: list[str],
    terms: list[str],
) -> str:
    note_id = note_ids[i]
    earlier = note_ids[:i] or note_ids
    cites = sorted({rng.choice(earlier) for _ in range(2)} | {rng.choice(bib_only)} - {note_id})
    log = []
    day = rng.randint(1, 300)
    reader = READERS[i % len(READERS)] if i % 3 == 0 else None
    for p in PASSES[: rng.randint(1, 4)]:
        month, dom = divmod(day, 28)
        entry: dict[str, object] = {
            "date": f"2026-{month % 12 + 1:02d}-{dom + 1:02d}",
            "pass": p,
            "minutes": rng.randint(10, 120),
        }
        if reader:
            entry["reader"] = reader
        log.append(entry)
        day += rng.randint(1, 5)
    note: dict[str, object] = {
        "title": _title(rng),
        "authors": list(dict.fromkeys(_spelling(rng) for _ in range(rng.randint(1, 6)))),
        "year": rng.randint(2000, 2026),
        "venue": rng.choice(VENUES),
        "status": rng.choice(STATUSES),
        "topics": sorted(set(rng.sample(topics, rng.randint(1, 2)))),
        "tags": sorted(set(rng.sample(WORDS, 2))),
        "rating": rng.randint(1, 5),
        "log": log,
        "summary": (
            f"This paper studies **{rng.choice(WORDS)}** for {rng.choice(WORDS)}, building on [@{cites[0]}]. "
            f"The key quantity is $\\sum_i x_i^2$ and the method improves {rng.choice(WORDS)}.\n\n"
            f"- first point about {rng.choice(WORDS)}\n- second point about {rng.choice(WORDS)}\n"
        ),
        "passes": {"first": f"Section 3 explains {rng.choice(WORDS)} in detail."},
        "highlights": [
            {"quote": f"We show that {rng.choice(WORDS)} matters", "page": rng.randint(1, 12)}
        ],
        "questions": [
            {"q": f"Why does {rng.choice(WORDS)} help?", "a": "Because of the scaling argument."}
        ],
        "terms": sorted(set(rng.sample(terms, 2))),
        "cites": cites,
    }
    if reader:
        note["readers"] = [reader]
    if i % 7 == 3 and i > 0:
        note["related"] = [rng.choice(earlier)]
    if i % 10 == 0:
        note["implementations"] = [_implementation(rng, i)]
    if i % 25 == 5:
        note["pseudocode"] = _pseudocode(i)
    if i % 20 == 0:
        note["results"] = [
            {"metric": "accuracy", "reported": 90.0, "reproduced": round(rng.uniform(80, 95), 1)}
        ]
    # Block-style YAML, as people write notes (libyaml's dumper keeps this fast).
    return yaml.dump(note, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
