"""What the print and PDF tests read from the built site and from the PDF.

The site's pages are read independently of ``tools/build_pdf.py``: the
landing page's toctree links, the gallery's example pages, each page's
``<h1>``; what a page shows on paper is measured in Chromium under print
emulation at the width of the PDF's text column.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import site_checks

#: The text column of the PDF: A4 (210 mm) less 15 mm margins each side, in CSS px.
COLUMN_PX = round((210 - 2 * 15) / 25.4 * 96)


class _Toc(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if self.depth:
            self.depth += 1
        elif "toctree-wrapper" in values.get("class", "").split():
            self.depth = 1
        if self.depth and tag == "a" and "internal" in values.get("class", ""):
            self.hrefs.append(urllib.parse.urlsplit(values["href"]).path)

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1


def guide_pages(site: Path) -> list[str]:
    """The pages the PDF must hold: the landing page, its toctrees' pages but the
    API reference, and every gallery example page."""
    parser = _Toc()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    pages = ["index.html"]
    for href in parser.hrefs:
        if href and href != "api.html" and href not in pages:
            pages.append(href)
    pages += [p for p in site_checks.gallery_examples(site) if p not in pages]
    return pages


class _H1(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = self.skip = False
        self.done = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1" and not self.done:
            self.inside = True
        elif self.inside and tag == "a" and "headerlink" in (dict(attrs).get("class") or ""):
            self.skip = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.skip = False
        if tag == "h1" and self.inside:
            self.inside, self.done = False, True

    def handle_data(self, data: str) -> None:
        if self.inside and not self.skip:
            self.text += data


def page_title(site: Path, rel: str) -> str:
    """A page's ``<h1>`` text, as the reader sees it."""
    parser = _H1()
    parser.feed((site / rel).read_text(encoding="utf-8"))
    return " ".join(parser.text.split())


