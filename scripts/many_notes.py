"""Generate a site with many notes and build it, printing how long each phase takes.

Checks that nothing grows with the square of the number of notes:

    .venv/bin/python scripts/many_notes.py 5000            # build 5,000 notes
    .venv/bin/python scripts/many_notes.py 500 --keep /tmp/s  # keep the site to look at

The notes are made up but shaped like real ones: a pool of authors written
in several spellings (initials, accents, 'Last, First'), reading logs over
two years, topics, glossary terms in the summaries, citations between notes.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import yaml

FIRST = ["Ashish", "Noam", "Łukasz", "Geoffrey", "Yoshua", "Ilya", "Oriol", "Jakob", "Llion", "Aidan", "Niki", "Illia", "Kaiming", "Diederik", "Jimmy", "Dzmitry", "Kyunghyun", "José", "Zoë", "François"]
LAST = ["Vaswani", "Shazeer", "Kaiser", "Hinton", "Bengio", "Sutskever", "Vinyals", "Uszkoreit", "Jones", "Gomez", "Parmar", "Polosukhin", "He", "Kingma", "Ba", "Bahdanau", "Cho", "Müller", "García", "Chollet", "Smith", "Nguyen", "Okafor", "Tanaka", "Rossi"]
TOPICS = ["transformers", "optimisation", "normalisation", "rnn", "vision", "generative-models", "reinforcement-learning", "theory"]
TERMS = {
    "self-attention": "Attention of a sequence over itself.",
    "softmax": "Exponentials normalised to sum to one.",
    "layer-normalization": "Normalising activations over the features of one example.",
    "residual-connection": "Adding a block's input to its output.",
    "dropout": "Zeroing random activations while training.",
    "beam-search": "Keeping the k best partial outputs while decoding.",
}
PASSES = ["skim", "abstract", "introduction", "first", "second", "implementation", "review"]
STATUSES = ["to-read", "skimmed", "first-pass", "second-pass", "implemented", "abandoned"]


def spell(first: str, last: str, rng: random.Random) -> str:
    """One of the ways a name gets written."""
    form = rng.random()
    if form < 0.6:
        return f"{first} {last}"
    if form < 0.8:
        return f"{first[0]}. {last}"
    if form < 0.9:
        return f"{last}, {first}"
    return f"{first.encode('ascii', 'ignore').decode() or first} {last}"


def make_notes(root: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    people = [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(max(n // 3, 30))]
    papers = root / "notes" / "papers"
    papers.mkdir(parents=True)
    ids = [f"paper{i:05d}" for i in range(n)]
    for i, pid in enumerate(ids):
        authors = [spell(*rng.choice(people), rng) for _ in range(rng.randint(1, 6))]
        log = []
        for _ in range(rng.randint(0, 4)):
            day = 1 + rng.randrange(730)
            year, doy = (2024, day) if day <= 366 else (2025, day - 366)
            date = time.strftime("%Y-%m-%d", time.strptime(f"{year} {doy}", "%Y %j"))
            log.append({"date": date, "pass": rng.choice(PASSES), "minutes": rng.choice([10, 15, 30, 45, 60, 90, 120])})
        terms = rng.sample(sorted(TERMS), rng.randint(0, 2))
        note = {
            "title": f"Paper {i}: a study of {rng.choice(['attention', 'gradients', 'memory', 'scale', 'noise'])}",
            "authors": list(dict.fromkeys(authors)),
            "year": rng.randint(1990, 2025),
            "status": rng.choice(STATUSES),
            "topics": rng.sample(TOPICS, rng.randint(1, 2)),
            "terms": terms,
            "log": log,
            "summary": f"Uses {' and '.join(t.replace('-', ' ') for t in terms) or 'nothing special'}; see the `code`.",
            "cites": sorted({rng.choice(ids) for _ in range(rng.randint(0, 3))} - {pid}),
        }
        (papers / f"{pid}.yaml").write_text(yaml.safe_dump(note, allow_unicode=True, sort_keys=False), "utf-8")
    (root / "notes" / "glossary.yaml").write_text(
        yaml.safe_dump({slug: {"definition": text} for slug, text in TERMS.items()}, sort_keys=False), "utf-8"
    )
    (root / "notes" / "topics.yaml").write_text(
        yaml.safe_dump({t: {"name": t.replace("-", " ").capitalize()} for t in TOPICS}, sort_keys=False), "utf-8"
    )
    (root / "notes" / "authors.yaml").write_text("Łukasz Kaiser: [Lukasz Kaiser]\n", "utf-8")
    (root / "docs").mkdir()
    config = {
        "site_name": "Many notes",
        "site_url": "https://example.org/many/",
        "theme": {
            "name": "material",
            "font": False,
            "features": ["content.tooltips"],
            "palette": [
                {"media": "(prefers-color-scheme: light)", "scheme": "default", "toggle": {"icon": "material/weather-night", "name": "Dark mode"}},
                {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "toggle": {"icon": "material/weather-sunny", "name": "Light mode"}},
            ],
        },
        "plugins": ["search", "paperlog"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")


def build(root: Path) -> dict[str, float]:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(str(root / "mkdocs.yml"))
    start = time.perf_counter()
    mkdocs_build(config)
    total = time.perf_counter() - start
    plugin = config.plugins["paperlog"]
    return {**plugin.timings, "build": total}  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=5000, help="number of notes (default 5000)")
    parser.add_argument("--keep", type=Path, help="make the site in this folder and keep it")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = args.keep or Path(tempfile.mkdtemp(prefix="paperlog-many-"))
    if args.keep and root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    make_notes(root, args.n)
    times = build(root)
    pages = sum(1 for _ in (root / "site").rglob("index.html"))
    print(f"{args.n} notes, {pages} pages: " + ", ".join(f"{k} {v:.2f}s" for k, v in times.items()))
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
