"""Find a site's mkdocs.yml and read paperlog's options from it, without MkDocs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import yaml

from ..settings import Settings

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")


class _PermissiveLoader(yaml.SafeLoader):
    """Reads mkdocs.yml files that use tags such as !!python/name or !ENV."""


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_PermissiveLoader.add_multi_constructor("", _unknown_tag)


def find_config(start: Path, explicit: str | None = None) -> Path | None:
    if explicit:
        return Path(explicit)
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """paperlog's options from a parsed mkdocs.yml (empty when it is listed bare)."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for item in plugins:
        if item == "paperlog":
            return {}
        if isinstance(item, dict) and "paperlog" in item:
            return dict(item["paperlog"] or {})
    return {}


def read_config(config_file: str | None) -> tuple[Path | None, dict[str, Any]]:
    """The site's mkdocs.yml (found from the current folder up) and its content."""
    path = find_config(Path.cwd(), config_file)
    if path is None:
        return None, {}
    try:
        config = yaml.load(path.read_text("utf-8"), Loader=_PermissiveLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise click.ClickException(f"cannot read {path}: {exc}") from None
    if not isinstance(config, dict):
        raise click.ClickException(f"{path} is not a MkDocs configuration (not a mapping)")
    return path, config


def load_settings(config_file: str | None, notes_dir: str | None = None) -> Settings:
    """Settings for the site around the current folder (or a given config file)."""
    path, config = read_config(config_file)
    if path is None:
        root = Path.cwd()
        return Settings.for_root(root, notes_dir=notes_dir or "notes")
    options = plugin_options(config)
    known = ("notes_dir", "bibliography", "code_dirs", "arxiv_cache")
    kwargs = {k: options[k] for k in known if k in options}
    if notes_dir:
        kwargs["notes_dir"] = notes_dir
    extra = {
        k: options[k]
        for k in ("papers_in_nav", "tolerance", "citation_style", "allow_html", "graph_depth")
        if k in options
    }
    return Settings.for_root(
        path.parent, site_url=str(config.get("site_url") or ""), **kwargs, **extra
    )
