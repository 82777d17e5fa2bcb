"""Reproducibility check: two clean builds must make the same images, byte for byte.

The site is built twice, each time from its own fresh copy of the checkout
(sources only: no gallery output, no notebook cache, no doctrees) into its
own output folder, with ``sphinx-build -W``; the catalog is rendered twice
(``conv-explained catalog --out DIR``). Then every generated image is
compared:

* each image a page shows (``<img src>``, ``<source srcset>``), page by page
  and in document order, so that images named by a hash of their content
  (MyST-NB's) are paired with their counterpart;
* every other PNG/GIF/SVG of the built site (sphinx-gallery's, outside
  ``_static``), of the gallery output (``docs/auto_gallery``) and of the
  figures pages write (``docs/_generated``), by path;
* every file of the catalog, manifest included, by path.

An image inside an element of class ``measured`` (e.g. a ``glue:figure``
with ``:figclass: measured``, or the output of a code cell tagged
``measured``: a plot of timings taken while the page was built) cannot
repeat and is skipped, and listed as skipped.

Any difference is printed (and whether the pixels differ or only the file's
bytes) and the exit status is 1.

Usage::

    python tools/check_repro.py [--workdir DIR] [--keep] [--only site|catalog]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _copy import ROOT, copy_checkout

IMAGE_SUFFIXES = {".png", ".gif", ".svg", ".jpg", ".jpeg", ".webp"}
#: Names that are a hash of the content (MyST-NB's images): paired through pages.
HASHED = re.compile(r"^[0-9a-f]{32,64}\.\w+$")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}
#: The class of a measured figure, and the one MyST-NB gives a cell tagged ``measured``.
MEASURED = frozenset({"measured", "tag_measured"})


class _Images(HTMLParser):
    """Image URLs of a page in document order, and whether each is inside ``.measured``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = values.get("class", "").split()
        measured = (self.stack and self.stack[-1][1]) or any(c in MEASURED for c in classes)
        if tag == "img" and values.get("src"):
            self.found.append((values["src"], bool(measured)))
        if tag == "source" and values.get("srcset"):
            for candidate in values["srcset"].split(","):
                if candidate.strip():
                    self.found.append((candidate.strip().split()[0], bool(measured)))
        if tag not in VOID:
            self.stack.append((tag, bool(measured)))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return


def page_images(html_root: Path) -> tuple[dict[str, Path], list[str]]:
    """``{"page.html#3": file}`` for every image shown, and the keys of skipped ones.

    The key is the page and the image's place on it, not the file's name:
    MyST-NB names an image by a hash of its content, so a changed image has
    another name, and only its place pairs it with its counterpart.
    """
    shown: dict[str, Path] = {}
    skipped: list[str] = []
    for page in sorted(html_root.rglob("*.html")):
        rel = page.relative_to(html_root).as_posix()
        if rel.startswith(("_static/", "_sources/")):
            continue
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        for index, (url, measured) in enumerate(parser.found):
            parts = urllib.parse.urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("data:"):
                continue
            key = f"{rel}#{index}"
            if measured:
                skipped.append(key)
                continue
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(rel), urllib.parse.unquote(parts.path))
            )
            shown[key] = html_root / target
    return shown, skipped


def files_by_path(root: Path, *, images_only: bool, skip: tuple[str, ...] = ()) -> dict[str, Path]:
    """Files under ``root`` by relative path (images only, if asked; hashed names left out)."""
    found = {}
    if not root.is_dir():
        return found
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith(skip):
            continue
        if images_only and (path.suffix.lower() not in IMAGE_SUFFIXES or HASHED.match(path.name)):
            continue
        found[rel] = path
    return found


def _pixels(path: Path) -> bytes | None:
    """Decoded RGBA pixels of every frame (None if Pillow cannot read it)."""
    try:
        from PIL import Image, ImageSequence

        with Image.open(path) as image:
            return b"".join(
                frame.convert("RGBA").tobytes() for frame in ImageSequence.Iterator(image)
            )
    except Exception:  # noqa: BLE001 - SVG and the like: bytes only
        return None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def compare(kind: str, a: dict[str, Path], b: dict[str, Path]) -> list[str]:
    """Differences between two ``{key: file}`` maps, one line each."""
    problems = []
    for key in sorted(set(a) - set(b)):
        problems.append(f"{kind}: {key} ({a[key].name}) only in the first build")
    for key in sorted(set(b) - set(a)):
        problems.append(f"{kind}: {key} ({b[key].name}) only in the second build")
    for key in sorted(set(a) & set(b)):
        fa, fb = a[key], b[key]
        if not fa.is_file() or not fb.is_file():
            problems.append(f"{kind}: {key} is missing ({fa if not fa.is_file() else fb})")
            continue
        da, db = fa.read_bytes(), fb.read_bytes()
        if da == db:
            continue
        pa, pb = _pixels(fa), _pixels(fb)
        how = (
            "same pixels, different bytes (metadata or encoding)"
            if pa is not None and pa == pb
            else "different pixels"
            if pa is not None
            else "different bytes"
        )
        names = fa.name if fa.name == fb.name else f"{fa.name} vs {fb.name}"
        problems.append(
            f"{kind}: {key} ({names}) differs: {how}; {len(da)} bytes {_digest(fa)} vs "
            f"{len(db)} bytes {_digest(fb)}"
        )
    return problems


