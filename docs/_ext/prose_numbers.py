"""Build check: no number typed into the prose a reader sees.

Every number a reader takes as a result must come from a computed value: a
cell's output, a ``{glue:text}`` role, a certificate, an animation's caption.
This extension reads the *rendered* prose of every document (MyST pages and
the gallery lessons sphinx-gallery made from the scripts' docstrings and
comments), the catalog's titles and descriptions and the explorer's messages,
and warns (so ``sphinx-build -W`` fails) on each digit that is not on the
short allow-list below.

Read as prose: paragraphs, titles, figure captions, and the alt text an author
writes on a MyST page (a ``{glue:figure}``'s or ``{figure}``'s ``:alt:``, a
cell's ``mystnb.image.alt``). Not prose, so not read: code and its output,
math, inline code, glue results, raw HTML (certificates, pictures), the alt
text of the renderer's pictures and of the gallery's images (written by code
from the drawn arrays), the API reference (docstrings whose examples run as
doctests) and the statements of exercises (their numbers set the problem).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

NUMBER = re.compile(r"(?<![\w.\\^{])\d+(?:[.,]\d+)*(?![\w])")

#: What a digit may be without being a typed result; each entry says why.
ALLOWED = [
    r"\b\d-D\b",  # names of dimensions: 1-D, 2-D, 3-D
    # an example's shape: a 3×3 kernel, a 12 by 12 image, 1×1 as a term
    r"\b\d+\s*(?:[x×]|by)\s*\d+(?:\s*(?:[x×]|by)\s*\d+)*",
    r"\b\d+(?:°|-degree\b)",  # a rotation by 180°, a 180-degree rotation
    r"\b(?:up|down)sampl\w* by \d+\b",  # a setting: upsampling by 2
    r"\b(?:float|int|bfloat)\d+\b|\b\d+-bit\b",  # number formats
    r"\b[01]-based\b",  # index bases
    r"\b(?:19|20)\d\d[a-z]?\b",  # years in citations
    r"\b\d+\.\d+(?:\.\d+)+\b",  # versions (MXNet 1.9.1)
    r"\b[A-Za-z]+-\d+\b",  # compound settings: stride-2, float-64
    r"\b\d+-(?:cell|tap|layer|element|channel|pixel|step|wide|sample)s?\b",  # sizes as adjectives
    # parameter settings of an example: "stride 2", "padding 1", "dilations 1, 2, 4"
    (
        r"\b(?:strides?|padding|dilations?|groups|seed|kernel|window|lengths?|taps?|sizes?|"
        r"layers?|relationships?|channels?|steps?|inputs? of|outputs? of)\s+(?:of\s+)?"
        r"\d+(?:\s*(?:,|and|or|to|–|-)\s*\d+)*"
    ),
    r"\b\d+\s+(?:channels|input channels|output channels|layers|taps)\b",  # setup sizes
    r"\b(?:to|from|holding|numbered)\s+\d+\s+to\s+\d+",  # "the taps 1 to 9": an input's values
    r"\b\d+\.\.\d+\b",  # ranges written 0..8
    r"(?<![\w.])[01](?![\w.,]*\d)",  # 0 and 1 as identities: no padding, unit stride
    r"\b(?:lesson|section|step|exercise|chapter|relationship|figure|part|seed)\s+\d+\b",  # names
    r"\bplot_\d+\w*",  # gallery file names
    r"^\d+\.\s",  # numbered headings and list markers ("2. Same padding ...")
    r"\b(?:for example|e\.g\.)\s+[\dx×]+(?:\s*(?:,|or)\s*[\dx×]+)*",  # an input's example form
    r"\btuple of \d+\b",  # a tuple's length as a type ("a tuple of 2 of them")
]
_ALLOWED = re.compile("|".join(f"(?:{a})" for a in ALLOWED), re.IGNORECASE | re.MULTILINE)

#: Quotations of the sources, by document: the page reproduces them as printed
#: there (a check on the page compares the same numbers).
QUOTED: dict[str, list[str]] = {
    "correlation_or_convolution": [
        "60 56 52 / 39 61 66 / 54 78 82",  # the MXNet post's printout, asserted in a cell
    ],
    "auto_gallery/01_correlation/plot_01_correlation_vs_convolution": [
        "60 56 52 / 39 61 66 / 54 78 82",  # the same printout, compared in the lesson
    ],
    # Definitions an example sets up, not results:
    "efficient_computation": ["8 operations each"],  # a complex multiply-add in real operations
    "pooling": [
        "over 5 cells",  # the example's input size
        "a map that is 8 everywhere",  # the example's input
    ],
}

#: Node types whose text is not prose.
_SKIP = (
    nodes.literal,
    nodes.literal_block,
    nodes.math,
    nodes.math_block,
    nodes.raw,
    nodes.comment,
    nodes.image,
    nodes.system_message,
    nodes.doctest_block,
    nodes.substitution_definition,
    nodes.target,
)


def typed_numbers(text: str, quoted: Iterable[str] = ()) -> list[str]:
    """The numbers in ``text`` that are neither allowed nor inside a quotation.

    Examples
    --------
    >>> typed_numbers("A 3×3 kernel with stride 2 is off by about 2.9 on average.")
    ['2.9']
    >>> typed_numbers("The MXNet post prints 60 56 52.", quoted=["60 56 52"])
    []
    """
    for quote in quoted:
        text = text.replace(quote, " ")
    rest = _ALLOWED.sub(" ", text)
    return NUMBER.findall(rest)


def _skipped(node: nodes.Node) -> bool:
    parent: Any = node
    while parent is not None:
        if isinstance(parent, _SKIP):
            return True
        if isinstance(parent, nodes.Element):
            classes = parent.get("classes", [])
            if "pasted-text" in classes or "sphx-glr-script-out" in classes:
                return True
            if parent.get("nb_element", "").startswith("cell_code"):
                return True  # a code cell's source and outputs
            if parent.tagname.startswith("desc"):
                return True  # an API object's signature and docstring
        parent = parent.parent
    return False


def _in_exercise_statement(node: nodes.Node) -> bool:
    """Inside a section titled "Exercises" but outside its collapsed solutions."""
    parent: Any = node.parent
    in_solution = False
    while parent is not None:
        if isinstance(parent, nodes.Element) and any(
            c.startswith("sd-dropdown") or c == "dropdown" for c in parent.get("classes", [])
        ):
            in_solution = True
        if isinstance(parent, nodes.section) and parent.children:
            title = parent.children[0]
            if isinstance(title, nodes.title) and title.astext().strip().lower().startswith(
                "exercise"
            ):
                return not in_solution
        parent = parent.parent
    return False


def prose_blocks(doctree: nodes.Node) -> Iterator[tuple[nodes.Element, str]]:
    """Each paragraph-like block of prose with its text (code, math, glue left out)."""
    for block in doctree.findall(nodes.TextElement):
        if isinstance(block, _SKIP) or not isinstance(
            block, (nodes.paragraph, nodes.title, nodes.caption)
        ):
            continue
        if _skipped(block) or _in_exercise_statement(block):
            continue
        texts = [t.astext() for t in block.findall(nodes.Text) if not _skipped(t.parent)]
        yield block, " ".join(" ".join(texts).split())


def typed_alt_texts(doctree: nodes.Node) -> Iterator[tuple[nodes.Element, str]]:
    """Each image's alt text as an author typed it on a page (not a code cell's drawing)."""
    for image in doctree.findall(nodes.image):
        alt = " ".join(str(image.get("alt", "")).split())
        if alt:
            yield image, alt


def _report(app: Any, message: str, *args: Any, **kwargs: Any) -> None:
    if app.config.prose_numbers_strict:
        logger.warning(message, *args, type="prose-numbers", **kwargs)
    else:
        logger.info("[prose-numbers] " + message, *args, **kwargs)


def check_doctree(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``: warn for every typed number in this document's prose."""
    docname = app.env.docname
    if any(docname.startswith(p) for p in app.config.prose_numbers_exclude):
        return
    quoted = QUOTED.get(docname, [])
    for block, text in prose_blocks(doctree):
        found = typed_numbers(text, quoted)
        if found:
            _report(
                app,
                "typed number %s in prose (compute it, or allow it in "
                "docs/_ext/prose_numbers.py with a reason): %r",
                ", ".join(found),
                text[:160],
                location=block,
            )
    if docname.startswith(tuple(app.config.prose_numbers_alt_exclude)):
        return
    for image, alt in typed_alt_texts(doctree):
        found = typed_numbers(alt, quoted)
        if found:
            _report(
                app,
                "typed number %s in an alt text (describe it, or glue the figure's numbers "
                "into its caption): %r",
                ", ".join(found),
                alt[:160],
                location=image,
            )


