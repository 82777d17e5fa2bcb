"""The guide as one PDF, printed from the verified site (``nox -s pdf``).

Route: Chromium's own print (``page.pdf``) through Playwright, on Debian's
``/usr/bin/chromium``, of the pages ``nox -s docs`` built and checked
(``docs/_build/html``; the tool refuses to run without them, it never builds
pages of its own). Chromium prints offline, renders MathJax's output as the
reader sees it, writes a tagged PDF (the figures' alt text is carried into
the structure tree) with an outline from the headings, and embeds the fonts
it used. WeasyPrint flattened a MathML fraction into a wrong formula, and
LaTeX would be a second, unchecked rendering of the pages.

Each page is printed on its own (print stylesheet ``docs/_static/print.css``,
A4, page numbers in CSS margin boxes, continued from the previous page's
last number), then the pages are merged with pypdf behind a title page and a
table of contents:

* the outline has an entry per page, holding that page's headings;
* links between pages (and to anchors the target page links itself) become
  in-document destinations; links to pages not in the PDF are dropped; links
  to other sites stay;
* the pages' structure trees are merged into one, so the PDF stays tagged;
* no request leaves the machine: every non-``file:`` request is blocked and
  counted, and a non-zero count fails the build;
* the dates are pinned (``SOURCE_DATE_EPOCH``, default 0) and the file
  identifier is a hash of the content (qpdf's deterministic ID, through
  pikepdf, which also packs the structure tree into object streams); images
  are named by their order on the page (Chromium numbers them across the
  whole print), and each page is printed until two prints in a row draw the
  same (one load in a few hundred laid one code line out 0.6 px lower): two
  builds give the same bytes.

Order: the landing page, the pages of the site's toctrees in their order
(the API reference left out), then the gallery lessons as an appendix.

Usage::

    python tools/build_pdf.py [--site docs/_build/html] [--out docs/_build/pdf/conv_explained.pdf]

The PDF is copied into the site as ``conv_explained.pdf`` (the landing page
links it).
"""

from __future__ import annotations

import argparse
import datetime
import html
import io
import json
import os
import posixpath
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium import CHROMIUM, CHROMIUM_ARGS
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "docs" / "_build" / "html"
OUT = ROOT / "docs" / "_build" / "pdf" / "conv_explained.pdf"
#: Where the landing page's download link points (relative to the site).
SITE_COPY = "conv_explained.pdf"
#: Pages of the toctrees that stay out of the PDF (the API reference).
LEFT_OUT = ("api.html",)
GALLERY = "auto_gallery/index.html"

TIMEOUT_MS = 60_000
PAGE_MARGIN = "16mm 15mm 18mm 15mm"


class BuildError(Exception):
    """The PDF cannot be built (one line for the user)."""


# --------------------------------------------------------------------------
# Which pages, in which order
# --------------------------------------------------------------------------


@dataclass
class Entry:
    """One page of the site printed into the PDF."""

    rel: str  # path in the site, POSIX
    part: str  # the toctree caption ("Guide", ...) or "Appendix: gallery lessons"
    title: str = ""
    first_page: int = 0  # 0-based page index in the merged PDF
    pages: int = 0


