"""Check every internal link, asset reference and #anchor of a built site, offline.

A site is checked as it will be served: at the path of its site_url (GitHub
Pages serves a project site under /<repo>/), so a root-absolute link that
forgets that prefix is broken, and an absolute URL on the site's own host
(canonical links, sitemap entries) must name a page that exists.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

# Attributes that reference another resource, per element.
REFERENCES = {
    "a": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "object": ("data",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
    "form": ("action",),
}
# Schemes that are not a place on this site.
FOREIGN_SCHEMES = {"mailto", "tel", "data"}


@dataclass(frozen=True)
class Problem:
    page: str
    attribute: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page or '/'}: {self.attribute}={self.value!r}: {self.reason}"


class SiteLinks:
    """The files of a built site and the ids on each of its HTML pages."""

    def __init__(self, site_dir: Path, site_url: str = "") -> None:
        self.site_dir = site_dir
        split = urlsplit(site_url)
        self.host = split.netloc
        self.prefix = split.path if split.path.endswith("/") else split.path + "/"

    @cache  # noqa: B019 - one SiteLinks per built site, kept for the session
    def ids(self, rel_file: str) -> frozenset[str]:
        doc = BeautifulSoup((self.site_dir / rel_file).read_text("utf-8"), "lxml")
        found = {tag["id"] for tag in doc.find_all(id=True)}
        found |= {tag["name"] for tag in doc.find_all("a", attrs={"name": True})}
        return frozenset(found)

    def file_for(self, site_path: str) -> str | None:
        """The file that serves a site path ('' is the home page), or None."""
        path = self.site_dir / site_path
        if site_path == "" or site_path.endswith("/"):
            index = path / "index.html"
            return (index.relative_to(self.site_dir)).as_posix() if index.is_file() else None
        if path.is_file():
            return site_path
        # A directory without its trailing slash is not accepted: it only works
        # where the server redirects, and relative links inside it then break.
        return None

    def pages(self) -> list[str]:
        return sorted(
            p.relative_to(self.site_dir).as_posix() for p in self.site_dir.rglob("*.html")
        )

    def check_all(self) -> list[Problem]:
        problems: list[Problem] = []
        for rel_file in self.pages():
            problems.extend(self.check_page(rel_file))
        return problems

    def check_page(self, rel_file: str) -> Iterator[Problem]:
        page_path = rel_file[: -len("index.html")] if rel_file.endswith("index.html") else rel_file
        doc = BeautifulSoup((self.site_dir / rel_file).read_text("utf-8"), "lxml")
        for tag in doc.find_all(list(REFERENCES)):
            for attribute in REFERENCES[tag.name]:
                value = tag.get(attribute)
                if not value:
                    continue
                urls = (
                    [part.strip().split()[0] for part in value.split(",") if part.strip()]
                    if attribute == "srcset"
                    else [value]
                )
                for url in urls:
                    reason = self.check_url(page_path, rel_file, url)
                    if reason:
                        yield Problem(page_path, f"<{tag.name} {attribute}>", url, reason)

    def check_url(self, page_path: str, rel_file: str, url: str) -> str | None:
        """Why `url` on the page is broken, or None when it resolves."""
        split = urlsplit(url)
        if split.scheme in FOREIGN_SCHEMES:
            return None
        if split.scheme == "javascript":
            return "javascript: URL"
        if split.scheme or split.netloc:
            if split.netloc != self.host or not self.host:
                return None  # another site: not ours to check offline
            if not split.path.startswith(self.prefix):
                return f"absolute URL outside the site's path {self.prefix}"
            base, path = "", split.path[len(self.prefix) :]
        elif split.path.startswith("/"):
            if not split.path.startswith(self.prefix):
                return f"root-absolute path outside the site's path {self.prefix}"
            base, path = "", split.path[len(self.prefix) :]
        else:
            base = (
                page_path.rstrip("/") if page_path.endswith("/") else posixpath.dirname(page_path)
            )
            path = split.path
        if not path and not (split.scheme or split.netloc or split.path):
            target = page_path  # '#anchor' or '?query' alone: this page
        else:
            joined = posixpath.normpath(posixpath.join(base, unquote(path)))
            if joined == ".." or joined.startswith("../"):
                return "goes above the site's root"
            is_dir = path.endswith("/") or path.rsplit("/", 1)[-1] in (".", "..")
            target = "" if joined == "." else joined + ("/" if is_dir else "")
        target_file = self.file_for(target)
        if target_file is None:
            return f"no file at {target or '/'}"
        if split.fragment and target_file.endswith(".html"):
            fragment = unquote(split.fragment)
            if fragment not in self.ids(target_file):
                return f"no id '{fragment}' on {target or '/'}"
        return None
