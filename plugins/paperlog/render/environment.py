"""The Jinja environment that renders generated pages, with escaping filters.

Pages are Markdown with HTML blocks. Autoescaping is on, so every `{{ value }}`
is HTML-escaped; the filters below cover the other contexts: Markdown inline
text (`md_text`), inline code (`md_code`), a note's own Markdown (`markdown`),
URLs (`safe_url`), YAML/JSON front matter (`json`; render.frontmatter escapes
the values a theme prints as HTML).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..compat import DirectCallContext, EscapingTemplate
from ..export import paper_bibtex
from ..markdown.math import INLINE_DOLLAR, INLINE_PAREN
from ..model import MONTH_NAMES, PASS_LABELS, STATUS_LABELS, STATUSES
from . import codeviews, fragments, graphview, helpers, team
from .fragments import FragmentCache
from .jsontext import to_json

# Characters Python-Markdown (with tables and our math) lets a backslash escape.
_MD_SPECIAL = re.compile(r"([\\`*_{}#+\-.!|$<>&])")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
# What Markdown would read as raw HTML: a tag, a comment, a declaration or a
# processing instruction starts with '<' and one of these. An autolink to a
# web page (<https://...>) is Markdown, not HTML, and stays a link.
_HTML_START = re.compile(r"<(?![Hh][Tt][Tt][Pp][Ss]?://[^<>\s\"']*>)(?=[A-Za-z/!?])")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# Left as they are: code spans (Markdown shows them literally) and math
# (a formula's '<' and '{' are LaTeX; paperlog.markdown.math sanitises it).
_VERBATIM = re.compile(
    rf"(`+)(.+?)(?<!`)\1(?!`)|\$\$.+?\$\$|\\\[.+?\\\]|{INLINE_DOLLAR}|{INLINE_PAREN}", re.S
)
_MATH = re.compile(r"(?<![\\$])\$(?![\s$])(?:\\.|[^\\$\n])+?(?<!\s)\$(?![0-9$])")


# md_text in one pass for text without a backslash (most text): the same as its
# sequence of substitutions, which only interact around an escaped backslash.
_MD_TEXT_TABLE = str.maketrans(
    {
        **{c: "\\" + c for c in "`*_{}#+-.!|$"},
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "[": "&#91;",
        "]": "&#93;",
        '"': "&quot;",
    }
)


def md_text(value: Any) -> Markup:
    """Plain text made safe for Markdown inline context: nothing is markup."""
    text = " ".join(str(value or "").split())
    if "\\" not in text:
        return Markup(text.translate(_MD_TEXT_TABLE))
    text = _MD_SPECIAL.sub(r"\\\1", text).replace("[", "&#91;").replace("]", "&#93;")
    # Backslash escapes do not stop HTML; escape what Markdown would pass through.
    return Markup(
        text.replace("\\<", "&lt;")
        .replace("\\>", "&gt;")
        .replace("\\&", "&amp;")
        .replace('"', "&quot;")
    )


def _memoised(filter_: Callable[[Any], Markup]) -> Callable[[Any], Markup]:
    """A text filter that escapes each distinct string once per environment (a build, or
    the builds of `mkdocs serve` while the templates stay the same): listings show the
    same titles, names and topics on many pages."""
    memo: dict[str, Markup] = {}

    def cached(value: Any) -> Markup:
        if type(value) is not str:
            return filter_(value)
        found = memo.get(value)
        if found is None:
            found = memo[value] = filter_(value)
        return found

    cached.__doc__ = filter_.__doc__
    return cached


def md_code(value: Any) -> Markup:
    """Text as an inline code span that no backtick in it can close."""
    text = " ".join(str(value or "").split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    # Markdown escapes the span's content itself (tables skip '|' in code spans).
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


def _neutral(prose: str) -> str:
    # '{' would start an attribute list (attr_list sets any attribute); as a
    # character reference it shows the same and starts nothing.
    return _HTML_START.sub("&lt;", prose).replace("{", "&#123;")


def escape_raw_html(text: str) -> str:
    """Markdown in which nothing sets HTML: tags, comments and attribute lists show as text.

    Code spans, fenced code blocks and math are left alone: Markdown shows
    code literally already (an escape there would show as '&lt;'), and math
    is converted to sanitised MathML.
    """
    out: list[str] = []
    fence = ""
    prose: list[str] = []

    def flush() -> None:
        chunk = "".join(prose)
        pos = 0
        for span in _VERBATIM.finditer(chunk):
            out.append(_neutral(chunk[pos : span.start()]))
            out.append(span.group(0))
            pos = span.end()
        out.append(_neutral(chunk[pos:]))
        prose.clear()

    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence:
            out.append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
        elif match:
            flush()
            fence = match.group(1)
            out.append(line)
        else:
            prose.append(line)
    flush()
    return "".join(out)


def make_markdown_filter(allow_html: bool):
    def markdown(value: Any) -> Markup:
        """A note's Markdown, passed through for MkDocs to render.

        Script URLs in Markdown links are removed when the page is rendered
        (paperlog.markdown.safety); with `allow_html: false` raw HTML is text.
        """
        text = str(value or "").replace("\r\n", "\n").strip("\n")
        if not allow_html:
            text = escape_raw_html(text)
        return Markup(text)

    return markdown


_ATTR_SPECIAL = re.compile(r"[!-+:-@\[-`{-~]")


def html_attr(value: Any) -> Markup:
    """Text for an HTML attribute inside a block Markdown reads (`markdown="span"`).

    Markdown's inline patterns run before raw HTML is set aside, so a `[x](y)`
    or `*` inside an attribute would become markup there, quotes and all.
    Every ASCII punctuation character but `-./,` becomes a character
    reference: the browser reads the same text, Markdown sees none of it.
    """
    text = " ".join(str(value or "").split())
    return Markup(_ATTR_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", text))


def safe_url(value: Any) -> str:
    """The URL when its scheme may be linked (http, https, mailto), else ''."""
    url = str(value or "").strip()
    if url.lower().startswith(_SAFE_SCHEMES) and not any(c in url for c in "\n\r\t "):
        return url
    return ""


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
    """Plain text for a single-line, quoted Markdown construct (an admonition title).

    Like `md_text` (the title is Markdown too), with straight double quotes
    turned into typographic ones so the text cannot end the quoted title.
    """
    text = " ".join(str(value or "").split()).replace('"', "\u201d")
    return md_text(text)


def stars(value: int | None) -> str:
    if value is None:
        return ""
    return "\u2605" * value + "\u2606" * (5 - value)


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept on disk between builds and processes.

    Compiling some 40 templates costs each build about half a second. Jinja checks
    each template's source checksum before reusing its code, so an edited template
    is compiled again. The code is kept in Jinja's per-user cache folder (private to
    the user, in the system's temporary folder), under a key that also covers what
    else shapes the compiled code: Jinja's version and the source of this module and
    of the `{% cached %}` tag (the environment's options and extensions).
    """

    def __init__(self) -> None:
        super().__init__(pattern="__paperlog_%s.cache")
        digest = hashlib.sha1(jinja2.__version__.encode())
        for module in (__file__, fragments.__file__):
            digest.update(Path(module).read_bytes())
        self._salt = digest.hexdigest()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self._salt}|{name}", filename)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # an unreadable or truncated file: compile again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # A full or read-only disk: the template is compiled again next time.
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates() -> jinja2.BytecodeCache | None:
    """The on-disk cache of compiled templates, or None without a private folder to keep it."""
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):
        return None


def make_environment(template_dirs: list[Path], allow_html: bool = True) -> jinja2.Environment:
    """A Jinja environment: the user's override folders first, then the package's."""
    loaders: list[jinja2.BaseLoader] = (
        [jinja2.FileSystemLoader([str(d) for d in template_dirs])] if template_dirs else []
    )
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
        bytecode_cache=compiled_templates(),
        extensions=[FragmentCache],
    )
    env.context_class = DirectCallContext
    env.template_class = EscapingTemplate
    env.filters.update(
        md_text=_memoised(md_text),
        md_code=md_code,
        html_attr=html_attr,
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
        local_graph_svg=graphview.local_graph_svg,
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
