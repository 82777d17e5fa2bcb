"""The guide's PDF (``docs/_build/pdf/conv_explained.pdf``, made by ``nox -s pdf``).

What the PDF must hold is read from the built site, never typed here: the
pages (the landing page's toctrees and the gallery), their titles, the last
heading and paragraph each prints (measured in Chromium), figure captions
with their computed numbers, the images' alt text.
"""

from __future__ import annotations

import ast
import hashlib
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import printed
import pytest
import site_checks

ROOT = site_checks.ROOT
PAGES = (
    printed.guide_pages(site_checks.SITE) if (site_checks.SITE / "index.html").is_file() else []
)


def _entry(record: dict[str, Any], rel: str) -> dict[str, Any]:
    found = [e for e in record["entries"] if e["rel"] == rel]
    assert found, f"{rel} is not in the PDF"
    return found[0]


def test_pdf_holds_every_page_of_the_guide(record: dict[str, Any]) -> None:
    held = [e["rel"] for e in record["entries"]]
    assert [p for p in PAGES if p not in held] == []
    # Reading order: the landing page's toctrees first, the gallery after them.
    toc = [p for p in PAGES if not p.startswith("auto_gallery/")]
    assert [p for p in held if p in toc] == toc
    gallery = [n for n, p in enumerate(held) if p.startswith("auto_gallery/")]
    assert gallery
    assert min(gallery) > max(held.index(p) for p in toc)


def test_pdf_is_small_and_was_built_offline(pdf_path: Path, record: dict[str, Any]) -> None:
    assert record["blocked_requests"] == 0
    assert pdf_path.stat().st_size <= 25e6


@pytest.fixture(scope="session")
def outline(pdf: Any) -> list[tuple[str, int, int]]:
    return printed.outline_entries(pdf)


@pytest.mark.parametrize("rel", PAGES)
def test_outline_has_an_entry_for_every_page(
    site: Path, pdf: Any, outline: list[tuple[str, int, int]], rel: str
) -> None:
    title = printed.page_title(site, rel)
    entries = [(t, page) for t, page, _ in outline if t == title]
    assert entries, f"no outline entry {title!r} for {rel}"
    # It points at the page that starts with that title.
    text = printed.squash(printed.pdf_text(pdf, entries[0][1], 1))  # footer left out
    assert printed.squash(title) in text


@pytest.mark.parametrize("rel", PAGES)
def test_pdf_holds_the_last_heading_and_paragraph_of_every_page(
    measure: Any, pdf: Any, record: dict[str, Any], site: Path, rel: str
) -> None:
    last = measure(rel)["last"]
    assert last["heading"] == last["lastHeadingInSource"], "the last heading does not print"
    entry = _entry(record, rel)
    text = printed.squash(printed.pdf_text(pdf, entry["first_page"], entry["pages"]))
    assert printed.squash(printed.page_title(site, rel)) in text, "the page title is missing"
    assert printed.squash(last["heading"]) in text, f"last heading {last['heading']!r} missing"
    assert last["paragraph"], "no printed paragraph"
    position = 0
    for run in last["paragraph"]:
        squashed = printed.squash(run)
        if not squashed:
            continue
        found = printed.find_across_pages(text, squashed, position)
        assert found >= 0, f"last paragraph's text {run!r} missing from the PDF"
        position = found


# Named figures whose captions hold numbers the build computes: (page, the
# caption's first words). The caption's text is read from the built page.
NAMED_CAPTIONS = [
    ("receptive_fields.html", "Top: with circular padding"),
    ("receptive_fields.html", "The shapes through three"),
    ("signal_processing.html", "Left: linear convolution"),
    ("receptive_fields.html", "Gradient of the centre output unit"),
    ("signal_processing.html", "Template matching by FFT"),
]


@pytest.mark.parametrize(("rel", "start"), NAMED_CAPTIONS)
def test_pdf_holds_the_computed_numbers_of_figure_captions(
    measure: Any, pdf: Any, record: dict[str, Any], rel: str, start: str
) -> None:
    captions = [runs for runs in measure(rel)["captions"] if runs and runs[0].startswith(start)]
    assert len(captions) == 1, f"{rel}: no printed caption starting {start!r}"
    runs = captions[0]
    numbers = [n for run in runs for n in printed.numbers_in(run)]
    assert numbers, f"{rel}: caption {start!r} holds no number"
    entry = _entry(record, rel)
    text = printed.squash(printed.pdf_text(pdf, entry["first_page"], entry["pages"]))
    position = 0
    for run in runs:  # the caption's text (numbers included), in order
        found = text.find(printed.squash(run), position)
        assert found >= 0, f"{rel}: caption text {run!r} missing from the PDF"
        position = found + len(printed.squash(run))


def _struct_alts(pdf: Any) -> list[str]:
    root = pdf.trailer["/Root"]["/StructTreeRoot"].get_object()
    alts: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure" and "/Alt" in node:
            alts.append(" ".join(str(node["/Alt"]).split()))
        kids = node.get("/K")
        kids = kids.get_object() if hasattr(kids, "get_object") else kids
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(root["/K"])
    return alts