class _TocParser(HTMLParser):
    """The links of ``div.toctree-wrapper`` lists, with their captions."""

    def __init__(self, *, links_in: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links_in = links_in  # class of the element whose links count
        self.depth = 0  # nesting inside such an element
        self.caption: str | None = None
        self.in_caption = False
        self.found: list[tuple[str, str]] = []  # (caption, href)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = values.get("class", "").split()
        if self.depth:
            self.depth += 1
        elif self.links_in in classes:
            self.depth = 1
            self.caption = None
        if self.depth and "caption" in classes:
            self.in_caption = True
            self.caption = ""
        if self.depth and tag == "a" and "internal" in classes and values.get("href"):
            self.found.append((self.caption or "", values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
        if tag in ("p", "span", "div"):
            self.in_caption = False

    def handle_data(self, data: str) -> None:
        if self.in_caption and self.caption is not None:
            self.caption += data.strip()


def _links(path: Path, links_in: str) -> list[tuple[str, str]]:
    parser = _TocParser(links_in=links_in)
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def reading_order(site: Path) -> list[Entry]:
    """The landing page, the toctrees' pages in order, then the gallery lessons."""
    entries = [Entry("index.html", "Introduction")]
    seen = {"index.html"}
    for caption, href in _links(site / "index.html", "toctree-wrapper"):
        rel = urllib.parse.urlsplit(href).path
        if not rel or rel in seen or rel in LEFT_OUT:
            continue
        seen.add(rel)
        if rel == GALLERY:
            continue  # the appendix, below
        entries.append(Entry(rel, caption))
    if (site / GALLERY).is_file():
        entries.append(Entry(GALLERY, "Appendix: gallery lessons"))
        for _, href in _links(site / GALLERY, "sphx-glr-thumbnails"):
            rel = posixpath.normpath(
                posixpath.join(posixpath.dirname(GALLERY), urllib.parse.urlsplit(href).path)
            )
            if rel not in seen:
                seen.add(rel)
                entries.append(Entry(rel, "Appendix: gallery lessons"))
    return entries


def check_site(site: Path, entries: list[Entry]) -> None:
    """Refuse a site that ``nox -s docs`` has not (completely) built."""
    if not (site / "index.html").is_file() or not (site / ".buildinfo").is_file():
        raise BuildError(f"no built site in {site}: run `nox -s docs` first")
    missing = [e.rel for e in entries if not (site / e.rel).is_file()]
    if missing:
        raise BuildError(f"the built site lacks {', '.join(missing)}: run `nox -s docs` first")
    if len(entries) < 3:
        raise BuildError(f"found only {len(entries)} pages in {site}/index.html's toctrees")


# --------------------------------------------------------------------------
# Printing one page
# --------------------------------------------------------------------------


@dataclass
class Network:
    """Requests that tried to leave the machine (blocked) and local failures."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


_ADD_STYLE = """
(css) => {
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
}
"""

_PREPARE = """
async (timeout) => {
  // Every image loads now (lazy ones below the fold would print empty).
  const images = Array.from(document.images);
  for (const img of images) { if (img.loading === "lazy") img.loading = "eager"; }
  await Promise.race([
    Promise.all(images.map((img) => img.decode().catch(() => null))),
    new Promise((resolve) => setTimeout(resolve, timeout)),
  ]);
  // Folded sections (solutions) print open; hidden code cells stay hidden.
  for (const d of document.querySelectorAll("details:not(.hide)")) d.open = true;
  // Math typeset by MathJax, as the reader sees it.
  const formulas = document.querySelectorAll(".math").length;
  if (formulas) {
    const start = Date.now();
    while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
      if (Date.now() - start > timeout) return {error: formulas + " formulas, MathJax never loaded"};
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await MathJax.startup.promise;
    const bad = document.querySelectorAll("mjx-merror").length;
    if (bad) return {error: bad + " TeX errors"};
  }
  window.dispatchEvent(new Event("beforeprint"));  // the explorer's print summary
  // Wait until the layout stops moving (late fonts shift lines by a fraction
  // of a pixel, and two builds would differ): the same positions 3 times.
  // Every element of the page counts, down to a code span inside a table cell
  // (a wrapped code line once moved by 0.3 px without moving its cell).
  const signature = () => {
    const parts = [];
    for (const e of document.body.querySelectorAll("*")) {
      const r = e.getBoundingClientRect();
      parts.push(r.left, r.top, r.width, r.height);
    }
    return parts.join(",");
  };
  let last = null, same = 0;
  const start2 = Date.now();
  while (same < 3 && Date.now() - start2 < timeout) {
    await document.fonts.ready;
    await new Promise((resolve) => setTimeout(resolve, 100));  // no rAF: a print-emulated headless page may never paint
    const now = signature();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  const h1 = document.querySelector("article h1, main h1, h1");
  return {title: h1 ? h1.textContent.replace(/[#\\u00b6]\\s*$/, "").trim() : document.title};
}
"""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _page_style(first_number: int, running_title: str) -> str:
    """A4 sheets, the page number (continuing the PDF's) and the title in the margins.

    Chromium's ``displayHeaderFooter`` numbers each printed page from 1; a
    CSS margin box with the page counter raised on the first sheet carries
    the number on from the previous page instead.
    """
    return (
        f"@page {{ size: A4; margin: {PAGE_MARGIN};"
        " @bottom-right { content: counter(page); font: 9pt sans-serif; color: #444; }"
        f" @bottom-left {{ content: {_css_string(running_title)};"
        " font: 9pt sans-serif; color: #444; } }"
        f" @page :first {{ counter-increment: page {first_number}; }}"
    )


def print_page(browser: Any, url: str, style: str, network: Network) -> tuple[bytes, str]:
    """One page printed to PDF bytes (and its title), nothing fetched from the network."""
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    page = context.new_page()

    def route(route: Any) -> None:
        if urllib.parse.urlsplit(route.request.url).scheme in ("file", "data", "blob", "about"):
            route.continue_()
        else:
            network.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: network.failed.append(f"{r.url} ({r.failure})"))
    page.on("pageerror", lambda e: network.errors.append(f"{url}: {e}"))
    try:
        page.emulate_media(media="print")
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        # A plain <style> put in with append(): Playwright's add_style_tag waits for a
        # load event that never comes, since the site's mathjax_config.js turns
        # <style> elements inserted with appendChild into constructed sheets.
        page.evaluate(_ADD_STYLE, style)
        state = page.evaluate(_PREPARE, TIMEOUT_MS)
        if "error" in state:
            raise BuildError(f"{url}: {state['error']}")
        data = page.pdf(
            tagged=True,
            outline=True,
            print_background=True,
            prefer_css_page_size=True,
        )
        return data, state["title"]
    finally:
        context.close()


#: At most this many prints of one page before the build gives up on agreement.
MAX_PRINTS = 8


def print_key(data: bytes) -> str:
    """A digest of what a printed PDF draws: each page's content and the images it uses.

    Chromium's own bytes hold the print's date and a random identifier, so two
    prints are compared by this instead. XObjects are named by order of use
    first (:func:`_canonical_xobject_names`), as the merged PDF names them.
    """
    import hashlib

    import pikepdf

    digest = hashlib.sha256()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            _canonical_xobject_names(pdf, page.obj)
            contents = page.obj.get("/Contents")
            parts = contents if isinstance(contents, pikepdf.Array) else [contents]
            for part in parts:
                digest.update(part.read_bytes() if part is not None else b"")
            for name, xobject in sorted(page.obj.Resources.get("/XObject", {}).items()):
                digest.update(name.encode() + xobject.read_raw_bytes())
            digest.update(b"\f")
    return digest.hexdigest()


def print_agreed(browser: Any, url: str, style: str, network: Network) -> tuple[bytes, str, int]:
    """Print a page until two prints in a row draw the same; returns the print and the count.

    Two full builds once differed on one line of one page (an inline code run
    0.6 px lower, 1 of 462 pages), and a single print of the page did not show
    it again: Chromium's layout of a page is not always the same from one load
    to the next. A page whose print two loads agree on is the page's layout;
    one that never agrees within :data:`MAX_PRINTS` stops the build.
    """
    data, title = print_page(browser, url, style, network)
    key = print_key(data)
    for prints in range(2, MAX_PRINTS + 1):
        again, title = print_page(browser, url, style, network)
        again_key = print_key(again)
        if again_key == key:
            return again, title, prints
        print(f"  {url}: print {prints} differs from print {prints - 1}; printing again")
        data, key = again, again_key
    raise BuildError(f"{url}: no two prints in a row agree after {MAX_PRINTS} prints")


# --------------------------------------------------------------------------
# The title page and the table of contents
# --------------------------------------------------------------------------


def contents_html(
    entries: list[Entry], site: Path, *, title: str, version: str, numbered: bool
) -> str:
    """The title page and table of contents, linking each page (by its file URL)."""
    rows: list[str] = []
    part = None
    for entry in entries:
        if entry.part != part:
            if part is not None:
                rows.append("</ol>")
            part = entry.part
            rows.append(f"<h2>{html.escape(part)}</h2><ol>")
        number = str(entry.first_page + 1) if numbered else "000"
        url = (site / entry.rel).resolve().as_uri()
        rows.append(
            f'<li><a href="{html.escape(url)}"><span class="t">{html.escape(entry.title)}</span>'
            f'<span class="n">{number}</span></a></li>'
        )
    rows.append("</ol>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}: the guide</title>
<style>
body {{ font-family: sans-serif; font-size: 11pt; color: #111; }}
.title {{ break-after: page; padding-top: 70mm; text-align: center; }}
.title h1 {{ font-size: 30pt; margin: 0 0 6mm; }}
.title p {{ font-size: 13pt; margin: 2mm 0; }}
h2 {{ font-size: 13pt; margin: 6mm 0 2mm; break-after: avoid; }}
ol {{ list-style: none; padding: 0; margin: 0; }}
li a {{ display: flex; color: inherit; text-decoration: none; padding: 0.6mm 0; }}
li .t {{ flex: 1; }}
li .n {{ min-width: 12mm; text-align: right; font-variant-numeric: tabular-nums; }}
</style></head><body>
<section class="title">
<h1>{html.escape(title)}</h1>
<p>Convolution arithmetic in neural networks, every number computed and verified.</p>
<p>Version {html.escape(version)}: the pages of the site, printed.</p>
</section>
<h1>Contents</h1>
{"".join(rows)}
</body></html>
"""


# --------------------------------------------------------------------------
# Merging
# --------------------------------------------------------------------------


def _pdf_date(epoch: int) -> str:
    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC)
    return moment.strftime("D:%Y%m%d%H%M%SZ")


def _outline_items(reader: Any, items: list[Any]) -> Iterator[tuple[Any, list[Any]]]:
    """``(item, children)`` pairs of a pypdf outline list."""
    n = 0
    while n < len(items):
        item = items[n]
        children = items[n + 1] if n + 1 < len(items) and isinstance(items[n + 1], list) else []
        n += 2 if children else 1
        yield item, children


@dataclass
class _Doc:
    entry: Entry | None  # None: the title page and contents
    reader: Any
    url: str
    offset: int = 0  # first page index in the merged PDF
    keys: dict[int, int] = field(default_factory=dict)  # source StructParent(s) key -> ours
    page_refs: dict[int, Any] = field(default_factory=dict)  # source idnum -> new ref
    annots: dict[int, Any] = field(default_factory=dict)  # source annot idnum -> new ref


def merge(docs: list[_Doc], site: Path, *, title: str, epoch: int) -> bytes:
    """One tagged PDF from the printed pages, with outline, links and structure."""
    writer = PdfWriter()
    by_path = {}  # site-relative path -> doc
    for doc in docs:
        if doc.entry is not None:
            by_path[doc.entry.rel] = doc

    # 1. Pages, without their annotations (rebuilt below). Structure-parent
    #    keys are numbered densely in the order pages and kept links use them.
    #    Offsetting each print's keys by its ParentTreeNextKey would carry
    #    keys Chromium allots but leaves unused, and their count differs
    #    between prints of the same page: two builds differed by it.
    key = 0

    def new_key(doc: _Doc, old: int) -> int:
        nonlocal key
        if old not in doc.keys:
            doc.keys[old] = key
            key += 1
        return doc.keys[old]

    pending_annots = []  # (doc, new page, [annotation dicts])
    for doc in docs:
        doc.offset = len(writer.pages)
        for page in doc.reader.pages:
            annots = [a.get_object() for a in page.get("/Annots", [])]
            if "/Annots" in page:
                del page[NameObject("/Annots")]
            new = writer.add_page(page)
            doc.page_refs[page.indirect_reference.idnum] = new.indirect_reference
            if "/StructParents" in page:
                new[NameObject("/StructParents")] = NumberObject(
                    new_key(doc, int(page["/StructParents"]))
                )
            pending_annots.append((doc, new, annots))

    def target_of(doc: _Doc, annot: Any) -> ArrayObject | str | None:
        """An explicit destination in the merged PDF, an external URI, or None (dropped)."""
        dest = annot.get("/Dest")
        action = annot.get("/A")
        if dest is None and action is not None and action.get("/S") == "/GoTo":
            dest = action.get("/D")
        if dest is not None:
            return local_dest(doc, dest)
        if action is None or action.get("/S") != "/URI":
            return None
        uri = str(action["/URI"])
        parts = urllib.parse.urlsplit(uri)
        if parts.scheme != "file":
            return uri  # another site: the reader's viewer opens it
        try:
            rel = Path(urllib.parse.unquote(parts.path)).resolve().relative_to(site.resolve())
        except ValueError:
            return None
        other = by_path.get(rel.as_posix())
        if other is None:
            return None  # a page of the site that is not in the PDF
        if parts.fragment:
            named = other.reader.named_destinations.get(urllib.parse.unquote(parts.fragment))
            if named is not None:
                return local_dest(other, named)
        return page_start(other, 0)

    def page_start(doc: _Doc, index: int) -> ArrayObject:
        ref = writer.pages[doc.offset + index].indirect_reference
        return ArrayObject(
            [ref, NameObject("/XYZ"), NumberObject(0), FloatObject(842), FloatObject(0)]
        )

    def local_dest(doc: _Doc, dest: Any) -> ArrayObject | None:
        dest = dest.get_object() if hasattr(dest, "get_object") else dest
        if isinstance(dest, str):  # a name
            dest = doc.reader.named_destinations.get(str(dest))
            if dest is None:
                return None
        if hasattr(dest, "page"):  # pypdf Destination
            index = doc.reader.get_destination_page_number(dest)
            top = dest.get("/Top", 842)
        else:
            dest = list(dest)
            page_ref = dest[0]
            index = next(
                (
                    n
                    for n, p in enumerate(doc.reader.pages)
                    if p.indirect_reference.idnum == page_ref.idnum
                ),
                None,
            )
            top = dest[3] if len(dest) > 3 and dest[1] == "/XYZ" else 842
        if index is None or index < 0:
            return None
        ref = writer.pages[doc.offset + index].indirect_reference
        return ArrayObject(
            [
                ref,
                NameObject("/XYZ"),
                NumberObject(0),
                FloatObject(float(top or 842)),
                FloatObject(0),
            ]
        )

    # 2. Links: the same rectangles, pointing into this PDF where they can.
    for doc, new_page, annots in pending_annots:
        kept = ArrayObject()
        for annot in annots:
            if annot.get("/Subtype") != "/Link":
                continue
            target = target_of(doc, annot)
            if target is None:
                continue
            link = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Link"),
                    NameObject("/Rect"): ArrayObject(
                        FloatObject(float(v)) for v in annot["/Rect"]
                    ),
                    NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
                    NameObject("/P"): new_page.indirect_reference,
                }
            )
            if isinstance(target, str):
                link[NameObject("/A")] = DictionaryObject(
                    {
                        NameObject("/S"): NameObject("/URI"),
                        NameObject("/URI"): TextStringObject(target),
                    }
                )
            else:
                link[NameObject("/Dest")] = target
            if "/Contents" in annot:
                link[NameObject("/Contents")] = TextStringObject(str(annot["/Contents"]))
            if "/StructParent" in annot:
                link[NameObject("/StructParent")] = NumberObject(
                    new_key(doc, int(annot["/StructParent"]))
                )
            ref = writer._add_object(link)
            doc.annots[annot.indirect_reference.idnum] = ref
            kept.append(ref)
        if kept:
            new_page[NameObject("/Annots")] = kept
            new_page[NameObject("/Tabs")] = NameObject("/S")

    # 3. One structure tree: the pages' trees side by side under a Document.
    root_tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    tree_ref = writer._add_object(root_tree)
    document = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): tree_ref,
            NameObject("/Lang"): TextStringObject("en"),
        }
    )
    document_ref = writer._add_object(document)
    kids = ArrayObject()
    nums: list[tuple[int, Any]] = []
    ids: dict[str, Any] = {}  # structure element IDs (table headers) -> element
    for doc in docs:
        tree = doc.reader.trailer["/Root"].get("/StructTreeRoot")
        if tree is None:
            continue
        tree = tree.get_object()
        elems: dict[int, Any] = {}  # source elem idnum -> new ref
        names: dict[str, str] = {}  # Chromium's element ID -> ours

        def rename(old: str, names: dict[str, str] = names, doc_index: int = len(kids)) -> str:
            """IDs numbered in the order the tree names them: the same every build."""
            return names.setdefault(old, f"p{doc_index}e{len(names)}")

        def copy(
            node: Any,
            parent: Any,
            doc: _Doc = doc,
            elems: dict[int, Any] = elems,
            rename: Any = rename,
        ) -> Any:
            """A copy of a structure element (or marked-content reference), or None."""
            obj = node.get_object() if hasattr(node, "get_object") else node
            if isinstance(obj, int) and not isinstance(obj, DictionaryObject):
                return NumberObject(int(obj))
            if not isinstance(obj, DictionaryObject):
                return None
            kind = obj.get("/Type")
            if kind == "/OBJR":
                annot = doc.annots.get(obj.raw_get("/Obj").idnum)
                if annot is None:
                    return None  # a link dropped above
                out = DictionaryObject(
                    {NameObject("/Type"): NameObject("/OBJR"), NameObject("/Obj"): annot}
                )
                if "/Pg" in obj:
                    out[NameObject("/Pg")] = doc.page_refs[obj.raw_get("/Pg").idnum]
                return out
            if kind == "/MCR":
                out = DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/MCR"),
                        NameObject("/MCID"): NumberObject(int(obj["/MCID"])),
                        NameObject("/Pg"): doc.page_refs[obj.raw_get("/Pg").idnum],
                    }
                )
                return out
            out = DictionaryObject()
            ref = writer._add_object(out)
            source = node if hasattr(node, "idnum") else obj.indirect_reference
            if source is not None:
                elems[source.idnum] = ref
            for name, value in obj.items():
                if name in ("/K", "/P", "/Pg", "/ID"):
                    continue
                out[NameObject(name)] = _renamed_headers(value.clone(writer), rename)
            if "/ID" in obj:  # Chromium's element IDs differ between runs
                new_id = rename(str(obj["/ID"]))
                out[NameObject("/ID")] = TextStringObject(new_id)
                ids[new_id] = ref
            out[NameObject("/P")] = parent
            if "/Pg" in obj:
                out[NameObject("/Pg")] = doc.page_refs[obj.raw_get("/Pg").idnum]
            if "/K" in obj:
                copied = ArrayObject(
                    c for c in (copy(k, ref) for k in _kids(obj)) if c is not None
                )
                out[NameObject("/K")] = copied
            return ref

        tops = _kids(tree)
        part = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/Part"),
                NameObject("/P"): document_ref,
            }
        )
        part[NameObject("/T")] = TextStringObject(
            doc.entry.title if doc.entry is not None else "Title page and contents"
        )
        part_ref = writer._add_object(part)
        part_kids = ArrayObject()
        for t in tops:
            t_obj = t.get_object()
            if t_obj.get("/S") == "/Document":  # the page's own Document: its children
                for k in _kids(t_obj):
                    c = copy(k, part_ref)
                    if c is not None:
                        part_kids.append(c)
            else:
                c = copy(t, part_ref)
                if c is not None:
                    part_kids.append(c)
        part[NameObject("/K")] = part_kids
        kids.append(part_ref)
        flat = _number_tree(tree.get("/ParentTree"))
        for k, raw in flat:
            if k not in doc.keys:
                continue  # a key no kept page or link uses
            value = raw.get_object()
            if isinstance(value, list):
                mapped = ArrayObject(
                    elems.get(v.idnum, NullObject())
                    if isinstance(v, IndirectObject)
                    else NullObject()
                    for v in value
                )
                nums.append((doc.keys[k], writer._add_object(mapped)))
            elif isinstance(raw, IndirectObject) and raw.idnum in elems:
                nums.append((doc.keys[k], elems[raw.idnum]))
            else:
                raise BuildError(f"{doc.url}: structure parent {k} points at no element")
    document[NameObject("/K")] = kids
    nums.sort(key=lambda kv: kv[0])
    parent_tree = DictionaryObject(
        {NameObject("/Nums"): ArrayObject(x for k, v in nums for x in (NumberObject(k), v))}
    )
    root_tree[NameObject("/K")] = document_ref
    root_tree[NameObject("/ParentTree")] = writer._add_object(parent_tree)
    root_tree[NameObject("/ParentTreeNextKey")] = NumberObject(key)
    if ids:
        root_tree[NameObject("/IDTree")] = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        x for name in sorted(ids) for x in (TextStringObject(name), ids[name])
                    )
                }
            )
        )
    catalog = writer.root_object
    catalog[NameObject("/StructTreeRoot")] = tree_ref
    catalog[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(True)}
    )
    catalog[NameObject("/Lang")] = TextStringObject("en")
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )

    # 4. The outline: a title per page (its headings below it), parts above.
    contents = next(d for d in docs if d.entry is None)
    writer.add_outline_item(title="Contents", page_number=contents.offset + 1, fit=Fit.fit())
    parents: dict[str, Any] = {}
    for doc in docs:
        if doc.entry is None:
            continue
        part = doc.entry.part
        if part not in parents:
            parents[part] = writer.add_outline_item(
                title=part, page_number=doc.offset, fit=Fit.fit(), is_open=True
            )
        items = list(_outline_items(doc.reader, doc.reader.outline))
        # A page's lone h1: the page's own entry stands for it, its sections below.
        headings = list(_outline_items(doc.reader, items[0][1])) if len(items) == 1 else items
        page_item = writer.add_outline_item(
            title=doc.entry.title,
            page_number=doc.offset,
            parent=parents[part],
            fit=Fit.fit(),
            is_open=False,
        )
        _add_headings(writer, doc, headings, page_item)

    writer.page_mode = "/UseOutlines"
    date = _pdf_date(epoch)
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": "the conv_explained authors",
            "/Subject": "Convolution arithmetic in neural networks",
            "/Creator": "conv_explained tools/build_pdf.py (Chromium print, pypdf)",
            "/Producer": "pypdf",
            "/CreationDate": date,
            "/ModDate": date,
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return _compact(buffer.getvalue())


