"""Generate a synthetic but realistic study site of N notes, deterministically.

Each note has 1-6 authors (some written with initials or family name first),
3 citations (to other notes and to BibTeX-only
works), topics, tags, a reading log, glossary terms, Markdown with math; the
.bib holds 1.5 N entries; some notes point at implementation code.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

FIRST = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Yoshua", "Geoffrey", "Fei-Fei", "Jürgen", "Léon", "Andrej", "Ilya", "Ashish", "Noam", "Niki", "Jakob", "Llion", "Aidan", "Łukasz", "Kyunghyun", "Dzmitry", "Minh-Thang", "Jimmy", "Jacob", "Ming-Wei", "Kenton", "Kristina", "Alexey", "Lucas"]
LAST = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Bengio", "Hinton", "Li", "Schmidhuber", "Bottou", "Karpathy", "Sutskever", "Vaswani", "Shazeer", "Parmar", "Uszkoreit", "Jones", "Gomez", "Kaiser", "Cho", "Bahdanau", "Luong", "Ba", "Devlin", "Chang", "Lee", "Toutanova", "Dosovitskiy", "Beyer", "Müller", "García", "Nguyen", "Kim", "Zhang", "Wang", "Chen", "Rossi", "Novak", "Okafor"]
WORDS = ["attention", "transformer", "graph", "sparse", "efficient", "neural", "learning", "representation", "scaling", "language", "vision", "contrastive", "diffusion", "optimization", "generalization", "robust", "memory", "retrieval", "reasoning", "alignment", "benchmark", "quantization", "distillation", "recurrent", "convolutional", "adaptive", "causal", "self-supervised", "multimodal", "probabilistic"]
STATUSES = ["to-read", "skimmed", "first-pass", "second-pass", "implemented", "abandoned"]
PASSES = ["skim", "abstract", "introduction", "first", "second", "implementation"]
VENUES = ["NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "CVPR", "JMLR", "arXiv preprint"]


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


def generate_site(root: Path, n_notes: int, seed: int = 1) -> Path:
    """Write mkdocs.yml, docs/ and notes/ for an N-note site into root."""
    rng = random.Random(seed)
    notes = root / "notes"
    papers_dir = notes / "papers"
    papers_dir.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Synthetic reading log\n\n[Papers](papers.md) · [Topics](topics.md)\n", "utf-8")
    n_topics = max(3, n_notes // 50)
    topics = [f"topic-{i:03d}" for i in range(n_topics)]
    terms = [f"term-{i:02d}" for i in range(40)]
    note_ids = [f"paper{i:05d}" for i in range(n_notes)]
    bib_only = [f"work{i:05d}" for i in range(n_notes // 2)]
    (notes / "topics.yaml").write_text(
        "".join(f"{t}:\n  name: Topic {t[-3:]}\n  description: Papers about *{rng.choice(WORDS)}* and {rng.choice(WORDS)}.\n" for t in topics),
        "utf-8",
    )
    (notes / "glossary.yaml").write_text(
        "".join(f"{t}:\n  name: {WORDS[i % len(WORDS)]} {i}\n  definition: A term about {rng.choice(WORDS)}.\n" for i, t in enumerate(terms)),
        "utf-8",
    )
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
        earlier = note_ids[:i] or note_ids
        cites = sorted({rng.choice(earlier) for _ in range(2)} | {rng.choice(bib_only)} - {note_id})
        log = []
        day = rng.randint(1, 300)
        for p in PASSES[: rng.randint(1, 4)]:
            month, dom = divmod(day, 28)
            log.append({"date": f"2026-{month % 12 + 1:02d}-{dom + 1:02d}", "pass": p, "minutes": rng.randint(10, 120)})
            day += rng.randint(1, 5)
        note = {
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
                f"This paper studies **{rng.choice(WORDS)}** for {rng.choice(WORDS)}. "
                f"The key quantity is $\\sum_i x_i^2$ and the method improves {rng.choice(WORDS)}.\n\n"
                f"- first point about {rng.choice(WORDS)}\n- second point about {rng.choice(WORDS)}\n"
            ),
            "passes": {"first": f"Section 3 explains {rng.choice(WORDS)} in detail."},
            "highlights": [{"quote": f"We show that {rng.choice(WORDS)} matters", "page": rng.randint(1, 12)}],
            "questions": [{"q": f"Why does {rng.choice(WORDS)} help?", "a": "Because of the scaling argument."}],
            "terms": sorted(set(rng.sample(terms, 2))),
            "cites": cites,
        }
        if i % 20 == 0:
            note["results"] = [{"metric": "accuracy", "reported": 90.0, "reproduced": round(rng.uniform(80, 95), 1)}]
        # JSON is valid YAML and much faster to write than a YAML dumper.
        (papers_dir / f"{note_id}.yaml").write_text(json.dumps(note, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Synthetic reading log\n"
        "site_url: https://example.org/synthetic/\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - paperlog\n",
        "utf-8",
    )
    return root
