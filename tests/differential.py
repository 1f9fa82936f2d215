"""Random edits to a copy of the demo site, for the differential test (test_differential.py).

Each edit is a function `(root, rng) -> str` that changes the site's sources under
`root` the way a user would, and returns what it did. Given the same tree and a
generator seeded alike, an edit makes the same change: the test replays one
sequence on several copies of the site.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from conftest import REPO

Edit = Callable[[Path, random.Random], str]

STATUSES = ("to-read", "skimmed", "first-pass", "second-pass", "implemented", "abandoned")
PASSES = ("skim", "abstract", "introduction", "first", "second", "implementation", "review")

THEME_OVERRIDE = """{% extends "base.html" %}
{% block announce %}Differential test: {{ config.site_name }}{% endblock %}
"""


def copy_demo(dest: Path) -> Path:
    """The repository's demo site, with a theme override folder and a template folder (both
    edited by the sequences), so every kind of input is there to change. Without Material's
    tags plugin (an edit of mkdocs.yml turns it on and off): with it, `--dirty` writes every
    page again, and would be no different from a plain rebuild."""
    dest.mkdir(parents=True)
    for folder in ("notes", "docs"):
        shutil.copytree(REPO / folder, dest / folder)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1)
    config = config.replace(
        "      notes_dir: notes\n", "      notes_dir: notes\n      templates: templates\n", 1
    )
    config = config.replace("  - tags\n", "", 1)
    (dest / "mkdocs.yml").write_text(config, "utf-8")
    (dest / "overrides").mkdir()
    (dest / "overrides" / "main.html").write_text(THEME_OVERRIDE, "utf-8")
    (dest / "templates").mkdir()
    (dest / "templates" / "README.txt").write_text("Template overrides.\n", "utf-8")
    return dest


def sources(root: Path) -> dict[str, bytes]:
    """Every source file of the site (everything but the built site)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != "site"
    }


# --- helpers


def _notes(root: Path) -> list[Path]:
    return sorted((root / "notes" / "papers").glob("*.yaml"))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def _a_note(root: Path, rng: random.Random) -> Path:
    notes = [n for n in _notes(root) if not n.name.startswith("broken-")]
    return rng.choice(notes)


# --- edits


def note_field(root: Path, rng: random.Random) -> str:
    note = _a_note(root, rng)
    data = _load(note)
    field = rng.choice(["title", "status", "year", "rating", "summary", "tags"])
    if field == "title":
        data["title"] = f"{data.get('title', note.stem)} (rev. {rng.randint(1, 99)})"
    elif field == "status":
        data["status"] = rng.choice(STATUSES)
    elif field == "year":
        data["year"] = rng.randint(1990, 2025)
    elif field == "rating":
        data["rating"] = rng.randint(1, 5)
    elif field == "summary":
        data["summary"] = f"Rewritten: a *new* summary with $x^{rng.randint(2, 9)}$ in it.\n"
    else:
        data["tags"] = sorted({*data.get("tags", []), f"tag-{rng.randint(1, 5)}"})
    _dump(note, data)
    return f"{field} of {note.stem}"


def cites(root: Path, rng: random.Random) -> str:
    note = _a_note(root, rng)
    data = _load(note)
    others = [n.stem for n in _notes(root) if n != note and not n.name.startswith("broken-")]
    current = list(data.get("cites") or [])
    if current and rng.random() < 0.4:
        removed = current.pop(rng.randrange(len(current)))
        data["cites"] = current
        _dump(note, data)
        return f"{note.stem} no longer cites {removed}"
    target = rng.choice(others)
    data["cites"] = [*current, target] if target not in current else current
    _dump(note, data)
    return f"{note.stem} cites {target}"


def new_note(root: Path, rng: random.Random) -> str:
    n = rng.randint(1000, 9999)
    others = [p.stem for p in _notes(root)]
    data = {
        "title": f"A new paper number {n}",
        "authors": [rng.choice(["Ada Lovelace", "Alan Turing", "Grace Hopper"])],
        "year": rng.randint(2000, 2025),
        "status": rng.choice(STATUSES),
        "topics": ["attention"],
        "cites": [rng.choice(others)],
        "log": [{"date": f"2026-04-0{rng.randint(1, 9)}", "pass": "skim", "minutes": 10}],
    }
    _dump(root / "notes" / "papers" / f"new{n}.yaml", data)
    return f"new note new{n}"