def _compact(data: bytes) -> bytes:
    """The same PDF with its many small objects (the structure tree) in object streams.

    pypdf writes every object on its own, uncompressed: the structure tree's
    tens of thousands of elements then weigh more than the pages. qpdf (via
    pikepdf) packs them into compressed object streams; ``deterministic_id``
    makes the file identifier a hash of the content, so two builds agree.
    """
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            _canonical_xobject_names(pdf, page.obj)
        pdf.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            deterministic_id=True,
        )
    return out.getvalue()


def _canonical_xobject_names(
    pdf: Any, owner: Any, seen: set[tuple[int, int]] | None = None
) -> None:
    r"""Name a page's (or form's) images and forms ``/Im0``, ``/Im1``... in order of first use.

    Chromium numbers a printed page's XObjects across everything it drew for
    that print, so the same image on the same page may be ``/X27`` in one
    build and ``/X29`` in the next (two builds differed on a gallery lesson
    only so). Renaming by order of use in the content stream makes the names
    depend on the page alone. Forms are renamed inside, once each.

    Examples
    --------
    >>> import pikepdf
    >>> pdf = pikepdf.new()
    >>> image = pikepdf.Stream(pdf, b"\0")
    >>> pdf.add_blank_page()  # doctest: +ELLIPSIS
    <pikepdf.Page...>
    >>> page = pdf.pages[0].obj
    >>> page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary({"/X29": image}))
    >>> page.Contents = pdf.make_stream(b"q /X29 Do Q")
    >>> _canonical_xobject_names(pdf, page)
    >>> list(page.Resources.XObject.keys()), page.Contents.read_bytes()
    (['/Im0'], b'q\n/Im0 Do\nQ')
    """
    import pikepdf

    seen = set() if seen is None else seen
    resources = owner.get("/Resources")
    xobjects = resources.get("/XObject") if resources is not None else None
    if not xobjects:
        return
    target = owner if isinstance(owner, pikepdf.Stream) else pikepdf.Page(owner)
    commands = pikepdf.parse_content_stream(target)
    order: dict[str, str] = {}
    for operands, operator in commands:
        if str(operator) == "Do" and operands and str(operands[0]) in xobjects:
            order.setdefault(str(operands[0]), f"/Im{len(order)}")
    if any(old != new for old, new in order.items()) or len(order) != len(xobjects):
        renamed = pikepdf.Dictionary({new: xobjects[old] for old, new in order.items()})
        rewritten = [
            (
                [pikepdf.Name(order[str(operands[0])])]
                if str(operator) == "Do" and operands and str(operands[0]) in order
                else operands,
                operator,
            )
            for operands, operator in commands
        ]
        data = pikepdf.unparse_content_stream(rewritten)
        if isinstance(owner, pikepdf.Stream):
            owner.write(data)
        else:
            owner.Contents = pdf.make_stream(data)
        owner.Resources = pikepdf.Dictionary({**dict(resources.items()), "/XObject": renamed})
    for name in order.values():
        form = owner.Resources.XObject[name]
        key = form.objgen
        if form.get("/Subtype") == "/Form" and key not in seen:
            seen.add(key)
            _canonical_xobject_names(pdf, form, seen)


