"""The core (load, link, render) runs without MkDocs: the layering rule of ARCHITECTURE.md."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import paperlog

PACKAGE = Path(paperlog.__file__).parent
CORE = ("load", "link", "render", "build.py", "model.py", "diagnostics.py", "settings.py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_modules_import_no_mkdocs_statically() -> None:
    offenders = []
    for part in CORE:
        for path in (
            sorted((PACKAGE / part).rglob("*.py"))
            if (PACKAGE / part).is_dir()
            else [PACKAGE / part]
        ):
            for name in _imports(path):
                if name.split(".")[0] in ("mkdocs", "properdocs"):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_core_runs_with_mkdocs_unimportable(tmp_path: Path) -> None:
    """Load, link and render a site in a process where `import mkdocs` fails."""
    notes = tmp_path / "notes" / "papers"
    notes.mkdir(parents=True)
    (notes / "a.yaml").write_text("title: A paper\nstatus: skimmed\ntopics: [t]\n", "utf-8")
    script = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('mkdocs', 'properdocs'):
            raise ImportError('mkdocs is blocked in this test')
sys.meta_path.insert(0, Block())
from pathlib import Path
from paperlog.build import SiteOptions, build_site
from paperlog.diagnostics import Diagnostics
from paperlog.settings import Settings
settings = Settings.for_root(Path({str(tmp_path)!r}))
built = build_site(settings, SiteOptions(), Diagnostics())
print(sorted(f.path for f in built.outputs if f.is_page))
assert 'mkdocs' not in sys.modules
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "'papers/a.md'" in result.stdout and "'topics/t.md'" in result.stdout
