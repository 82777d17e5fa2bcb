"""The pages' prose: no typed result, and no wrong sentence coming back.

A number a reader sees in a page's prose must come from a computed value
(MyST-NB's ``{glue:text}`` role, or a printed cell output), unless it is a
*definition*: the size of an example's input, a parameter setting, a
dimension, a year in a citation. :func:`typed_numbers` finds the rest; the
allow-list below names each kind of definition, with the reason.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))
import prose_numbers

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.glob("*.md"))

# Fenced blocks whose body is not prose: code cells, glue outputs, console
# sessions, math. Other directives (dropdowns, notes) hold prose and are read.
_NOT_PROSE = ("{code-cell}", "{glue", "{math}", "console", "bash", "python", "text", "")
_NUMBER = re.compile(r"(?<![\w.\\^{])\d+(?:\.\d+)?(?![\w.]*\d)(?![\w])")

#: Definitions: the build check's allow-list (docs/_ext/prose_numbers.py, one list
#: for both), plus what only a page's Markdown source shows.
ALLOWED = [
    *prose_numbers.ALLOWED,
    r"^\s*#+\s.*$",  # headings number sections ("## 4. ..."), "Relationship 12"
    r"^\s*\d+\.\s",  # ordered-list markers, indented in the source
]
_ALLOWED = re.compile("|".join(f"(?:{a})" for a in ALLOWED), re.MULTILINE | re.IGNORECASE)

#: Typed numbers that stay, each a quotation of a source the page reproduces
#: (the assert next to it checks the same number) or a definition in context.
QUOTED = {
    "efficient_computation.md": [
        "8 operations",  # a complex multiply-add counted as real operations: a definition
    ],
    "pooling.md": [
        "map that is 8 everywhere",  # the example's input, set in the cell above
        "window over 5 cells",  # the example's input size
    ],
    "transposed_convolution.md": [
        "all give 4 cells",  # the target size the exercise sets
    ],
    "correlation_or_convolution.md": [
        "60 56 52 / 39 61 66 / 54 78 82",  # the MXNet post's printout, compared in the cell
    ],
}


def prose(text: str) -> str:
    """A MyST page's prose: no front matter, code, math, inline code, roles or links."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    kept, fence = [], None
    for line in text.splitlines():
        if fence is not None:
            if line.strip() == fence:
                fence = None
            continue
        opened = re.match(r"^\s*(`{3,}|:{3,})(.*)$", line)
        if opened:
            info = opened.group(2).strip()
            code_like = info.split(" ")[0].startswith(_NOT_PROSE)
            prose_directive = info.startswith(("{dropdown", "{note", "{tip", "{admonition"))
            if opened.group(1).startswith("`") and code_like and not prose_directive:
                fence = opened.group(1)
                continue
            kept.append("")  # a prose directive's opener: its body is read
            continue
        if re.match(r"^\s*:[\w-]+:", line):  # directive options
            kept.append("")
            continue
        kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.DOTALL)
    text = re.sub(r"\\begin\{.*?\\end\{[^}]*\}", " ", text, flags=re.DOTALL)
    text = re.sub(r"(?<!\\)\$[^$\n]+\$", " ", text)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)  # roles: {glue:text}`x`, {doc}`y`
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return text


def exercises_removed(text: str) -> str:
    """Drop the exercise statements: their numbers set the problem (a definition)."""
    return re.sub(
        r"^## Exercises\n.*?(?=^```\{dropdown|^:::\{dropdown|^## |\Z)",
        "",
        text,
        flags=re.DOTALL | re.MULTILINE,
    )


def typed_numbers(page: Path) -> list[str]:
    """Lines of a page's prose holding a number that is neither computed nor a definition."""
    text = page.read_text()
    for quote in QUOTED.get(page.name, []):
        assert quote in text, f"{page.name}: the allowed quotation {quote!r} is gone"
        text = text.replace(quote, " ")
    found = []
    for line in prose(exercises_removed(text)).splitlines():
        rest = _ALLOWED.sub(" ", line)
        if _NUMBER.search(rest):
            found.append(line.strip())
    return found


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_no_typed_numbers_in_prose(page):
    assert typed_numbers(page) == []


def test_the_scanner_finds_typed_numbers(tmp_path):
    page = tmp_path / "p.md"
    page.write_text(
        "---\nkernelspec: {}\n---\n# T\n\nConvolution is off by about 2.9 on average.\n\n"
        "```{code-cell} ipython3\nx = 2.9\n```\n\nA 3×3 kernel, stride 2, gives "
        "{glue:text}`n` cells; $o = 5$.\n"
    )
    assert typed_numbers(page) == ["Convolution is off by about 2.9 on average."]