def delete_note(root: Path, rng: random.Random) -> str:
    note = _a_note(root, rng)
    note.unlink()
    return f"deleted {note.stem}"


def rename_note(root: Path, rng: random.Random) -> str:
    note = _a_note(root, rng)
    new = note.with_name(f"{note.stem}-renamed.yaml")
    note.rename(new)
    return f"renamed {note.stem} to {new.stem}"


def topics(root: Path, rng: random.Random) -> str:
    path = root / "notes" / "topics.yaml"
    text = path.read_text("utf-8")
    if rng.random() < 0.5:
        text = text.replace(
            "name: Attention and Transformers", f"name: Attention, take {rng.randint(1, 99)}", 1
        )
        path.write_text(text, "utf-8")
        return "renamed a topic"
    slug = f"topic-{rng.randint(1, 99)}"
    path.write_text(
        text + f"\n{slug}:\n  name: Topic {slug}\n  description: Added by an edit.\n", "utf-8"
    )
    return f"new topic {slug}"


def glossary(root: Path, rng: random.Random) -> str:
    path = root / "notes" / "glossary.yaml"
    text = path.read_text("utf-8")
    if rng.random() < 0.5:
        text = text.replace(
            "A learned, differentiable lookup.", f"A learned lookup ({rng.randint(1, 99)}).", 1
        )
        path.write_text(text, "utf-8")
        return "changed a definition"
    slug = f"term-{rng.randint(1, 99)}"
    path.write_text(
        text
        + f"\n{slug}:\n  name: Softmax {slug}\n  definition: Exponentials, normalised, with $e^x$.\n",
        "utf-8",
    )
    return f"new term {slug}"


def readers(root: Path, rng: random.Random) -> str:
    path = root / "notes" / "readers.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("name: Guest reader", f"name: Guest reader {rng.randint(1, 99)}", 1), "utf-8"
    )
    return "renamed a reader"


def reading_session(root: Path, rng: random.Random) -> str:
    note = _a_note(root, rng)
    data = _load(note)
    entry = {
        "date": f"2026-0{rng.randint(4, 9)}-1{rng.randint(0, 9)}",
        "pass": rng.choice(PASSES),
        "minutes": rng.randint(5, 90),
    }
    data["log"] = [*(data.get("log") or []), entry]
    _dump(note, data)
    return f"logged a session on {note.stem}"


def meeting(root: Path, rng: random.Random) -> str:
    path = root / "notes" / "sessions.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace(
            "title: Attention before Transformers",
            f"title: Attention, meeting {rng.randint(1, 99)}",
            1,
        ),
        "utf-8",
    )
    return "renamed a meeting"


def bibtex(root: Path, rng: random.Random) -> str:
    path = root / "notes" / "references.bib"
    n = rng.randint(100, 999)
    entry = (
        f"\n@article{{mueller{n}cats,\n"
        f"  title = {{Schr{{\\\"o}}dinger's {{$\\alpha$}}-cats, part {n}}},\n"
        '  author = {M{\\"u}ller, J{\\"o}rg and {\\AA}str{\\"o}m, Karl},\n'
        f"  journal = {{Journal of Feline Physics}},\n  year = {{20{rng.randint(10, 25)}}},\n}}\n"
    )
    path.write_text(path.read_text("utf-8") + entry, "utf-8")
    note = _a_note(root, rng)
    data = _load(note)
    data["cites"] = [*(data.get("cites") or []), f"mueller{n}cats"]
    _dump(note, data)
    return f"new .bib entry mueller{n}cats, cited by {note.stem}"


def code(root: Path, rng: random.Random) -> str:
    path = root / "notes" / "code" / "attention.py"
    text = path.read_text("utf-8")
    n = rng.randint(1, 99)
    path.write_text(
        text.replace(
            "def causal_mask(",
            f'def helper_{n}(x: int) -> int:\n    """A helper added by edit {n}."""\n    return x\n\n\ndef causal_mask(',
            1,
        ),
        "utf-8",
    )
    return f"added helper_{n} to attention.py"


def hand_written_page(root: Path, rng: random.Random) -> str:
    path = root / "docs" / "index.md"
    key = rng.choice([n.stem for n in _notes(root)] + ["vaswani2017attention"])
    path.write_text(path.read_text("utf-8") + f"\nAs [@{key}] shows, and @{key} again.\n", "utf-8")
    return f"docs/index.md cites {key}"


