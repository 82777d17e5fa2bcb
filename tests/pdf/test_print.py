"""The site on paper, measured in Chromium under print emulation.

Each page is laid out at the width of the PDF's text column with the print
stylesheet: code must wrap inside the column, no control may print, every
animation must have a printed strip, and the explorer must print its state
as tables (checked against a brute-force correlation of the printed input
and kernel) with a permalink that reopens the same state.
"""

from __future__ import annotations

import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import printed
import pytest
import site_checks

PAGES = (
    printed.guide_pages(site_checks.SITE) if (site_checks.SITE / "index.html").is_file() else []
)


@pytest.mark.parametrize("rel", PAGES)
def test_no_printed_code_line_is_wider_than_the_text_column(measure: Any, rel: str) -> None:
    result = measure(rel)["code"]
    wide = [
        f"{f['text']!r} reaches {f['right']:.0f} px > {f['column']:.0f} px"
        for f in result["found"]
    ]
    assert not wide, (
        f"{rel}: {len(wide)} of {result['lines']} code line boxes too wide: {wide[:5]}"
    )


@pytest.mark.parametrize("rel", PAGES)
def test_no_control_prints(measure: Any, rel: str) -> None:
    shown = measure(rel)["controls"]
    assert not shown, f"{rel}: controls or chrome print: {shown[:5]}"


class _Pictures(HTMLParser):
    """Every ``<picture>`` with the sources and image inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pictures: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "picture":
            self.current = {"sources": [], "img": None, "line": self.getpos()[0]}
            self.pictures.append(self.current)
        elif self.current is not None and tag == "source":
            self.current["sources"].append(values)
        elif self.current is not None and tag == "img":
            self.current["img"] = values

    def handle_endtag(self, tag: str) -> None:
        if tag == "picture":
            self.current = None


def _animated_pictures(site: Path, rel: str) -> list[dict[str, Any]]:
    parser = _Pictures()
    parser.feed((site / rel).read_text(encoding="utf-8"))
    return [
        p
        for p in parser.pictures
        if p["img"] is not None
        and (
            p["img"].get("src", "").lower().endswith(".gif")
            or any(s.get("srcset", "").lower().endswith(".gif") for s in p["sources"])
        )
    ]


def test_every_animation_prints_as_a_strip(site: Path) -> None:
    """Every animated ``<picture>`` has a ``<source media="print">`` whose file exists."""
    problems, animations = [], 0
    for rel in PAGES:
        for picture in _animated_pictures(site, rel):
            animations += 1
            where = f"{rel}:{picture['line']} ({picture['img'].get('src')})"
            prints = [s for s in picture["sources"] if s.get("media", "").strip() == "print"]
            if not prints:
                problems.append(f'{where}: no <source media="print"> strip')
                continue
            url = prints[0]["srcset"].split(",")[0].strip().split(" ")[0]
            file = (site / rel).parent / urllib.parse.unquote(url)
            if not file.is_file():
                problems.append(f"{where}: print strip {url!r} missing")
            if not picture["img"].get("alt", "").strip():
                problems.append(f"{where}: no alt text")
    assert animations > 0, "no animated <picture> found in the guide's pages"
    assert not problems, (
        f"{len(problems)} of {animations} animations print no strip: {problems[:5]}"
    )


def test_animations_show_their_strip_in_print(measure: Any, site: Path) -> None:
    """Under print media Chromium picks the strip, not the GIF's first frame."""
    pages = [rel for rel in PAGES if _animated_pictures(site, rel)]
    assert pages
    problems = []
    for rel in pages:
        for image in measure(rel)["pictures"]:
            if image["src"].lower().endswith(".gif") and image["shown"].lower().endswith(".gif"):
                problems.append(f"{rel}: {image['src']} prints the GIF (its first frame)")
    assert not problems, f"{len(problems)} animations print their first frame: {problems[:5]}"


# --------------------------------------------------------------------------
# The explorer
# --------------------------------------------------------------------------

STATE = "mode=correlate&input=6x5&kernel=3x2&stride=2x1&padding=1x0&dilation=1&seed=7"

_PRINT_SUMMARY = """
() => {
  const box = document.querySelector(".conv-explorer > .cx-print");
  if (!box) return null;
  const grid = (name) => {
    const t = box.querySelector('table[data-print-grid="' + name + '"]');
    return t ? Array.from(t.querySelectorAll("tr")).map(
      (tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent)) : null;
  };
  const link = box.querySelector(".cx-print-link a");
  return {
    shown: box.getClientRects().length > 0,
    size: (box.querySelector(".cx-print-size") || {}).textContent || "",
    input: grid("input"), kernel: grid("kernel"), output: grid("output"),
    href: link ? link.href : null, linkText: link ? link.textContent : null,
    liveShown: Array.from(document.querySelectorAll(".conv-explorer > form, .cx-grids, .cx-steps"))
      .filter((e) => e.getClientRects().length > 0).length,
  };
}
"""


def _numbers(rows: list[list[str]]) -> list[list[float]]:
    return [[float(v.replace("\u2212", "-")) for v in row] for row in rows]


def test_explorer_prints_its_state_as_tables(browser: Any, base_url: str) -> None:
    page, visit = printed.open_printed(browser, base_url, f"explorer.html?{STATE}")
    try:
        summary = page.evaluate(_PRINT_SUMMARY)
        assert summary is not None, "no print summary in the explorer"
        assert summary["shown"], "the print summary does not print"
        assert summary["liveShown"] == 0, "the live form prints"
        # padding 1x0 on a 6x5 input: the printed input grid is the padded 8x5 one.
        x, w, y = (_numbers(summary[k]) for k in ("input", "kernel", "output"))
        assert (len(x), len(x[0]), len(w), len(w[0])) == (8, 5, 3, 2)
        assert all(v == 0 for v in x[0] + x[-1]), "padding rows are not zero"
        expected = [
            [
                sum(x[2 * i + u][j + v] * w[u][v] for u in range(3) for v in range(2))
                for j in range(4)
            ]
            for i in range(3)
        ]  # floor((6 + 2 - 3) / 2) + 1 = 3 rows, 5 - 2 + 1 = 4 columns
        assert y == expected
        assert re.search(r"= 3\b", summary["size"]), summary["size"]
        assert re.search(r"= 4\b", summary["size"]), summary["size"]
        assert summary["linkText"].startswith("explorer.html?mode=correlate")
        state = page.evaluate("() => window.convExplorer.instances[0].state")
    finally:
        page.context.close()
    # The permalink reopens the same state.
    again, _ = site_checks.open_page(
        browser, base_url, "explorer.html?" + summary["linkText"].split("?", 1)[1]
    )
    try:
        reopened = again.evaluate("() => window.convExplorer.instances[0].state")
    finally:
        again.context.close()
    assert reopened == state
    assert (
        urllib.parse.urlsplit(summary["href"]).query
        == urllib.parse.urlsplit(summary["linkText"]).query
    )
    assert not visit.problems()


def test_explorer_print_summary_follows_an_edit(browser: Any, base_url: str) -> None:
    """Changing the state redraws the printed tables (not only at load)."""
    page, _ = printed.open_printed(browser, base_url, f"explorer.html?{STATE}")
    try:
        page.evaluate(
            """() => { const e = window.convExplorer.instances[0];
                 const s = e.state; s.x[0][0] = 40; e.set(s, false); }"""
        )
        page.wait_for_timeout(100)
        summary = page.evaluate(_PRINT_SUMMARY)
    finally:
        page.context.close()
    x = _numbers(summary["input"])
    assert x[1][0] == 40  # row 0 of the input, below one padding row