def _renamed_headers(value: Any, rename: Any) -> Any:
    """An attribute value with its table-cell ``/Headers`` IDs renamed."""
    if isinstance(value, DictionaryObject):
        for name in list(value.keys()):
            if name == "/Headers":
                value[NameObject(name)] = ArrayObject(
                    TextStringObject(rename(str(h))) for h in value[name]
                )
            else:
                value[NameObject(name)] = _renamed_headers(value.raw_get(name), rename)
    elif isinstance(value, ArrayObject):
        for n, item in enumerate(value):
            value[n] = _renamed_headers(item, rename)
    return value


def _kids(node: Any) -> list[Any]:
    """The ``/K`` entries of a structure node, unresolved (a lone kid as a list of one)."""
    if "/K" not in node:
        return []
    raw = node.raw_get("/K")
    value = raw.get_object() if isinstance(raw, IndirectObject) else raw
    return list(value) if isinstance(value, list) else [raw]


def _number_tree(node: Any) -> list[tuple[int, Any]]:
    """A number tree's ``(key, value)`` pairs, its kids flattened."""
    if node is None:
        return []
    node = node.get_object()
    pairs = []
    nums = node.get("/Nums", [])
    for n in range(0, len(nums), 2):
        pairs.append((int(nums[n]), nums[n + 1]))
    for kid in node.get("/Kids", []):
        pairs.extend(_number_tree(kid))
    return pairs