def test_pdf_is_tagged_and_carries_every_printed_alt_text(measure: Any, pdf: Any) -> None:
    assert pdf.trailer["/Root"]["/MarkInfo"]["/Marked"]
    alts = set(_struct_alts(pdf))
    missing = []
    for rel in PAGES:
        shown = measure(rel)["alts"]
        assert shown or "<img" not in (site_checks.SITE / rel).read_text(encoding="utf-8")
        missing += [f"{rel}: {alt[:60]!r}" for alt in shown if alt and alt not in alts]
    assert not missing, f"{len(missing)} alt texts not in the PDF's structure: {missing[:5]}"


def test_links_point_inside_the_pdf(pdf: Any, record: dict[str, Any]) -> None:
    """No link points at a file; the contents' links land on each page's first sheet."""
    starts = {e["first_page"] for e in record["entries"]}
    index = {page.indirect_reference.idnum: n for n, page in enumerate(pdf.pages)}
    contents_targets = []
    for number, page in enumerate(pdf.pages):
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            uri = annot.get("/A", {}).get("/URI")
            assert uri is None or not str(uri).startswith("file:"), f"page {number + 1}: {uri}"
            if number < record["entries"][0]["first_page"] and "/Dest" in annot:
                contents_targets.append(index[annot["/Dest"][0].idnum])
    assert sorted(contents_targets) == sorted(starts)


def test_title_page_names_the_package_version(pdf: Any) -> None:
    # The version from the package's source, not from the site the PDF was printed from.
    source = (ROOT / "conv_explained" / "__init__.py").read_text(encoding="utf-8")
    version = next(
        node.value.value
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", None) == "__version__" for t in node.targets)
    )
    title_page = pdf.pages[0].extract_text()
    assert f"Version {version}:" in title_page, f"title page: {title_page!r}"


def test_pages_are_numbered_in_the_footer(pdf: Any, record: dict[str, Any]) -> None:
    numbers = [printed.footer_number(pdf, n) for n in range(len(pdf.pages))]
    assert numbers == list(range(1, len(pdf.pages) + 1))


def test_fonts_are_embedded(pdf: Any) -> None:
    def embedded(font: Any) -> bool:
        font = font.get_object()
        if font.get("/Subtype") == "/Type3":
            return True
        if font.get("/Subtype") == "/Type0":
            return all(embedded(d) for d in font["/DescendantFonts"])
        descriptor = font.get("/FontDescriptor")
        return descriptor is not None and any(
            k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )

    fonts = {}
    for page in pdf.pages:
        for name, font in page["/Resources"].get_object().get("/Font", {}).items():
            fonts[font.idnum if hasattr(font, "idnum") else name] = font
    assert fonts
    assert [k for k, f in fonts.items() if not embedded(f)] == []


def test_structure_parent_keys_are_dense_and_resolve(pdf: Any) -> None:
    # Each page's /StructParents and each link's /StructParent is a key of the
    # parent tree, the keys are 0..N-1 with none left over, and a link's key
    # leads to the element that holds that link (an /OBJR of it).
    root = pdf.trailer["/Root"]["/StructTreeRoot"].get_object()
    nums = root["/ParentTree"].get_object()["/Nums"]
    tree = {int(nums[n]): nums[n + 1] for n in range(0, len(nums), 2)}
    assert sorted(tree) == list(range(len(tree)))
    assert int(root["/ParentTreeNextKey"]) == len(tree)
    used = []
    for number, page in enumerate(pdf.pages):
        if "/StructParents" in page:
            key = int(page["/StructParents"])
            assert isinstance(tree.get(key).get_object(), list), f"page {number + 1}: {key}"
            used.append(key)
        for annot in page.get("/Annots", []):
            if "/StructParent" not in annot.get_object():
                continue
            key = int(annot.get_object()["/StructParent"])
            elem = tree[key].get_object()
            kids = elem["/K"]
            kids = kids if isinstance(kids, list) else [kids]
            objrs = [k.get_object() for k in kids if hasattr(k.get_object(), "get")]
            assert any(
                o.get("/Type") == "/OBJR" and o.raw_get("/Obj").idnum == annot.idnum for o in objrs
            ), f"page {number + 1}: link key {key} leads to an element without that link"
            used.append(key)
    assert sorted(used) == list(range(len(tree))), "a parent-tree key that nothing uses"


def test_landing_page_links_the_pdf(site: Path, pdf_path: Path) -> None:
    page = site_checks.parse(site / "index.html")
    assert any(url == "conv_explained.pdf" for _, _, url, _ in page.refs)
    assert (site / "conv_explained.pdf").read_bytes() == pdf_path.read_bytes()


def test_two_builds_give_the_same_bytes(
    pdf_path: Path, second_print: subprocess.Popen[bytes] | None
) -> None:
    # The second print (conftest.second_print) started with the session and is
    # kept beside the first (docs/_build/pdf/conv_explained.second.pdf) to compare on failure.
    assert second_print is not None
    output, _ = second_print.communicate()
    assert second_print.returncode == 0, output.decode(errors="replace")[-2000:]
    again = pdf_path.with_name("conv_explained.second.pdf")
    first, second = pdf_path.read_bytes(), again.read_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    # The dates are pinned (the document information may sit in a compressed object stream).
    import pikepdf

    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:19700101000000Z"
        assert str(pdf.docinfo["/ModDate"]) == "D:19700101000000Z"


def test_build_pdf_examples_hold() -> None:
    # The examples in tools/build_pdf.py's docstrings (the XObject renaming among
    # them) run here, where pikepdf and pypdf are installed.
    import doctest
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_pdf", ROOT / "tools" / "build_pdf.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_pdf", module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 1
    assert result.failed == 0