def squash(text: str) -> str:
    """Letters and digits only (NFKC: ligatures split), for comparing PDF text with HTML."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def find_across_pages(text: str, run: str, start: int = 0, *, pieces: int = 3) -> int:
    """Where ``run`` ends in ``text`` (squashed), read from ``start``; -1 if it is not there.

    A paragraph that a page break divides is printed in at most ``pieces``
    consecutive pieces: the page's footer, header and the math of the page
    (whose text Chromium writes after the page's prose) come between them. So
    each piece is the longest prefix of what is left that occurs, in order,
    after the previous piece.

    >>> find_across_pages("abcXYZdef", "abcdef")
    9
    >>> find_across_pages("abcXYZdef", "abcdef", pieces=1)
    -1
    >>> find_across_pages("defabc", "abcdef")
    -1
    """
    position, rest = start, run
    for _ in range(pieces):
        if not rest:
            break
        length = len(rest)
        while length and text.find(rest[:length], position) < 0:
            length -= 1
        if not length:
            return -1
        position = text.find(rest[:length], position) + length
        rest = rest[length:]
    return -1 if rest else position


def open_printed(browser: Any, base: str, rel: str) -> tuple[Any, site_checks.Visit]:
    """A page as it prints: print media, the PDF's column width, images and math loaded."""
    page, visit = site_checks.open_page(browser, base, rel)
    page.set_viewport_size({"width": COLUMN_PX, "height": 1200})
    page.emulate_media(media="print")
    page.evaluate(
        """async (timeout) => {
          for (const d of document.querySelectorAll("details:not(.hide)")) d.open = true;
          if (document.querySelector(".math")) {
            const start = Date.now();
            while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
              if (Date.now() - start > timeout) return;
              await new Promise((r) => setTimeout(r, 50));
            }
            await MathJax.startup.promise;
          }
          window.dispatchEvent(new Event("beforeprint"));
          await new Promise((r) => setTimeout(r, 50));
        }""",
        site_checks.TIMEOUT_MS,
    )
    return page, visit


#: A JS function: an element's text as its runs between formulas (MathJax
#: prints glyphs, not the TeX source) and without heading links.
RUNS = """(e) => {
    const runs = [""];
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === 3) { runs[runs.length - 1] += child.textContent; continue; }
        if (child.nodeType !== 1) continue;
        const tag = child.tagName.toLowerCase();
        if (tag === "mjx-container" || child.classList.contains("math") || tag === "script"
            || tag === "style" || child.classList.contains("headerlink")) { runs.push(""); continue; }
        walk(child);
      }
    };
    walk(e);
    return runs.map((r) => r.replace(/\\s+/g, " ").trim()).filter((r) => r.length > 0);
  }"""

#: The last heading and the last paragraph that print, the paragraph as its
#: text runs between formulas (MathJax's glyphs are not the TeX source).
LAST_PRINTED = """
() => {
  const article = document.querySelector("article") || document.querySelector("main");
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const headings = Array.from(article.querySelectorAll("h1, h2, h3, h4, h5, h6")).filter(shown);
  const paras = Array.from(article.querySelectorAll("p")).filter(
    (p) => shown(p) && p.textContent.trim().length > 0);
  const text = RUNS_HERE;
  const allHeadings = Array.from(article.querySelectorAll("h1, h2, h3, h4, h5, h6"));
  return {
    heading: headings.length ? text(headings[headings.length - 1]).join(" ") : null,
    lastHeadingInSource: allHeadings.length ? text(allHeadings[allHeadings.length - 1]).join(" ") : null,
    paragraph: paras.length ? text(paras[paras.length - 1]) : [],
  };
}
"""

#: Every line box of every pre/code block that sticks out of the article's column.
WIDE_CODE = """
() => {
  const article = document.querySelector("article") || document.querySelector("main");
  const right = article.getBoundingClientRect().right;
  const found = [];
  let lines = 0;
  for (const block of article.querySelectorAll("pre")) {
    if (block.getClientRects().length === 0) continue;  // not printed
    const boxRight = Math.min(block.getBoundingClientRect().right, right);
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width === 0) continue;
        lines += 1;
        if (rect.right > boxRight + 1) {
          found.push({text: node.textContent.slice(0, 60), right: rect.right, column: boxRight});
        }
      }
    }
    if (block.scrollWidth > block.clientWidth + 1) {
      found.push({text: block.textContent.slice(0, 60), right: block.scrollWidth, column: block.clientWidth});
    }
  }
  return {lines, found};
}
"""


#: The running footer each sheet starts its text with: the page number, the
#: book's name and the page's title.
#: The site's title (docs/conf.py's html_title), which the footer of every printed page carries.
SITE_TITLE = re.search(
    r'^html_title = "([^"]+)"',
    (Path(__file__).resolve().parents[2] / "docs" / "conf.py").read_text(),
    re.MULTILINE,
).group(1)
FOOTER = re.compile(rf"^\s*(\d+)\s*{re.escape(SITE_TITLE)}(?: · [^\n]*)?(?:\n|$)")


def footer_number(reader: Any, index: int) -> int | None:
    """The page number printed in the footer of PDF page ``index``."""
    found = FOOTER.match(reader.pages[index].extract_text() or "")
    return int(found.group(1)) if found else None


#: The controls and page chrome that print (none should).
CONTROLS = """
() => Array.from(document.querySelectorAll(
    "button, input, select, textarea, .bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, "
    + ".bd-footer, .prev-next-area, .copybtn, .theme-switch-button, .search-button, form"))
  .filter((e) => e.getClientRects().length > 0)
  .map((e) => e.outerHTML.slice(0, 80))
"""

#: The image each ``<picture>`` prints.
SHOWN_IMAGES = """
() => Array.from(document.querySelectorAll("picture img")).map((img) => ({
  src: img.getAttribute("src"), shown: img.currentSrc, alt: img.getAttribute("alt") || ""}))
"""

#: The printed images' alt text.
ALTS = """
() => Array.from(document.querySelectorAll("article img"))
  .filter((img) => img.getClientRects().length > 0)
  .map((img) => (img.getAttribute("alt") || "").replace(/\\s+/g, " ").trim())
"""

#: Figure captions that hold numbers.
CAPTIONS = """
() => Array.from(document.querySelectorAll("article figcaption"))
  .filter((c) => c.getClientRects().length > 0)
  .map(RUNS_HERE)
"""

LAST_PRINTED = LAST_PRINTED.replace("RUNS_HERE", RUNS)
CAPTIONS = CAPTIONS.replace("RUNS_HERE", RUNS)

#: Everything above, from one load of the page.
MEASURE = (
    "() => ({"
    + ", ".join(
        f"{key}: ({script.strip()})()"
        for key, script in (
            ("code", WIDE_CODE),
            ("last", LAST_PRINTED),
            ("controls", CONTROLS),
            ("pictures", SHOWN_IMAGES),
            ("alts", ALTS),
            ("captions", CAPTIONS),
        )
    )
    + "})"
)


def pdf_text(reader: Any, first: int, count: int) -> str:
    """The text of PDF pages ``first`` to ``first + count - 1``, footers left out."""
    return "\n".join(
        FOOTER.sub("", reader.pages[n].extract_text() or "", count=1)
        for n in range(first, first + count)
    )


def outline_entries(reader: Any) -> list[tuple[str, int, int]]:
    """Every outline item as ``(title, page index, depth)``, in order."""
    found: list[tuple[str, int, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((str(item.title), reader.get_destination_page_number(item), depth))

    walk(reader.outline, 0)
    return found


def numbers_in(text: str) -> list[str]:
    """The numbers in a caption (integers and decimals, minus signs kept)."""
    return re.findall(r"[-\u2212]?\d+(?:\.\d+)?", text)