def _add_headings(
    writer: Any, doc: _Doc, headings: list[tuple[Any, list[Any]]], parent: Any
) -> None:
    for item, children in headings:
        index = doc.reader.get_destination_page_number(item)
        if index < 0:
            continue
        top = item.get("/Top")
        fit = Fit.xyz(left=0, top=float(top), zoom=0) if top is not None else Fit.fit()
        title = " ".join(str(item.title).split()).rstrip("#¶ ").strip()
        child = writer.add_outline_item(
            title=title, page_number=doc.offset + index, parent=parent, fit=fit, is_open=False
        )
        _add_headings(writer, doc, list(_outline_items(doc.reader, children)), child)


# --------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------


def build(site: Path, out: Path, *, copy_into_site: bool = True) -> dict[str, Any]:
    """Print every page and merge them; returns figures for the report."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    site = site.resolve()
    entries = reading_order(site)
    check_site(site, entries)
    if not Path(CHROMIUM).exists():
        raise BuildError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    version = _site_version(site)
    site_title = _site_title(site)
    network = Network()
    docs: list[_Doc] = []
    reprinted: dict[str, int] = {}  # pages whose first two prints differed
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            toc_file = Path(tmp) / "contents.html"

            def print_contents(numbered: bool) -> Any:
                toc_file.write_text(
                    contents_html(
                        entries, site, title=site_title, version=version, numbered=numbered
                    ),
                    encoding="utf-8",
                )
                data, _ = print_page(
                    browser, toc_file.as_uri(), _page_style(1, site_title), network
                )
                return PdfReader(io.BytesIO(data))

            for entry in entries:  # titles first: the contents list them
                entry.title = _static_title(site / entry.rel)
            front = print_contents(numbered=False)
            number = len(front.pages)
            for entry in entries:
                url = (site / entry.rel).as_uri()
                data, title, prints = print_agreed(
                    browser,
                    url,
                    _page_style(number + 1, f"{site_title} · {entry.title}"),
                    network,
                )
                if prints > 2:
                    reprinted[entry.rel] = prints
                reader = PdfReader(io.BytesIO(data))
                entry.first_page, entry.pages = number, len(reader.pages)
                number += entry.pages
                docs.append(_Doc(entry, reader, url))
                print(f"  {entry.rel}: {entry.pages} pages ({title})", flush=True)
            front_again = print_contents(numbered=True)
            if len(front_again.pages) != len(front.pages):
                raise BuildError("the contents changed length once numbered")
            docs.insert(0, _Doc(None, front_again, toc_file.as_uri()))
        finally:
            browser.close()
        if network.blocked:
            raise BuildError(
                f"{len(network.blocked)} requests to the network (blocked): {network.blocked[:5]}"
            )
        if network.failed or network.errors:
            raise BuildError(
                f"failed requests or page errors: {(network.failed + network.errors)[:5]}"
            )
        data = merge(docs, site, title=f"{site_title}: the guide", epoch=epoch)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".pdf.part")
    partial.write_bytes(data)
    partial.replace(out)
    manifest = {
        "pdf": str(out),
        "bytes": len(data),
        "pages": len(PdfReader(io.BytesIO(data)).pages),
        "entries": [
            {
                "rel": e.rel,
                "part": e.part,
                "title": e.title,
                "first_page": e.first_page,
                "pages": e.pages,
            }
            for e in entries
        ],
        "blocked_requests": len(network.blocked),
        # Every page is printed until two prints agree; these needed more than two.
        "reprinted": reprinted,
        "seconds": round(time.perf_counter() - started, 1),
    }
    out.with_suffix(".json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    if copy_into_site:
        shutil.copyfile(out, site / SITE_COPY)
    return manifest


class _TitleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.title = ""
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "h1":
            self.depth = 1
        elif self.depth and tag == "a" and "headerlink" in (dict(attrs).get("class") or ""):
            self.skip = 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.skip:
            self.skip = 0
        if tag == "h1" and self.depth:
            self.depth = 0
            self.done = True

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip and not self.done:
            self.title += data


def _static_title(path: Path) -> str:
    parser = _TitleParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.title.split()) or path.stem


def _site_title(site: Path) -> str:
    """The site's title (``html_title``), from what the theme writes after each page's title."""
    found = re.search(r"<title>[^<]*?&#8212; ([^<]+)</title>", (site / "index.html").read_text())
    if found is None:
        raise BuildError(f"{site / 'index.html'}: no site title after its page title")
    return html.unescape(found.group(1)).strip()


def _site_version(site: Path) -> str:
    """The version the site was built for, as Sphinx wrote it for the pages' scripts.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "_static").mkdir()
    ...     _ = (Path(tmp) / "_static" / "documentation_options.js").write_text(
    ...         "const DOCUMENTATION_OPTIONS = { VERSION: '1.2.3', LANGUAGE: 'en' };")
    ...     _site_version(Path(tmp))
    '1.2.3'
    """
    options = site / "_static" / "documentation_options.js"
    text = options.read_text(encoding="utf-8") if options.is_file() else ""
    found = re.search(r"""\bVERSION:\s*(['"])([^'"]*)\1""", text)
    if found is None or not found.group(2):
        raise BuildError(f"{options}: no VERSION (the title page prints the site's version)")
    return found.group(2)


def main(argv: list[str] | None = None) -> int:
    """Build the PDF; a problem is one line on stderr and exit status 2."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (nox -s docs)")
    parser.add_argument("--out", type=Path, default=OUT, help="where the PDF goes")
    parser.add_argument("--no-copy", action="store_true", help="do not copy the PDF into the site")
    args = parser.parse_args(argv)
    try:
        manifest = build(args.site, args.out, copy_into_site=not args.no_copy)
    except BuildError as error:
        print(f"build_pdf: {error}", file=sys.stderr)
        return 2
    print(
        f"{manifest['pdf']}: {manifest['pages']} pages, {manifest['bytes'] / 1e6:.2f} MB, "
        f"{len(manifest['entries'])} site pages, {manifest['blocked_requests']} network requests, "
        f"{manifest['seconds']} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
