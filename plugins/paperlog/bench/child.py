"""One measured build, run in its own process so memory and caches start clean.

    python -m paperlog.bench.child build SITE_DIR
    python -m paperlog.bench.child rebuild SITE_DIR NOTE_FILE

Prints one JSON object: build seconds, peak memory, and the seconds spent in
paperlog's own hooks split by phase (load, link, render, other hooks).
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path


def _instrument() -> dict[str, float]:
    """Time every `on_*` hook of the paperlog plugin, whatever hooks it grows."""
    from paperlog.mkdocs.plugin import PaperlogPlugin

    spent: dict[str, float] = defaultdict(float)
    for name in [n for n in dir(PaperlogPlugin) if n.startswith("on_")]:
        original = getattr(PaperlogPlugin, name)

        def timed(self, *args, __original=original, __name=name, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return __original(self, *args, **kwargs)
            finally:
                spent[__name] += time.perf_counter() - start

        setattr(PaperlogPlugin, name, timed)
    return spent


def _build(site: Path) -> tuple[float, dict[str, float]]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(site / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    start = time.perf_counter()
    build(config)
    elapsed = time.perf_counter() - start
    phases: dict[str, float] = {}
    plugin = config.plugins.get("paperlog")
    if plugin is not None:
        phases = dict(getattr(plugin, "timings", {}))
    config.plugins.on_shutdown()
    return elapsed, phases


def main(argv: list[str]) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    mode, site = argv[0], Path(argv[1])
    spent = _instrument()
    elapsed, phases = _build(site)
    result: dict[str, object] = {"build_s": elapsed}
    if mode == "rebuild":
        note = Path(argv[2])
        note.write_text(note.read_text("utf-8").replace('"title": "', '"title": "Revised: ', 1), "utf-8")
        spent.clear()
        elapsed, phases = _build(site)
        result["rebuild_s"] = elapsed
    hooks = sum(spent.values())
    phase_total = sum(phases.values())
    result["paperlog"] = {**phases, "other_hooks": max(hooks - phase_total, 0.0), "total": hooks}
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
