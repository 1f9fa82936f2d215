"""Hostile strings and the checks that prove none of them became markup.

Every payload that would create an element or attribute if it were read as
HTML carries the marker `pwn` in a tag or attribute name (`<b data-pwn>`,
`onerror=pwn()`), so a check can tell an element that came from the data
from the ones the theme and templates write. Parsing is done with html5lib,
which follows the WHATWG algorithm browsers use (e.g. inside <title>).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from bs4 import BeautifulSoup

MARK = "pwn"

HOSTILE: tuple[str, ...] = (
    # Markup in text
    "<script data-pwn>alert('pwn')</script>",
    "<img src=x onerror=pwn() data-pwn>",
    "<svg data-pwn onload=pwn()><circle r=1 /></svg>",
    "<iframe data-pwn src=javascript:pwn()></iframe>",
    "<math data-pwn><mi xlink:href=javascript:pwn()>x</mi></math>",
    "<style data-pwn>body{display:none}</style>",
    "<div\ndata-pwn\nonclick=pwn()>HTML split over lines</div>",
    '<a data-pwn href="javascript:pwn()">raw link</a>',
    "<img src=x onerror=pwn() data-pwn",
    "<!-- an unterminated comment hides the rest",
    "<![CDATA[ <b data-pwn>cdata</b> ]]>",
    "<?php echo 'pwn'; ?>",
    "</textarea></title></noscript><b data-pwn>closing tags</b>",
    # Quote breaking in attributes and scripts
    '"><b data-pwn onmouseover=pwn()>double</b>',
    "'><b data-pwn onmouseover=pwn()>single</b>",
    '" data-pwn="1" onfocus="pwn()',
    "</script><script data-pwn>pwn()</script>",
    '\\"; pwn(); //',
    "]]><b data-pwn>cdata end</b>",
    "&lt;b data-pwn&gt;pre-escaped&lt;/b&gt;",
    # URLs
    "javascript:pwn()",
    " JaVaScRiPt:pwn()",
    "java\tscript:pwn()",
    "javascript&#58;pwn()",
    "data:text/html,<b data-pwn>x</b>",
    "vbscript:pwn()",
    'https://example.org/"onmouseover="pwn()',
    # Markdown injection
    "[md link](javascript:pwn())",
    "[md link](<javascript:pwn()>)",
    "[md link](javascript&#58;pwn())",
    "![md image](javascript:pwn())",
    "[ref link][r]\n\n[r]: javascript:pwn()",
    '*attr list*{ data-pwn onclick="pwn()" }',
    '[x](https://example.org){ href="javascript:pwn()" data-pwn }',
    "`code` with a ``` fence and <b data-pwn>",
    "| table | break |\n|---|---|\n| <b data-pwn> | x |",
    '# heading\n\n!!! danger "<b data-pwn>admonition</b>"\n\n    body',
    "$\\href{javascript:pwn()}{math link}$ $\\text{<b data-pwn>math text</b>}$",
    # Template syntax: must show as text, never be evaluated
    "{{ 7 * 191 }} {{ lib.__class__ }}",
    "{% for x in range(3) %}loop{% endfor %} {# comment #}",
    "{% raw %}raw{% endraw %}",
    # Unicode tricks
    "right-to-left \u202eoverride\u202c and isolate \u2067x\u2069",
    "zero\u200bwidth\u200djoiner\ufeffbom",
    "j\u0430vascript:pwn()",
    "\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:pwn()",
    "NUL \x00 escape \x1b[31m bell \x07 C1 \x85",
    "surrogate-free astral \U0001f600 and combining e\u0301",
)
"""Strings placed in every text field of every kind of input."""

CONTROL_FREE = tuple(
    s for s in HOSTILE if not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", s)
)
"""The strings a JSON or YAML file can hold without escapes."""

MARKDOWN_SAFE = tuple(
    s
    for s in HOSTILE
    if ("<" not in s or s.startswith(("[md link](<", "$")))
    and "{ data-pwn" not in s
    and "data-pwn }" not in s
)
"""What a Markdown field gets where raw HTML is allowed: no HTML and no attribute
list (both set any attribute by design there), but links, math and the rest."""

URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "cite",
    "data",
    "background",
    "xlink:href",
    "ping",
    "srcset",
)
JINJA_LEAKS = ("1337", "<class", "looplooploop")


def url_scheme(url: str) -> str:
    """The scheme a browser resolves (entities decoded, ASCII whitespace removed)."""
    import html

    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else ""


def html_problems(text: str, where: str, *, known_scripts: Iterable[str] = ()) -> list[str]:
    """Elements or attributes in an HTML page or fragment that came from the data."""
    soup = BeautifulSoup(text, "html5lib")
    problems: list[str] = []
    for element in soup.find_all(True):
        name = element.name
        if MARK in name:
            problems.append(f"{where}: element <{name}> from the data")
        for attr, value in element.attrs.items():
            joined = " ".join(value) if isinstance(value, list) else str(value)
            if MARK in attr:
                problems.append(f"{where}: attribute {attr} on <{name}> from the data")
            if attr.lower().startswith("on"):
                problems.append(f"{where}: event handler {attr}={joined!r} on <{name}>")
            if attr.lower() in URL_ATTRIBUTES:
                urls = (
                    [c.strip().split(" ")[0] for c in joined.split(",")]
                    if attr == "srcset"
                    else [joined]
                )
                for url in urls:
                    if url_scheme(url) not in ("", "http", "https", "mailto"):
                        problems.append(
                            f"{where}: <{name} {attr}={url!r}> links a script or data URL"
                        )
            if attr.lower() in ("class", "style") and MARK in joined:
                problems.append(f"{where}: {attr}={joined!r} on <{name}> from the data")
        if name == "script":
            body = element.string or ""
            src = element.get("src", "")
            if MARK in body or (src and url_scheme(src)):
                problems.append(f"{where}: script from the data: {str(element)[:80]!r}")
            if (
                not src
                and body.strip()
                and not any(body.strip().startswith(k) for k in known_scripts)
            ):
                problems.append(f"{where}: unexpected inline script {body.strip()[:60]!r}")
        if name == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            problems.append(f"{where}: meta refresh")
        if name in ("iframe", "object", "embed", "frame", "frameset", "base", "applet"):
            problems.append(f"{where}: <{name}> element")
    for leak in JINJA_LEAKS:
        if leak in text:
            problems.append(f"{where}: template syntax from the data was evaluated ({leak!r})")
    return problems


def search_index_problems(text: str) -> list[str]:
    """Material renders search titles and texts as HTML: none may hold markup from the data."""
    index = json.loads(text)
    problems = []
    for doc in index["docs"]:
        for key in ("title", "text"):
            problems += html_problems(
                f"<div>{doc.get(key, '')}</div>", f"search_index[{doc['location']}].{key}"
            )
    return problems