def template_override(root: Path, rng: random.Random) -> str:
    from importlib import resources

    package = Path(str(resources.files("paperlog").joinpath("render/templates")))
    name = rng.choice(["topic.md.j2", "papers.md.j2", "paper.md.j2"])
    path = root / "templates" / name
    text = path.read_text("utf-8") if path.exists() else (package / name).read_text("utf-8")
    path.write_text(text + f"\n<!-- override {rng.randint(1, 99)} -->\n", "utf-8")
    return f"template override {name}"


def plugin_option(root: Path, rng: random.Random) -> str:
    path = root / "mkdocs.yml"
    text = path.read_text("utf-8")
    choice = rng.choice(["style", "depth", "tags", "feed"])
    if choice == "style":
        if "citation_style: numeric" in text:
            text = text.replace("      citation_style: numeric\n", "")
        else:
            text = text.replace(
                "      notes_dir: notes\n",
                "      notes_dir: notes\n      citation_style: numeric\n",
            )
    elif choice == "depth":
        if "graph_depth: 2" in text:
            text = text.replace("      graph_depth: 2\n", "")
        else:
            text = text.replace(
                "      notes_dir: notes\n", "      notes_dir: notes\n      graph_depth: 2\n"
            )
    elif choice == "tags":
        text = (
            text.replace("  - tags\n", "")
            if "  - tags\n" in text
            else text.replace("  - search\n", "  - search\n  - tags\n")
        )
    elif "feed_entries: 3" in text:
        text = text.replace("      feed_entries: 3\n", "")
    else:
        text = text.replace(
            "      notes_dir: notes\n", "      notes_dir: notes\n      feed_entries: 3\n"
        )
    path.write_text(text, "utf-8")
    return f"mkdocs.yml: {choice}"


def theme_override(root: Path, rng: random.Random) -> str:
    path = root / "overrides" / "main.html"
    path.write_text(
        THEME_OVERRIDE.replace("Differential test", f"Differential test {rng.randint(1, 99)}"),
        "utf-8",
    )
    return "theme override"


def break_note(root: Path, rng: random.Random) -> str:
    note = _a_note(root, rng)
    broken = note.with_name(f"broken-{note.name}")
    note.rename(broken)
    broken.write_text(broken.read_text("utf-8") + "\nstatus: [unclosed\n  : :\n", "utf-8")
    return f"broke {note.stem}"


def repair_note(root: Path, rng: random.Random) -> str:
    for broken in sorted((root / "notes" / "papers").glob("broken-*.yaml")):
        text = broken.read_text("utf-8")
        fixed = broken.with_name(broken.name.removeprefix("broken-"))
        fixed.write_text(text.replace("\nstatus: [unclosed\n  : :\n", ""), "utf-8")
        broken.unlink()
        return f"repaired {fixed.stem}"
    return "nothing to repair"


EDITS: dict[str, Edit] = {
    "note field": note_field,
    "cites": cites,
    "new note": new_note,
    "deleted note": delete_note,
    "renamed note": rename_note,
    "topics": topics,
    "glossary": glossary,
    "readers": readers,
    "reading session": reading_session,
    "meeting": meeting,
    ".bib entry with LaTeX": bibtex,
    "code": code,
    "hand-written page": hand_written_page,
    "template override": template_override,
    "plugin option": plugin_option,
    "theme override": theme_override,
    "broken note": break_note,
}


def sequence(seed: int, length: int) -> list[str]:
    """Edit names for one run: every kind once (shuffled) before any repeats, and each
    broken note repaired one to three edits later."""
    rng = random.Random(seed)
    kinds: list[str] = []
    while len(kinds) < length:
        batch = list(EDITS)
        rng.shuffle(batch)
        kinds.extend(batch)
    kinds = kinds[:length]
    out: list[str] = []
    pending: list[int] = []
    for kind in kinds:
        out.append(kind)
        if kind == "broken note":
            pending.append(len(out) + rng.randint(0, 2))
        while pending and len(out) >= pending[0]:
            pending.pop(0)
            out.append("repair")
    out.extend("repair" for _ in pending)
    return out


def apply(name: str, root: Path, seed: int, step: int) -> str:
    """Apply edit `name` (or 'repair') to the site at `root`, with a generator for this step."""
    rng = random.Random(f"{seed}:{step}")
    edit = repair_note if name == "repair" else EDITS[name]
    return edit(root, rng)