def _environment(copy: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if copy is not None:  # import the copy's package, not the installed one
        env["PYTHONPATH"] = str(copy) + (
            os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
        )
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(argv: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    start = time.perf_counter()
    with log.open("w") as out:
        result = subprocess.run(
            argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise SystemExit(
            f"{' '.join(argv)} failed ({result.returncode}) in {seconds:.0f} s:\n{tail}"
        )
    return seconds


def build_site(work: Path, label: str) -> tuple[Path, Path]:
    """A clean build in ``work/label``; returns (the copy, its HTML output)."""
    copy = copy_checkout(work / label / "src")
    html = work / label / "html"
    argv = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html",
            "-d", str(work / label / "doctrees"), "docs", str(html)]  # fmt: skip
    seconds = _run(argv, copy, _environment(copy), work / label / "sphinx.log")
    print(f"site build {label}: {seconds:.0f} s", flush=True)
    return copy, html


def render_catalog(work: Path, label: str) -> Path:
    """``conv-explained catalog --out work/catalog_<label>``, in its own process."""
    out = work / f"catalog_{label}"
    argv = [sys.executable, "-m", "conv_explained.cli", "catalog", "--out", str(out)]
    seconds = _run(argv, work, _environment(ROOT), work / f"catalog_{label}.log")
    print(f"catalog {label}: {seconds:.0f} s", flush=True)
    return out


def _both(make: Any, work: Path) -> tuple[Any, Any]:
    """``make(work, "a")`` and ``make(work, "b")`` at once, each in its own process.

    The builds share nothing but the machine (each has its own copy, output
    and doctrees), and they are mostly one core's work each: side by side on
    two cores they take about the time of one.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.submit(make, work, "a"), pool.submit(make, work, "b")
        return a.result(), b.result()


def main(argv: list[str] | None = None) -> int:
    """Build twice, compare, print the differences; 0 only if there are none."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, help="where to build (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the builds")
    parser.add_argument("--only", choices=("site", "catalog"), help="check only one of the two")
    parser.add_argument(
        "--compare-only",
        action="store_true",
        help="build nothing: compare the builds kept in --workdir by an earlier --keep run",
    )
    args = parser.parse_args(argv)
    if args.compare_only and not args.workdir:
        parser.error("--compare-only needs --workdir")

    work = args.workdir or Path(tempfile.mkdtemp(prefix="conv_explained_repro_"))
    if args.workdir and not args.compare_only:
        if work.exists() and any(work.iterdir()):
            parser.error(f"--workdir {work} must be empty or new")
        work.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    compared = 0
    try:
        if args.only in (None, "catalog"):
            if args.compare_only:
                cat_a, cat_b = work / "catalog_a", work / "catalog_b"
            else:
                cat_a, cat_b = _both(render_catalog, work)
            a = files_by_path(cat_a, images_only=False)
            b = files_by_path(cat_b, images_only=False)
            if "manifest.json" not in a or not any(k.endswith(".gif") for k in a):
                problems.append(f"catalog: no manifest.json or no GIF in {cat_a}")
            problems += compare("catalog", a, b)
            compared += len(a)
        if args.only in (None, "site"):
            if args.compare_only:
                src_a, html_a = work / "a" / "src", work / "a" / "html"
                src_b, html_b = work / "b" / "src", work / "b" / "html"
            else:
                (src_a, html_a), (src_b, html_b) = _both(build_site, work)
            shown_a, skipped_a = page_images(html_a)
            shown_b, skipped_b = page_images(html_b)
            if not any(str(p).endswith(".gif") for p in shown_a.values()):
                problems.append("site: no page shows a GIF: nothing animated was compared")
            problems += compare("page image", shown_a, shown_b)
            if skipped_a != skipped_b:
                problems.append(
                    f"site: skipped (measured) images differ: {skipped_a} vs {skipped_b}"
                )
            pairs = [
                (files_by_path(html_a, images_only=True, skip=("_static/",)),
                 files_by_path(html_b, images_only=True, skip=("_static/",)), "site file"),
                (files_by_path(src_a / "docs" / "auto_gallery", images_only=True),
                 files_by_path(src_b / "docs" / "auto_gallery", images_only=True), "gallery output"),
                (files_by_path(src_a / "docs" / "_generated", images_only=True),
                 files_by_path(src_b / "docs" / "_generated", images_only=True), "page figure"),
            ]  # fmt: skip
            for a, b, kind in pairs:
                problems += compare(kind, a, b)
                compared += len(a)
            compared += len(shown_a)
            for key in skipped_a:
                print(f"skipped (measured while building): {key}")
    finally:
        if args.keep:
            print(f"builds kept in {work}")
        elif not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    for line in problems:
        print(line)
    if problems:
        print(f"NOT reproducible: {len(problems)} difference(s) in {compared} files compared")
        return 1
    print(f"reproducible: {compared} files compared, all identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
