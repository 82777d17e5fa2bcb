"""The docstring filler that shares numpydoc text between functions."""

import inspect

import pytest

import conv_explained as ce
from conv_explained._docstrings import docfiller, fill


def test_fill_indents_the_block_like_its_placeholder():
    doc = "Summary.\n\n    {raises}\n\n    Notes\n"
    block = """
        Raises
        ------
        ValueError
            For bad input.
        """
    assert fill(doc, {"raises": block}) == (
        "Summary.\n\n    Raises\n    ------\n    ValueError\n        For bad input.\n\n    Notes\n"
    )


def test_fill_rejects_a_placeholder_without_a_block():
    with pytest.raises(KeyError, match="'returns'"):
        fill("    {returns}\n", {})


def test_fill_rejects_a_block_no_placeholder_asks_for():
    with pytest.raises(KeyError, match="'raises'"):
        fill("Summary.\n", {"raises": "Raises\n------\n"})


def test_fill_leaves_braces_inside_text_alone():
    doc = r"    :math:`\frac{1}{D}` and {x} in a sentence" + "\n"
    assert fill(doc, {}) == doc


def test_docfiller_sets_the_docstring():
    @docfiller(extra="x : int\n    A number.")
    def f() -> None:
        """Summary.

        Parameters
        ----------
        {extra}
        """

    assert "        x : int\n            A number." in (f.__doc__ or "")


@pytest.mark.parametrize(
    "func",
    [
        ce.fft_convolve,
        ce.fft_correlate,
        ce.global_max_pool,
        ce.global_avg_pool,
        ce.max_pool_grad,
        ce.avg_pool_grad,
    ],
)
def test_filled_public_docstrings_are_complete(func):
    doc = inspect.getdoc(func) or ""
    left = [line for line in doc.splitlines() if line.strip().startswith("{")]
    assert left == []
    for section in ("Parameters", "Returns", "Raises", "See Also", "Examples"):
        assert f"\n{section}\n{'-' * len(section)}\n" in doc, (func.__name__, section)