#: Sentences a review found wrong or stale (issue 11); each must stay gone.
#: Checked on the page sources with whitespace collapsed.
WRONG = {
    "about_verification.md": [
        "It does not run the other framework",  # it runs MXNet, TensorFlow and JAX
        "Building the site needs no network",  # a fresh clone pip-installs the probes
        "near $10^{-12}$",  # the tolerances are read from the sources instead
    ],
    "correlation_or_convolution.md": [
        "the first factor is also conjugated",  # NumPy and SciPy conjugate the kernel
        "about 2.9",  # typed, now computed
        # issue 15: a raw score also rewards bright patches; only a normalised one measures
        # likeness
        "which comes where the\nimage looks most like the template",
        "Both runs report a perfect score",
    ],
    "signal_processing.md": [
        # template first, unlabelled: the site's star puts the signal first (the lecture's
        # form is shown only as "star_lecture", and checked equal to the swapped star)
        r"(f \star g)(\tau) = \int_{-\infty}^{\infty} \overline{f(t)}\, g(t + \tau)",
        r"\overline{f[t]}\; g[(t + \tau)",
        "the layer is linear, not circular",  # both are linear maps
        # issue 15: PyTorch's complex conv1d conjugates nothing
        "Cross-correlation is the product with the complex conjugate, and it is what a",
        "Their weights are real, so the conjugate\ndoes nothing there",
        "`padding=(1, 2)`-style",  # a layer's padding tuple is per axis, not before/after
    ],
    "efficient_computation.md": [
        "For one input channel the layer computes",
        r"\sum_{c=1}",
        # issue 15: explicit im2col is the classic method and a fallback, not the standard
        "It is still the standard way to compute convolutions",
        "GEMM wins in practice for the small kernels networks use, because tuned BLAS",
    ],
    # issue 15: cuDNN mostly runs implicit GEMM, Winograd and FFT, oneDNN direct kernels;
    # explicit im2col is the classic method and a fallback
    "matrix_multiplication.md": [
        "How libraries actually compute a convolution",
        "im2col + GEMM: how libraries compute it",
        "Frameworks compute correlations as im2col + GEMM",
        "Why frameworks do it this way",
    ],
    "receptive_fields.md": [
        "Why dilation makes the receptive field grow exponentially",
        "each of those is $j_{l-1}$ input cells wide",  # a step, not a width (issue 15)
        "exactly as far apart as the receptive field of the layer below",  # only for k = 2
    ],
    "glossary.md": [
        "the kernel's extent times the product of the earlier strides",  # d(k - 1) times it
        "for complex data the kernel is conjugated",  # PyTorch's conv1d does not
        "the way most libraries compute it",  # cuDNN: implicit GEMM, Winograd, FFT
        # with stride s a shift by ms moves the output by m, not by the same amount (review_a)
        "strides keep it only for shifts by their multiples",
        "A 1-D correlation with a fixed kernel is multiplication by one;",  # stride 1 only
        "An axis of the data whose entries are not neighbours",  # a channel is one entry
    ],
    "padding_stride_dilation.md": [
        "exactly when (i + 2p − k) mod s ≠ 0",
        r"that is when $(i + 2p - k) \bmod s \neq 0$",  # misses the cells between windows
        "the build checks each stride by changing the last input cell",
        # review_a: when r < p all r trailing cells are padding, not "the last p"
        "The last $p$ of them are padding",
        # shared output sizes come from any stride > 1, not from unread cells
        "Several input sizes then give the same output size",
        r"needs an odd number $k - 1$ of padding cells",  # d(k - 1) for a dilated kernel
        'expected_by="same_padding")',  # exercise 2 checked same_padding against itself
        'truth_by="the three kinds"',  # exercise 1's kinds checked against the page's rule
        "gives three positions per axis",  # a result typed as a word
    ],
    "arithmetic_reference.md": [
        "that is, when the convolution used every input cell",  # 7/3/4 and 6/3/2/1 (issue 15)
        # review_a: receptive_field takes one axis only; it refuses a tuple kernel size
        "All of them accept one size or a tuple with one size per axis.",
        "(negative positions are padding)",  # positions from i on are padding too
        "optionally the ceiling instead of the floor",  # ceil_mode also drops a last window
        "weights_plain, weights_dilated = 3 * 3 * 3",  # typed arithmetic, now counted by torch
    ],
    "pooling.md": [
        "pooling chiefly in one place",  # ResNet also max-pools in its stem
        "is $k^2$ unless padding cells are left out",  # ceil_mode's overhang is never counted
    ],
    "transposed_convolution.md": [
        "pad each side with $k - 1 - p$ zeros",  # d(k - 1) - p, and the channel swap
        "and $k-1-p$ zeros of\n  padding",
    ],
    "gotchas.md": [
        "to undo a PyTorch",  # a transposed convolution restores the shape only
        '`ceil_mode=True` (MXNet: `pooling_convention="full"`)',  # MXNet keeps one more window
    ],
    "nd_tensors.md": [r"(with $C_\text{out} = C_\text{in}$) is a *depthwise*"],
    "frameworks.md": [
        "SciPy's four",  # a count
        "is *stale* and refused",  # build machinery
        "to the last bit on integer",  # the FFT functions round
        "exact in every float format",  # not in float16 or bfloat16
    ],
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_sentences_stay_gone(name):
    text = " ".join((DOCS / name).read_text().split())
    for sentence in WRONG[name]:
        assert " ".join(sentence.split()) not in text, (name, sentence)


def test_about_verification_generates_its_claims():
    text = (DOCS / "about_verification.md").read_text()
    for key in ("n_frameworks", "frameworks_probed", "tol_tightest", "tol_loosest"):
        assert f"{{glue:text}}`{key}`" in text
        assert re.search(rf'glue\("{key}"', text), key


def test_one_star_convention_signal_first():
    """Every page that writes a star correlation puts the signal first, the kernel second."""
    conv = (DOCS / "correlation_or_convolution.md").read_text()
    assert "the signal comes\nfirst, the kernel (or template) second" in conv
    assert "np.sum(padded[n : n + 2] * np.conj(kernel))" in conv  # the kernel conjugated
    assert "verify.compare(full, by_hand" in conv  # ... is what np.correlate computes
    sp = (DOCS / "signal_processing.md").read_text()
    assert r"f[(t + \tau) \bmod N]\; \overline{g[t]}" in sp
    # the lecture's conjugate-first form is labelled and checked equal to the swapped star
    assert r"(f \star_\text{lecture} g)(\tau)" in sp
    assert "\"the lecture's f ⋆ g is the site's g ⋆ f\"" in sp
    assert r"(x \star g)[u]" in (DOCS / "backprop.md").read_text()  # input x is the signal
    assert r"V_l \star K_{i,l}" in (DOCS / "nd_tensors.md").read_text()


def test_gotchas_say_pytorch_refuses_strided_same():
    text = " ".join((DOCS / "gotchas.md").read_text().split())
    assert 'PyTorch refuses `padding="same"` with `stride=2`' in text
    assert 'F.conv2d(x6, w3, stride=2, padding="same")' in text


def test_lecture_notation_keeps_its_minus_one():
    script = (ROOT / "gallery/07_channels/plot_01_multi_channel.py").read_text()
    assert "lecture notes' notation" in script
    assert r"V_{l,\,j+m-1,\,k+n-1}" in script


def test_transposed_round_trip_states_its_condition():
    text = " ".join((DOCS / "arithmetic_reference.md").read_text().split())
    assert "**when the last window ends on the last cell of the padded input**" in text
    assert r"(i + 2p - d(k - 1) - 1) \bmod s = 0" in text
    assert "rule=lambda c: (c[0] + 2 * c[3] - c[4] * (c[1] - 1) - 1) % c[2] == 0" in text


def test_unread_cells_are_checked_cell_by_cell_against_torch():
    text = (DOCS / "padding_stride_dilation.md").read_text()
    assert "def unread_by_torch(i, k, **options):" in text
    assert '"the three kinds of unread cells", layers(), rule=lambda c: unread_by_rule(*c)' in text
    assert "unused = {s: unread_by_torch(7, 3, stride=s) for s in range(1, 8)}" in text
    # each kind, not only their union, against a classification of torch's unread cells
    assert "rule=lambda c: unread_kinds(*c), truth=lambda c: kinds_by_torch(*c)," in text
    assert "truth=lambda s: kinds_by_torch(7, 3, s, 0, 1)," in text


def test_dilation_growth_is_exponential_only_when_it_doubles():
    text = (DOCS / "receptive_fields.md").read_text()
    assert "constant = [r for r, _ in ce.receptive_field([(3, 1, 2)] * max(depths))]" in text
    # checked as a rule against torch's gradient: linear (4L + 1 cells) and with holes
    assert "(4 * c[0] + 1, False)" in text
    assert 'truth_by="torch.autograd.grad, nonzero cells"' in text


def _numbered_items(block: str) -> int:
    return len(re.findall(r"^\d+\.\s", block, flags=re.MULTILINE))


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_exercise_has_a_collapsed_checked_solution(page):
    text = page.read_text()
    if "## Exercises" not in text:
        return
    rest = text.split("## Exercises", 1)[1]
    exercises = re.split(r"^(?:```|:::)", rest, maxsplit=1, flags=re.MULTILINE)[0]
    found = re.search(
        r"^(```|:::)\{dropdown\} Solutions\n(.*?)^\1\s*$", rest, re.MULTILINE | re.DOTALL
    )
    assert found, f"{page.name}: no collapsed Solutions dropdown after the exercises"
    assert _numbered_items(found.group(2)) == _numbered_items(exercises) > 0, page.name
    # Checked by the build: a code cell beside the solutions asserts them.
    assert re.search(r"```\{code-cell\}", rest), f"{page.name}: solutions not checked by code"


GLOSSARY_TERMS = [
    "correlation", "convolution", "kernel", "filter", "feature map", "channel", "stride",
    "padding modes", "dilation", "groups", "depthwise", "pointwise", "transposed convolution",
    "deconvolution", "receptive field", "im2col", "Toeplitz matrix", "MAC",
    # issue 15: the terms the sources use that the glossary lacked
    "translation equivariance", "weight sharing", "tied bias", "untied bias", "output_padding",
    "jump", "effective kernel size", "valid", "same", "full", "circular convolution",
    "linear convolution", "convolution theorem", "GEMM", "depthwise separable", "ceil_mode",
    "count_include_pad",
]  # fmt: skip


def test_glossary_defines_every_term_and_links_its_page():
    text = (DOCS / "glossary.md").read_text()
    body = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    terms: dict[str, str] = {}
    names: list[str] = []
    for block in re.split(r"\n\s*\n", body.strip()):  # one entry: its names, then its text
        lines = block.splitlines()
        names = [line for line in lines if line and not line.startswith(" ")]
        definition = " ".join(line.strip() for line in lines if line.startswith(" "))
        for name in names:
            terms[name] = definition
    assert set(GLOSSARY_TERMS) <= set(terms), set(GLOSSARY_TERMS) - set(terms)
    for name, definition in terms.items():
        assert "{doc}`" in definition, f"{name}: no link to the page that explains it"
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", definition)
        assert 1 <= len(sentences) <= 3, (name, len(sentences))
    assert "multiply-accumulate" in terms["MAC"]
    assert "not" in terms["deconvolution"]
    assert "inverse" in terms["deconvolution"]


def test_landing_page_has_four_start_here_paths_one_through_the_gallery():
    text = (DOCS / "index.md").read_text()
    start = text.split("## Start here", 1)[1].split("```{toctree}", 1)[0]
    paths = re.findall(r"^\*\*(I .*?)\*\*\n\n((?:\d+\. .*\n(?: {3}.*\n)*)+)", start, re.MULTILINE)
    assert len(paths) == 4, paths
    for title, steps in paths:
        items = re.findall(r"^\d+\. \{doc\}`([\w/]+)`: (.+)", steps, re.MULTILINE)
        assert 2 <= len(items) <= 5, title
        for page, after in items:
            # the gallery's index is written by sphinx-gallery from gallery/
            source = DOCS.parent / "gallery" / "GALLERY_HEADER.rst"
            assert (DOCS / f"{page}.md").is_file() or (
                page == "auto_gallery/index" and source.is_file()
            ), page
            assert after.strip(), (title, page)  # what the reader can do after it
    for page in (
        "gotchas",
        "frameworks",
        "matrix_multiplication",
        "signal_processing",
        "backprop",
        "auto_gallery/index",
        "explorer",
    ):
        assert f"{{doc}}`{page}`" in start


def _cells(text: str) -> list[tuple[bool, str]]:
    """(removed, code) for each code cell of a MyST page.

    A "How this is checked" cell (collapsed, issue 16) counts with the removed
    cells: it is evidence, not code a reader calls, and it may use the page's
    checking helpers from its first removed cell.
    """
    out = []
    for cell in re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, re.DOTALL | re.MULTILINE):
        removed = bool(re.search(r"remove-cell|remove-input|How this is checked", cell[:300]))
        code = re.sub(r"\A---\n.*?\n---\n", "", cell, flags=re.DOTALL)
        out.append((removed, re.sub(r"^:tags:.*$", "", code, flags=re.MULTILINE)))
    return out


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_helpers_a_reader_calls_are_visible(page):
    """A function used by a visible cell is not defined only in a removed cell."""
    import ast

    hidden, used = set(), set()
    for removed, code in _cells(page.read_text()):
        tree = ast.parse(code)
        if removed:
            hidden |= {
                n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)
            }
        else:
            used |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not hidden & used, f"{page.name}: visible cells call hidden helpers {hidden & used}"
