"""Search excerpts that work when the site is opened from ``file://``.

Sphinx's search page shows an excerpt under each hit by fetching the hit's
HTML page with ``fetch()``; browsers refuse ``fetch`` on ``file://`` URLs, so
a site opened from disk shows titles only. This extension writes the text of
every page (``_static/search_texts.js``, cut into its sections by anchor) after
the build, and adds ``_static/search_excerpts.js`` to the search page only.
That script, on ``file://`` alone, loads the texts and answers the search
page's fetches of site pages from them; over HTTP nothing changes.
"""

from __future__ import annotations

import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

#: Characters kept per page (the excerpt is 240 characters round the hit).
PAGE_CHARS = 12000

_SKIP = {"script", "style", "noscript", "template"}


class _MainText(HTMLParser):
    """The text inside ``[role="main"]``, cut at each ``<section id=...>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0 inside [role=main]
        self.skip = 0  # > 0 inside a skipped element
        self.sections: list[list[Any]] = [["", []]]
        self.stack: list[tuple[str, bool, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        main = a.get("role") == "main"
        skip = tag in _SKIP or "headerlink" in (a.get("class") or "").split()
        if tag in {"br", "img", "hr", "meta", "link", "input", "source", "wbr"}:
            return  # void elements have no end tag
        self.stack.append((tag, main, skip))
        if main:
            self.depth += 1
        if skip:
            self.skip += 1
        if self.depth and tag == "section" and a.get("id"):
            self.sections.append([a["id"], []])

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            name, main, skip = self.stack.pop()
            if main:
                self.depth -= 1
            if skip:
                self.skip -= 1
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.sections[-1][1].append(data)


def page_sections(html: str, limit: int = PAGE_CHARS) -> list[list[str]]:
    """``[[anchor, text], ...]`` of a page's main content, at most ``limit`` characters.

    Examples
    --------
    >>> page_sections('<div role="main"><h1>T</h1><p>a</p><section id="s"><p>b  c</p></section></div>')
    [['', 'T a'], ['s', 'b c']]
    """
    parser = _MainText()
    parser.feed(html)
    out = []
    left = limit
    for anchor, parts in parser.sections:
        text = " ".join(" ".join(parts).split())[: max(left, 0)]
        left -= len(text)
        if text or anchor:
            out.append([anchor, text])
    return out


def write_texts(app: Any, exception: Exception | None) -> None:
    """``build-finished``: write ``_static/search_texts.js`` from the built pages."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    # Parsing every page costs seconds on each build; a page whose HTML is
    # unchanged reuses the sections parsed last time. The key also covers this
    # module's source, so a change to the parser re-parses every page.
    salt = Path(__file__).read_bytes()
    cache_file = Path(app.doctreedir) / "search_texts_cache.json"
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    fresh = {}
    texts = {}
    for docname in sorted(app.env.found_docs):
        target = app.builder.get_target_uri(docname)
        page = outdir / target
        if page.is_file():
            html = page.read_text(encoding="utf-8")
            key = hashlib.sha256(salt + html.encode("utf-8")).hexdigest()
            sections = cache.get(key)
            if sections is None:
                sections = page_sections(html)
            fresh[key] = texts[target] = sections
    cache_file.write_text(json.dumps(fresh, ensure_ascii=False), encoding="utf-8")
    body = json.dumps(texts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (outdir / "_static").mkdir(exist_ok=True)
    (outdir / "_static" / "search_texts.js").write_text(
        f"window.CE_SEARCH_TEXTS = {body};\n", encoding="utf-8"
    )


def add_to_search_page(app: Any, pagename: str, *args: Any) -> None:
    """``html-page-context``: the search page alone gets the excerpt script."""
    if pagename == "search":
        app.add_js_file("search_excerpts.js")


def setup(app: Any) -> dict[str, Any]:
    """Register the hooks."""
    app.connect("html-page-context", add_to_search_page)
    app.connect("build-finished", write_texts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
