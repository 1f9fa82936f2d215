"""One measured build, run in its own process so memory and caches start clean.

    python -m paperlog.bench.child build SITE_DIR [--profile FILE]
    python -m paperlog.bench.child rebuild SITE_DIR NOTE_FILE [--dirty] [--repeat N] [--profile FILE]

`build` is one `mkdocs build`. `rebuild` is what `mkdocs serve` does: a first
build, then one note changes and the site is built again in the same process
(a fresh configuration, the plugin's caches kept); only the builds after the
first are reported: N of them (5 by default), each after a new title for the
note, as a user saving edits, and their medians are printed; with --dirty, as
`mkdocs serve --dirty` does (pages reported unchanged are not converted or
written again). Between builds, the collection that `mkdocs serve` runs once
idle after a build (paperlog.mkdocs.memory) runs at once, outside the timings,
as in the pause before a user's next save.

Prints one JSON object: build seconds (wall and CPU, paperlog's render child
included), peak memory (the larger of this process and that child; in a
rebuild, also after the first build), and paperlog's own seconds split by
phase: load, link, render (the plugin's `timings`), the rest of its hooks
(and, in a rebuild, handing back the kept conversions of unchanged pages), and
its Markdown extensions (glossary links, math), which run inside MkDocs' page
rendering. With --profile, the measured build runs under cProfile and the
statistics are written to FILE.
"""

from __future__ import annotations

import cProfile
import importlib
import json
import logging
import os
import pkgutil
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import yaml

Spent = dict[str, float]


def _wrap(owner: Any, name: str, spent: Spent, label: str) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    setattr(owner, name, timed)