def _string_literals(js: str) -> Iterator[tuple[int, str]]:
    """The text of each JavaScript string literal, comments skipped, ``${...}`` left out.

    A small scanner, not a parser: it knows comments, the three quotes and
    escapes, which is what the explorer's source uses.
    """
    i, n = 0, len(js)
    while i < n:
        if js.startswith("//", i):
            i = js.find("\n", i)
            i = n if i < 0 else i
        elif js.startswith("/*", i):
            i = js.find("*/", i + 2)
            i = n if i < 0 else i + 2
        elif js[i] in "'\"`":
            quote, start, j = js[i], i, i + 1
            while j < n and js[j] != quote:
                j += 2 if js[j] == "\\" else 1
            body = js[start + 1 : j]
            if quote == "`":
                body = re.sub(r"\$\{[^}]*\}", " ", body)
            yield js.count("\n", 0, start) + 1, body
            i = j + 1
        else:
            i += 1


def check_sources(app: Any) -> None:
    """``builder-inited``: the catalog's titles and descriptions, the explorer's messages."""
    if not app.config.prose_numbers_sources:
        return
    from conv_explained import catalog

    for name in catalog.names():
        case = catalog.get(name)
        for field in ("title", "description"):
            text = str(getattr(case, field, "") or "")
            found = typed_numbers(text)
            if found:
                _report(
                    app,
                    "typed number %s in the catalog's %s of %r: %r",
                    ", ".join(found),
                    field,
                    name,
                    text[:160],
                )
    js = Path(catalog.__file__).parent / "_explorer_static" / "explorer.js"
    if js.is_file():
        for line, body in _string_literals(js.read_text(encoding="utf-8")):
            words = re.findall(r"[A-Za-z]{2,}", body)
            if len(words) < 3 or re.search(r"[;{}=<>]", body):  # code, markup, a selector
                continue
            found = typed_numbers(body)
            if found:
                _report(
                    app,
                    "typed number %s in an explorer message (read it from the package): %r",
                    ", ".join(found),
                    body[:160],
                    location=(str(js), line),
                )


