"""Build the repository's demo site (and variants of it) once, in a temporary folder.

The demo is copied out of the repository so a test run writes nothing next to
the user's files (site/, caches). Variants are child configurations that
`INHERIT` the demo's mkdocs.yml and override a few keys, so they stay true to
the demo whatever it configures.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import yaml

# A GitHub Pages project site: https://<user>.github.io/<repository>/.
SUBPATH_SITE_URL = "https://user.github.io/repo/"
SUBPATH_PREFIX = "/repo/"

# What makes up the demo site: its configuration, the notes and the hand-written pages.
DEMO_PARTS = ("mkdocs.yml", "notes", "docs")
# Folders a demo may also use (theme overrides); copied when present.
OPTIONAL_PARTS = ("overrides",)


class BuildFailed(Exception):
    """A strict build of a site did not pass; the message lists what MkDocs said."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml keeping plain values; tags such as !ENV or !!python/name become None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def copy_demo(repo: Path, dest: Path) -> Path:
    """Copy the demo's parts from `repo` into `dest`; missing required parts are an error."""
    missing = [part for part in DEMO_PARTS if not (repo / part).exists()]
    if missing:
        raise BuildFailed(f"the demo site in {repo} is incomplete: missing {', '.join(missing)}")
    dest.mkdir(parents=True, exist_ok=True)
    for part in (*DEMO_PARTS, *OPTIONAL_PARTS):
        src = repo / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


def read_config(root: Path) -> dict[str, Any]:
    """The demo's mkdocs.yml as plain data (tagged values read as None)."""
    data = yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=_TolerantLoader)
    if not isinstance(data, dict):
        raise BuildFailed(f"{root / 'mkdocs.yml'} is not a mapping")
    return data


def write_variant(root: Path, name: str, overrides: dict[str, Any]) -> Path:
    """Write mkdocs.<name>.yml that inherits the demo's mkdocs.yml with `overrides` merged in."""
    path = root / f"mkdocs.{name}.yml"
    child = {"INHERIT": "mkdocs.yml", **overrides}
    path.write_text(yaml.safe_dump(child, sort_keys=False), "utf-8")
    return path


def build(config_file: Path, site_dir: Path) -> list[str]:
    """`mkdocs build --strict` of `config_file` into `site_dir`, in this process.

    Returns the INFO-level messages; raises BuildFailed with every warning when
    the strict build fails.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        config = load_config(str(config_file), strict=True, site_dir=str(site_dir))
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError, OSError, yaml.YAMLError) as exc:
        said = [r.getMessage() for r in handler.records if r.levelno >= logging.WARNING]
        raise BuildFailed(
            f"`mkdocs build --strict` of {config_file.name} failed: {exc}\n" + "\n".join(said)
        ) from exc
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return [r.getMessage() for r in handler.records]