def _instrument() -> Spent:
    """Time every `on_*` hook of the plugin and every Markdown processor paperlog ships."""
    import markdown

    import paperlog.markdown
    from paperlog.mkdocs.conversions import PageConversions
    from paperlog.mkdocs.plugin import PaperlogPlugin

    spent: Spent = defaultdict(float)
    for name in [n for n in dir(PaperlogPlugin) if n.startswith("on_")]:
        _wrap(PaperlogPlugin, name, spent, "hook:" + name)
    # Under `mkdocs serve`, paperlog hands MkDocs a kept conversion of each unchanged
    # generated page: that is paperlog's time, the conversions it lets MkDocs make are not.
    _wrap(PageConversions, "_render", spent, "hook:page conversions")
    _wrap(PageConversions, "_convert", spent, "mkdocs:conversions")
    # Where MkDocs spends the rest, for comparing a build with the plain baseline:
    # converting each page's Markdown (plugins' page hooks included) and writing it.
    from mkdocs.commands import build

    _wrap(build, "_populate_page", spent, "mkdocs:markdown")
    _wrap(build, "_build_page", spent, "mkdocs:template")
    bases = (
        markdown.treeprocessors.Treeprocessor,
        markdown.inlinepatterns.InlineProcessor,
        markdown.blockprocessors.BlockProcessor,
        markdown.preprocessors.Preprocessor,
        markdown.postprocessors.Postprocessor,
    )
    for info in pkgutil.iter_modules(paperlog.markdown.__path__, "paperlog.markdown."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if (
                isinstance(cls, type)
                and issubclass(cls, bases)
                and cls.__module__ == module.__name__
            ):
                for method in ("run", "handleMatch", "test"):
                    if method in vars(cls):
                        _wrap(cls, method, spent, f"markdown:{info.name.rsplit('.', 1)[1]}")
    return spent


def _build(
    site: Path,
    command: Literal["build", "serve"] | None,
    *,
    shutdown: bool = True,
    profile: cProfile.Profile | None = None,
    dirty: bool = False,
) -> tuple[float, float, dict[str, float], dict[str, int]]:
    """One build; `command` starts the plugins up first (as the first build of a command does)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(site / "mkdocs.yml"))
    if command is not None:
        config.plugins.on_startup(command=command, dirty=dirty)
    start, cpu = time.perf_counter(), _cpu_seconds()
    if profile is not None:
        profile.enable()
    build(config, dirty=dirty)
    if profile is not None:
        profile.disable()
    elapsed, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    phases: dict[str, float] = {}
    counts: dict[str, int] = {}
    plugin = config.plugins.get("paperlog")
    if plugin is not None:
        phases = dict(getattr(plugin, "timings", {}))
        counts = dict(getattr(plugin, "render_counts", {}))
    if shutdown:
        config.plugins.on_shutdown()
    return elapsed, cpu, phases, counts


def _cpu_seconds() -> float:
    """CPU time of this process and of the processes it waited for: the render child
    of a parallel build (paperlog.render.parallel) counts too."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )


def _peak_mib() -> float:
    """The largest resident size of this process or of any process it waited for."""
    return (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )


def split(spent: Spent, phases: dict[str, float]) -> dict[str, float]:
    """paperlog's own seconds: load, link, render, hooks (the rest of its hooks plus its
    Markdown extensions), and the total."""
    hook_total = sum(v for k, v in spent.items() if k.startswith("hook:"))
    hook_total -= spent.get("mkdocs:conversions", 0.0)
    markdown_total = sum(v for k, v in spent.items() if k.startswith("markdown:"))
    phase_total = sum(phases.values())
    other = max(hook_total - phase_total, 0.0)
    detail = {k: round(v, 4) for k, v in sorted(spent.items())}
    return {
        **phases,
        "hooks": other + markdown_total,
        "other_hooks": other,
        "markdown": markdown_total,
        "total": phase_total + other + markdown_total,
        "detail": detail,  # type: ignore[dict-item]
    }


def _medians(splits: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's median over several rebuilds (the details' too)."""
    keys = [k for k in splits[0] if k != "detail"]
    out: dict[str, Any] = {k: statistics.median(s[k] for s in splits) for k in keys}
    details = [s["detail"] for s in splits]
    out["detail"] = {
        k: round(statistics.median(d.get(k, 0.0) for d in details), 4) for k in details[0]
    }
    return out


def main(argv: list[str]) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    args = list(argv)
    profile_path = None
    if "--profile" in args:
        at = args.index("--profile")
        profile_path = Path(args[at + 1])
        del args[at : at + 2]
    dirty = "--dirty" in args
    if dirty:
        args.remove("--dirty")
    mode, site = args[0], Path(args[1])
    profile = cProfile.Profile() if profile_path else None
    spent = _instrument()
    result: dict[str, object] = {}
    repeat = 5
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = max(1, int(args[at + 1]))
        del args[at : at + 2]
    if mode == "rebuild":
        # As `mkdocs serve`: plugins start once, every rebuild loads the configuration again.
        from paperlog.mkdocs.memory import IDLE_COLLECTION

        _build(site, "serve", shutdown=False, dirty=dirty)
        # The collection `mkdocs serve` runs once idle after a build: here at once,
        # outside the timings, as in the pause before the user's next save.
        IDLE_COLLECTION.run_now()
        result["first_peak_mib"] = _peak_mib()
        note = Path(args[2])
        original = note.read_text("utf-8")
        data = yaml.safe_load(original)
        title = data["title"]
        rebuilds: list[tuple[float, float, dict[str, Any]]] = []
        try:
            for i in range(1, repeat + 1):
                data["title"] = f"Revised {i}: {title}"
                note.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
                spent.clear()
                elapsed, cpu, phases, counts = _build(
                    site,
                    None,
                    shutdown=i == repeat,
                    profile=profile if i == 1 else None,
                    dirty=dirty,
                )
                rebuilds.append((elapsed, cpu, split(spent, phases)))
                IDLE_COLLECTION.run_now()
        finally:
            note.write_text(original, "utf-8")
        result["rebuild_s"] = statistics.median(r[0] for r in rebuilds)
        result["rebuild_cpu_s"] = statistics.median(r[1] for r in rebuilds)
        result["rebuild_runs_s"] = [r[2]["total"] for r in rebuilds]
        result["pages"] = counts
        result["paperlog"] = _medians([r[2] for r in rebuilds])
    else:
        elapsed, cpu, phases, _ = _build(site, "build", profile=profile)
        result["build_s"], result["build_cpu_s"] = elapsed, cpu
        result["paperlog"] = split(spent, phases)
    result["peak_mib"] = _peak_mib()
    if profile is not None and profile_path is not None:
        profile.dump_stats(str(profile_path))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