def _mark_pasted(app: Any) -> None:
    """Mark what MyST-NB's glue directives and roles paste as computed ("pasted-text").

    Its ``{glue:text}`` role does so itself; ``{glue:md}``, ``{glue:any}`` and
    ``{glue}`` paste plain nodes, which this wraps in a marked container.
    """
    from myst_nb.ext.glue.directives import PasteAnyDirective, PasteMarkdownDirective
    from myst_nb.ext.glue.roles import PasteMarkdownRole, PasteRoleAny

    def directive(base: type) -> type:
        class Marked(base):  # type: ignore[misc, valid-type]
            def run(self) -> list[nodes.Node]:
                return [nodes.container("", *super().run(), classes=["pasted-text"])]

        return Marked

    def role(base: type) -> type:
        class Marked(base):  # type: ignore[misc, valid-type]
            def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
                found, messages = super().run()
                return [nodes.inline("", "", *found, classes=["pasted-text"])], messages

        return Marked

    for name, base in (
        ("md", PasteMarkdownDirective),
        ("any", PasteAnyDirective),
        ("", PasteAnyDirective),
    ):
        app.add_directive_to_domain("glue", name, directive(base), override=True)
    app.add_directive("glue", directive(PasteAnyDirective), override=True)
    for name, base in (("md", PasteMarkdownRole), ("any", PasteRoleAny), ("", PasteRoleAny)):
        app.add_role_to_domain("glue", name, role(base)(), override=True)
    app.add_role("glue", role(PasteRoleAny)(), override=True)


def setup(app: Any) -> dict[str, Any]:
    """Register the prose-number checks."""
    app.setup_extension("myst_nb")
    _mark_pasted(app)
    app.add_config_value("prose_numbers_exclude", ["api", "genindex", "search"], "env")
    # Alt texts written by code (sphinx-gallery's images and thumbnails), not by an author.
    app.add_config_value("prose_numbers_alt_exclude", ["auto_gallery"], "env")
    # False only while pages are being rewritten: the findings are then listed as info.
    app.add_config_value("prose_numbers_strict", True, "env")
    # Also read the package's catalog and explorer (off for sites that are not this one).
    app.add_config_value("prose_numbers_sources", True, "env")
    app.connect("doctree-read", check_doctree)
    app.connect("builder-inited", check_sources)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
