"""Checks of a built static site, as a reader's browser sees it.

Every check takes the site's folder (and, for the browser checks, a Playwright
browser and the address the folder is served at) and returns a list of
problems, one readable line each; an empty list means the check passed. The
same functions run against the real site (``test_site.py``) and against tiny
broken sites built in a temporary folder (``test_checkers.py``), which shows
that each check fails when it should.

Static checks (the HTML files alone, parsed with :mod:`html.parser`):

* :func:`check_links`: every internal link, resource and ``#anchor`` resolves;
* :func:`check_alt_texts`: every ``<img>`` has meaningful alt text;
* :func:`check_downloads`: each gallery example offers its ``.py`` and
  ``.ipynb``, and both are valid.

Browser checks (headless Chromium driven by Playwright, the site served over
HTTP on 127.0.0.1, every other address blocked and counted):

* :func:`check_page`: the page loads with no console error, page error,
  failed or external request; every image decodes; every GIF has more than
  one frame; every formula is typeset by MathJax, without a TeX error;
* :func:`check_accessibility`: axe-core finds no serious or critical
  violation, and the alt texts are meaningful in the live DOM too;
* :func:`check_reduced_motion`: an animation shows its still under
  ``prefers-reduced-motion: reduce`` and the GIF otherwise;
* :func:`check_search`: the search page lists results for a word.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import os
import posixpath
import re
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

#: The project's checkout, the built site and where screenshots go (both can be
#: moved with environment variables, e.g. to check another build).
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from chromium import CHROMIUM, CHROMIUM_ARGS

SITE = Path(os.environ.get("CONV_EXPLAINED_SITE", ROOT / "docs" / "_build" / "html"))
SCREENSHOTS = Path(
    os.environ.get("CONV_EXPLAINED_SCREENSHOTS", ROOT / "docs" / "_build" / "screenshots")
)


def fail_on(problems: list[str], *, shown: int | None = None) -> None:
    """Fail the test with the problems listed (all, or the first ``shown``), if any."""
    import pytest

    if problems:
        cut = problems if shown is None else problems[:shown]
        more = f"\n... and {len(problems) - len(cut)} more" if len(cut) < len(problems) else ""
        text = "\n".join(cut) + more
        pytest.fail(f"{len(problems)} problem(s):\n{text}", pytrace=False)


#: Folders of a Sphinx build that hold no pages a reader visits.
NOT_PAGES = ("_static", "_sources", "_downloads", "_images", ".doctrees", "_sphinx_design_static")

#: axe-core impacts that fail a page.
BLOCKING_IMPACTS = ("serious", "critical")

#: Alt text that only names a file, e.g. "_images/abc.png" or "plot.gif".
_FILE_NAME = re.compile(r"^[\w./\\-]*\.(png|gif|svg|jpe?g|webp|avif|bmp)$", re.IGNORECASE)
#: Alt text that says nothing about the picture.
_PLACEHOLDER = re.compile(r"^(image|img|picture|figure|graphic|photo|thumbnail|icon|gif|png)s?$")

#: How long to wait for a page's images and math, in milliseconds.
TIMEOUT_MS = 30_000


# --------------------------------------------------------------------------
# The HTML files
# --------------------------------------------------------------------------


def html_pages(root: Path) -> list[str]:
    """Every page of the site, as POSIX paths relative to ``root``, sorted."""
    pages = []
    for path in root.rglob("*.html"):
        rel = path.relative_to(root)
        if rel.parts[0] in NOT_PAGES:
            continue
        pages.append(rel.as_posix())
    return sorted(pages)


@dataclass
class Page:
    """What the static checks need from one HTML file."""

    ids: set[str] = field(default_factory=set)
    #: ``(tag, attribute, value, line)`` for every URL the page refers to.
    refs: list[tuple[str, str, str, int]] = field(default_factory=list)
    #: The attributes of every ``<img>``, with ``"line"`` added.
    images: list[dict[str, str]] = field(default_factory=list)
    #: ``<a download href=...>`` targets.
    downloads: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    _URL_ATTRS = frozenset({"href", "src", "poster", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        line = self.getpos()[0]
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        for name, value in values.items():
            if name in self._URL_ATTRS and value:
                self.page.refs.append((tag, name, value, line))
            elif name == "srcset" and value:
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.page.refs.append((tag, name, url, line))
        if tag == "img":
            self.page.images.append({**values, "line": str(line)})
        if tag == "a" and "download" in values and values.get("href"):
            self.page.downloads.append(values["href"])

    handle_startendtag = handle_starttag


@functools.lru_cache(maxsize=512)
def _parse_cached(path: str, mtime_ns: int, size: int) -> Page:
    parser = _Parser()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def parse(path: Path) -> Page:
    """Parse one HTML file (cached until the file changes)."""
    stat = path.stat()
    return _parse_cached(str(path), stat.st_mtime_ns, stat.st_size)


def _is_external(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "file")


def _resolve(root: Path, page: str, url: str) -> tuple[Path, str]:
    """The file a relative ``url`` on ``page`` points to, and its fragment."""
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = path.lstrip("/")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    file = root / target
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file, urllib.parse.unquote(parts.fragment)


#: Files another session adds to the site: the guide's PDF exists only after `nox -s pdf`.
MADE_LATER = frozenset({"conv_explained.pdf"})


def _missing(root: Path, file: Path, where: str) -> list[str]:
    """The problem of a link to a file that is not there ([] for one made later)."""
    target = file.relative_to(root).as_posix()
    return [] if target in MADE_LATER else [f"{where}: no such file {target}"]


def check_links(root: Path, pages: list[str] | None = None) -> list[str]:
    """Internal links, resources and anchors that do not resolve.

    Every ``href``/``src``/``srcset`` without a scheme must name a file of the
    site (a folder means its ``index.html``), and a ``#fragment`` into an
    HTML page must be an ``id`` (or ``<a name>``) of that page. A resource
    (script, style sheet, image, ...) from another host is a problem too: the
    site must work offline. Links (``<a href>``) to other sites are allowed:
    nothing is fetched until a reader follows them.
    """
    problems = []
    for rel in html_pages(root) if pages is None else pages:
        page = parse(root / rel)
        for tag, attr, url, line in page.refs:
            where = f"{rel}:{line}: <{tag} {attr}={url!r}>"
            if url.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue
            if _is_external(url):
                if not (tag == "a" and attr == "href"):
                    problems.append(f"{where}: resource from another host")
                continue
            if tag == "link" and attr == "href" and url.startswith("#"):
                continue
            file, fragment = _resolve(root, rel, url)
            if ".." in file.relative_to(root).parts:
                problems.append(f"{where}: points outside the site")
                continue
            if not file.is_file():
                problems.extend(_missing(root, file, where))
                continue
            if fragment and file.suffix == ".html" and fragment not in parse(file).ids:
                target = file.relative_to(root).as_posix()
                problems.append(f"{where}: no id {fragment!r} in {target}")
    return problems


def alt_problem(alt: str | None, src: str) -> str | None:
    """Why ``alt`` is not meaningful alt text for an image from ``src`` (None if it is).

    Examples
    --------
    >>> alt_problem("A 3x3 kernel slides over a 5x5 input.", "a.gif") is None
    True
    >>> alt_problem("", "a.gif")
    'empty alt text'
    >>> alt_problem("_images/0ea1699e.png", "_images/0ea1699e.png")
    "alt text is a file name: '_images/0ea1699e.png'"
    """
    if alt is None:
        return "no alt attribute"
    text = " ".join(alt.split())
    if not text:
        return "empty alt text"
    base = posixpath.basename(urllib.parse.urlsplit(src).path)
    if _FILE_NAME.match(text) or text in (src, base, posixpath.splitext(base)[0]):
        return f"alt text is a file name: {text!r}"
    if _PLACEHOLDER.match(text.lower()):
        return f"alt text says nothing: {text!r}"
    return None


def check_alt_texts(root: Path, pages: list[str] | None = None) -> list[str]:
    """``<img>`` elements whose alt text is missing, empty, a file name or a placeholder."""
    problems = []
    for rel in html_pages(root) if pages is None else pages:
        for image in parse(root / rel).images:
            problem = alt_problem(image.get("alt"), image.get("src", ""))
            if problem:
                problems.append(
                    f"{rel}:{image['line']}: <img src={image.get('src')!r}>: {problem}"
                )
    return problems


def gallery_examples(root: Path) -> list[str]:
    """The sphinx-gallery example pages (``auto_gallery/**/plot_*.html``)."""
    return [p for p in html_pages(root) if re.search(r"(^|/)plot_[^/]*\.html$", p)]


def check_downloads(root: Path, pages: list[str] | None = None) -> list[str]:
    """Downloads that are missing or broken.

    Each gallery example page must offer its script (``.py``, which must
    compile) and its notebook (``.ipynb``, which must be JSON with code
    cells); any other page's downloads (e.g. a page's notebook) must exist
    and, for notebooks, parse.
    """
    problems = []
    examples = set(gallery_examples(root))
    for rel in html_pages(root) if pages is None else pages:
        offered = {}
        for url in parse(root / rel).downloads:
            file, _ = _resolve(root, rel, url)
            offered[file.suffix] = file
            if not file.is_file():
                problems.append(f"{rel}: download {url!r}: no such file")
                continue
            problem = _download_problem(file)
            if problem:
                problems.append(f"{rel}: download {url!r}: {problem}")
        if rel in examples:
            problems.extend(
                f"{rel}: offers no {suffix} download"
                for suffix in (".py", ".ipynb")
                if suffix not in offered
            )
    return problems


def _download_problem(file: Path) -> str | None:
    data = file.read_bytes()
    if not data.strip():
        return "empty file"
    if file.suffix == ".py":
        try:
            compile(data, str(file), "exec")
        except SyntaxError as error:
            return f"does not compile: {error}"
    if file.suffix == ".ipynb":
        try:
            notebook = json.loads(data)
        except ValueError as error:
            return f"not JSON: {error}"
        cells = notebook.get("cells") if isinstance(notebook, dict) else None
        if not isinstance(cells, list) or not any(c.get("cell_type") == "code" for c in cells):
            return "a notebook with no code cell"
    return None


# --------------------------------------------------------------------------
# Serving the site
# --------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    #: Headers added to every response (a Content-Security-Policy, say).
    extra_headers: Mapping[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser hung up mid-download: the player swaps a GIF for its
        # poster and so cancels the GIF (see cancelled_by_page). Not an error
        # of the site; anything else is still printed.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(root: Path, headers: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 at a free port; yields the base URL (ending in /).

    ``headers`` are added to every response.
    """
    handler_class = type("_Handler", (_QuietHandler,), {"extra_headers": dict(headers or {})})
    handler = functools.partial(handler_class, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, with nothing reaching out on its own."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# --------------------------------------------------------------------------
# Visiting a page
# --------------------------------------------------------------------------


@dataclass
class Visit:
    """What happened while one page loaded."""

    url: str
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        found = []
        if self.status != 200:
            found.append(f"HTTP status {self.status}")
        found += [f"console error: {m}" for m in self.console_errors]
        found += [f"page error: {m}" for m in self.page_errors]
        found += [f"failed request: {m}" for m in self.failed_requests]
        found += [f"external request (blocked): {m}" for m in self.external_requests]
        return found


def _is_local(url: str, base: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    parts, home = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    return (parts.scheme, parts.netloc) == (home.scheme, home.netloc)


def cancelled_by_page(request: Any) -> bool:
    """An image download the page itself gave up on: not a failed request.

    The player swaps each GIF for its poster (or its dark rendering) as it
    starts, which cancels the GIF's download when it is still under way. A
    missing file is a 404 response, never an abort.
    """
    return bool(request.resource_type == "image" and request.failure == "net::ERR_ABORTED")


def open_page(
    browser: Any, base: str, rel: str, *, reduced_motion: str | None = None
) -> tuple[Any, Visit]:
    """Load ``base + rel`` in a fresh context; returns the page and the record of its load.

    Requests to anything but the local server are aborted and recorded. The
    caller closes ``page.context``. Lazy images are switched to eager and
    awaited, so that every image has loaded (or failed) on return.
    """
    url = urllib.parse.urljoin(base, rel)
    visit = Visit(url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if reduced_motion is not None:
        page.emulate_media(reduced_motion=reduced_motion)

    def route(route: Any) -> None:
        request_url = route.request.url
        if _is_local(request_url, base):
            route.continue_()
        else:
            visit.external_requests.append(request_url)
            route.abort()

    page.route("**/*", route)
    page.on(
        "console",
        lambda msg: visit.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))

    def failed(request: Any) -> None:
        if not _is_local(request.url, base):  # blocked external ones are counted apart
            return
        if cancelled_by_page(request):
            return
        visit.failed_requests.append(f"{request.url} ({request.failure})")

    page.on("requestfailed", failed)
    page.on(
        "response",
        lambda response: (
            visit.failed_requests.append(f"{response.url} (HTTP {response.status})")
            if response.status >= 400
            else None
        ),
    )
    response = page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
    visit.status = response.status if response is not None else None
    page.evaluate(_LOAD_ALL_IMAGES, TIMEOUT_MS)
    return page, visit


_LOAD_ALL_IMAGES = """
async (timeout) => {
  const images = Array.from(document.images);
  for (const img of images) { if (img.loading === "lazy") img.loading = "eager"; }
  const settle = (img) => img.complete ? Promise.resolve() : new Promise((resolve) => {
    img.addEventListener("load", resolve, {once: true});
    img.addEventListener("error", resolve, {once: true});
  });
  await Promise.race([
    Promise.all(images.map(settle)),
    new Promise((resolve) => setTimeout(resolve, timeout)),
  ]);
}
"""

_IMAGES = """
() => Array.from(document.images).map((img) => ({
  src: img.getAttribute("src") || "",
  currentSrc: img.currentSrc,
  alt: img.getAttribute("alt"),
  complete: img.complete,
  naturalWidth: img.naturalWidth,
  inPicture: !!(img.parentElement && img.parentElement.tagName === "PICTURE"),
  poster: (img.closest(".ce-player") || {dataset: {}}).dataset.cePoster || null,
}))
"""

_MATH = """
async (timeout) => {
  const formulas = Array.from(document.querySelectorAll(".math"));
  if (formulas.length === 0) return {formulas: 0};
  const start = Date.now();
  while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
    if (Date.now() - start > timeout) return {formulas: formulas.length, loaded: false};
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await MathJax.startup.promise;
  return {
    formulas: formulas.length,
    loaded: true,
    containers: document.querySelectorAll("mjx-container").length,
    untypeset: formulas.filter((f) => !f.querySelector("mjx-container"))
                       .map((f) => f.textContent.trim().slice(0, 80)),
    errors: Array.from(document.querySelectorAll("mjx-merror"))
                 .map((e) => (e.getAttribute("data-mjx-error") || e.textContent).slice(0, 120)),
  };
}
"""


def gif_frames(data: bytes) -> int:
    """Number of frames of a GIF (Pillow merges identical neighbours, as browsers show them)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return getattr(image, "n_frames", 1)


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT_MS / 1000) as response:
        return response.read()


def page_problems(page: Any, visit: Visit) -> list[str]:
    """Everything wrong with a loaded page (see :func:`check_page`)."""
    problems = visit.problems()
    gifs = set()
    for image in page.evaluate(_IMAGES):
        shown = image["currentSrc"] or image["src"]
        if not (image["complete"] and image["naturalWidth"] > 0):
            problems.append(f"image does not decode: {image['src']!r}")
        elif urllib.parse.urlsplit(shown).path.lower().endswith(".gif"):
            gifs.add(shown)
    for url in sorted(gifs):
        if _is_local(url, visit.url):
            frames = gif_frames(_fetch(url))
            if frames < 2:
                problems.append(f"GIF is not animated ({frames} frame): {url}")
    math = page.evaluate(_MATH, TIMEOUT_MS)
    if math["formulas"]:
        if not math["loaded"]:
            problems.append(f"MathJax never loaded; {math['formulas']} formulas left as TeX")
        else:
            if not math["containers"]:
                problems.append("no mjx-container: MathJax typeset nothing")
            problems += [f"formula not typeset: {tex!r}" for tex in math["untypeset"]]
            problems += [f"TeX error: {error!r}" for error in math["errors"]]
    return problems


def check_page(browser: Any, base: str, rel: str) -> list[str]:
    """Load one page as a reader would and list what went wrong.

    No console error, page error, failed (or HTTP >= 400) request and no
    request to another host (those are blocked and counted); every ``<img>``
    has loaded and decoded (``complete && naturalWidth > 0``); every GIF shown
    has more than one frame; every ``.math`` element holds an
    ``mjx-container`` once MathJax has finished, and none is a TeX error.
    """
    page, visit = open_page(browser, base, rel)
    try:
        return page_problems(page, visit)
    finally:
        page.context.close()


def accessibility_problems(page: Any) -> list[str]:
    """axe-core's serious and critical violations on a loaded page, and poor alt texts."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(_MATH, TIMEOUT_MS)  # audit the page as the reader sees it
    results = Axe().run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        shown = ", ".join(targets[:3]) + (
            f" and {len(targets) - 3} more" if len(targets) > 3 else ""
        )
        problems.append(
            f"axe {violation['impact']} {violation['id']}: {violation['help']} ({shown})"
        )
    for image in page.evaluate(_IMAGES):
        problem = alt_problem(image["alt"], image["src"])
        if problem:
            problems.append(f"<img src={image['src']!r}>: {problem}")
    return problems


def check_accessibility(browser: Any, base: str, rel: str) -> list[str]:
    """axe-core's serious and critical violations, and images without meaningful alt text."""
    page, _ = open_page(browser, base, rel)
    try:
        return accessibility_problems(page)
    finally:
        page.context.close()


def audit(browser: Any, base: str, rel: str) -> tuple[list[str], list[str]]:
    """:func:`check_page` and :func:`check_accessibility` on one load of the page."""
    page, visit = open_page(browser, base, rel)
    try:
        return page_problems(page, visit), accessibility_problems(page)
    finally:
        page.context.close()


def check_reduced_motion(browser: Any, base: str, rel: str) -> list[str]:
    """Animations that do not give way to a still under ``prefers-reduced-motion: reduce``.

    Every ``<img>`` inside a ``<picture>`` must show a ``.gif`` by default
    (or, inside an animation player, the player's poster: it starts paused)
    and a ``.png`` when the reader asked for reduced motion; a page may show
    no bare GIF (outside a ``<picture>``) to such a reader.
    """
    problems = []
    for motion, wanted in (("no-preference", ".gif"), ("reduce", ".png")):
        page, _ = open_page(browser, base, rel, reduced_motion=motion)
        try:
            for image in page.evaluate(_IMAGES):
                shown = urllib.parse.urlsplit(image["currentSrc"]).path.lower()
                if motion == "no-preference" and image["poster"]:
                    poster = urllib.parse.urlsplit(image["poster"]).path.lower()
                    if not shown.endswith(poster.rsplit("/", 1)[-1]):
                        problems.append(
                            f"the player of {image['src']!r} does not start paused on its "
                            f"poster {image['poster']!r}: shows {image['currentSrc']!r}"
                        )
                elif image["inPicture"] and not shown.endswith(wanted):
                    problems.append(
                        f"reduced motion {motion!r}: <picture> shows {image['currentSrc']!r}, "
                        f"expected a {wanted} file"
                    )
                elif motion == "reduce" and not image["inPicture"] and shown.endswith(".gif"):
                    problems.append(
                        f"reduced motion 'reduce': bare animated <img> {image['src']!r} "
                        "has no still to fall back on"
                    )
        finally:
            page.context.close()
    return problems


def check_search(browser: Any, base: str, word: str, *, at_least: int = 1) -> list[str]:
    """Fewer than ``at_least`` results on ``search.html?q=word``."""
    page, visit = open_page(browser, base, f"search.html?q={urllib.parse.quote(word)}")
    try:
        problems = visit.problems()
        selector = "#search-results ul.search li"
        # Playwright's TimeoutError when nothing is found: reported below.
        with contextlib.suppress(Exception):
            page.wait_for_selector(selector, timeout=TIMEOUT_MS)
        count = page.locator(selector).count()
        if count < at_least:
            summary = (
                page.locator("#search-results").inner_text()
                if page.locator("#search-results").count()
                else "(no #search-results element)"
            )
            problems.append(
                f"search for {word!r} found {count} results, expected at least {at_least}: "
                f"{' '.join(summary.split())[:200]}"
            )
        return problems
    finally:
        page.context.close()


def fetch_problems(base: str, rel: str, urls: list[str]) -> list[str]:
    """URLs (relative to page ``rel``) that the server does not deliver."""
    problems = []
    page_url = urllib.parse.urljoin(base, rel)
    for url in urls:
        full = urllib.parse.urljoin(page_url, url)
        try:
            if not _fetch(full):
                problems.append(f"{rel}: {url!r} is empty")
        except OSError as error:
            problems.append(f"{rel}: {url!r}: {error}")
    return problems


def screenshot(browser: Any, base: str, rel: str, out: Path) -> Path:
    """A full-page PNG of ``rel`` (after its images and math have loaded) in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    page, _ = open_page(browser, base, rel)
    try:
        page.evaluate(_MATH, TIMEOUT_MS)
        path = out / (rel.replace("/", "__").removesuffix(".html") + ".png")
        page.screenshot(path=str(path), full_page=True)
        return path
    finally:
        page.context.close()
