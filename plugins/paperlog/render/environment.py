"""The Jinja environment that renders generated pages, with escaping filters.

Pages are Markdown with HTML blocks. Autoescaping is on, so every `{{ value }}`
is HTML-escaped; the filters below cover the other contexts: Markdown inline
text (`md_text`), a note's own Markdown (`markdown`), URLs (`safe_url`),
YAML/JSON front matter (`json`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..export import paper_bibtex
from ..model import MONTH_NAMES, PASS_LABELS, STATUS_LABELS, STATUSES
from . import codeviews, graphview, helpers, team

# Characters Python-Markdown (with tables and our math) lets a backslash escape.
_MD_SPECIAL = re.compile(r"([\\`*_{}#+\-.!|$<>&])")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_MATH = re.compile(r"(?<![\\$])\$(?![\s$])(?:\\.|[^\\$\n])+?(?<!\s)\$(?![0-9$])")
_RAW_HTML = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.S)


def md_text(value: Any) -> Markup:
    """Plain text made safe for Markdown inline context: nothing is markup."""
    text = " ".join(str(value or "").split())
    text = _MD_SPECIAL.sub(r"\\\1", text).replace("[", "&#91;").replace("]", "&#93;")
    # Backslash escapes do not stop HTML; escape what Markdown would pass through.
    return Markup(text.replace("\\<", "&lt;").replace("\\>", "&gt;").replace("\\&", "&amp;").replace('"', "&quot;"))


def make_markdown_filter(allow_html: bool):  # type: ignore[no-untyped-def]
    def markdown(value: Any) -> Markup:
        """A note's Markdown, passed through for MkDocs to render."""
        text = str(value or "").replace("\r\n", "\n").strip("\n")
        if not allow_html:
            text = _RAW_HTML.sub(lambda m: str(escape(m.group(0))), text)
        return Markup(text)

    return markdown


def safe_url(value: Any) -> str:
    """The URL when its scheme may be linked (http, https, mailto), else ''."""
    url = str(value or "").strip()
    if url.lower().startswith(_SAFE_SCHEMES) and not any(c in url for c in "\n\r\t "):
        return url
    return ""


def to_json(value: Any) -> Markup:
    """JSON safe to embed in HTML, in a single-quoted attribute and in YAML front matter
    (no '<', '>', '&' or "'")."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return Markup(text)


def md_math_text(value: Any) -> Markup:
    """Like md_text, but `$...$` stays math for the Markdown math extension (BibTeX titles)."""
    text = " ".join(str(value or "").split())
    out, pos = [], 0
    for m in _MATH.finditer(text):
        before = text[pos : m.start()]
        # md_text trims; keep the spaces that separate the text from the formula.
        out.append(str(md_text(before)) + (" " if before.endswith(" ") else ""))
        math = m.group(0)
        # Math is stashed whole by the math extension; only keep it from closing an HTML tag.
        out.append(math.replace("<", "\\lt ").replace(">", "\\gt ").replace("&", "\\&"))
        pos = m.end()
    rest = text[pos:]
    out.append((" " if rest.startswith(" ") and pos else "") + str(md_text(rest)))
    return Markup("".join(out))


def one_line(value: Any) -> Markup:
    """Text for a single-line Markdown construct (an admonition title): no quotes or breaks."""
    text = " ".join(str(value or "").split()).replace('"', "\u201d")
    return Markup(text)


def stars(value: int | None) -> str:
    if value is None:
        return ""
    return "\u2605" * value + "\u2606" * (5 - value)


def make_environment(template_dirs: list[Path], allow_html: bool = True) -> jinja2.Environment:
    """A Jinja environment: the user's override folders first, then the package's."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(d) for d in template_dirs])] if template_dirs else []
    loaders.append(jinja2.PackageLoader("paperlog", "render/templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change during a build; without this every
        # {% include %} stats the template file again.
        auto_reload=False,
    )
    env.filters.update(
        md_text=md_text,
        md_math_text=md_math_text,
        markdown=make_markdown_filter(allow_html),
        safe_url=safe_url,
        json=to_json,
        one_line=one_line,
        stars=stars,
        duration=helpers.duration,
        rounded_hours=helpers.rounded_hours,
    )
    env.tests["reproduced"] = codeviews.has_reproduced
    env.globals.update(
        STATUSES=STATUSES,
        STATUS_LABELS=STATUS_LABELS,
        PASS_LABELS=PASS_LABELS,
        MONTH_NAMES=MONTH_NAMES,
        status_counts=helpers.status_counts,
        done=helpers.done,
        short_authors=helpers.short_authors,
        code_fence=helpers.code_fence,
        paper_bibtex=paper_bibtex,
        fence=codeviews.fence,
        repo_label=codeviews.repo_label,
        reproduction=codeviews.reproduction,
        local_graph_view=graphview.local_graph_view,
        reader_name=team.reader_name,
        paper_sessions=team.paper_sessions,
        session_when=team.session_when,
        session_title=team.session_title,
        long_date=team.long_date,
        date_text=team.date_text,
        is_upcoming=team.is_upcoming,
        initials=team.initials,
        hours=team.hours,
    )
    return env
