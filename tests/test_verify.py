"""conv_explained.verify: checks that certify what they compared, and fail in one line."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import conv_explained as ce
from conv_explained import verify
from conv_explained.verify import Certificate, VerificationError


@pytest.fixture(autouse=True)
def _no_context():
    verify.set_context()
    yield
    verify.set_context()


def test_compare_certifies_the_numbers_it_compared():
    x = np.arange(25.0).reshape(1, 5, 5)
    w = np.ones((1, 1, 3, 3))
    ours = ce.correlate(x, w)
    theirs = F.conv2d(torch.tensor(x[None]), torch.tensor(w))[0]
    cert = verify.compare(
        ours,
        theirs,
        what="a 3x3 box sum",
        got_by="conv_explained.correlate",
        expected_by="torch.nn.functional.conv2d",
        atol=1e-12,
    )
    assert cert.count == ours.size == 9
    assert cert.unit == "numbers"
    assert cert.dtype == "float64"
    assert cert.max_diff == 0.0
    assert cert.tolerance == 1e-12
    assert cert.library == f"torch {torch.__version__.split('+')[0]}"
    assert cert.line() == (
        f"checked against torch {torch.__version__.split('+')[0]} "
        "(torch.nn.functional.conv2d), float64: 9 numbers, largest difference 0, "
        "tolerance 1e-12"
    )


def test_compare_fails_in_one_line_naming_both_values_and_implementations():
    good = np.array([[1.0, 2.0], [3.0, 4.0]])
    bad = good.copy()
    bad[1, 0] = 3.5
    verify.set_context(page="some_page")
    with pytest.raises(VerificationError) as info:
        verify.compare(bad, good, what="the output", got_by="ours", expected_by="torch")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("page some_page")
    assert "the output: ours gave 3.5 at index (1, 0), torch gave 3" in message
    assert "largest difference 0.5, tolerance 0" in message


def test_compare_reports_a_shape_mismatch():
    with pytest.raises(
        VerificationError, match=r"ours gave shape \(2,\), numpy gave shape \(3,\)"
    ):
        verify.compare(np.zeros(2), np.zeros(3), what="x", got_by="ours", expected_by="numpy")


@pytest.mark.parametrize(
    ("got", "expected", "ok"),
    [
        ([np.inf, 1.0], [np.inf, 1.0], True),
        ([-np.inf], [np.inf], False),
        ([np.nan], [np.nan], True),
        ([np.nan], [1.0], False),
        ([1.0], [np.nan], False),
        ([1e308], [-1e308], False),  # the difference overflows to inf
    ],
)
def test_compare_handles_non_finite_values(got, expected, ok):
    call = lambda: verify.compare(
        np.array(got), np.array(expected), what="x", got_by="a", expected_by="b"
    )
    if ok:
        assert call().max_diff == 0.0
    else:
        with pytest.raises(VerificationError):
            call()


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=20),
    index=st.integers(0, 19),
    delta=st.floats(1e-9, 1e3),
    atol=st.floats(0, 1.0),
)
def test_compare_fails_exactly_when_a_difference_exceeds_the_tolerance(values, index, delta, atol):
    expected = np.array(values)
    got = expected.copy()
    got[index % got.size] += delta
    actual = float(np.max(np.abs(got - expected)))
    if actual <= atol:
        assert verify.compare(got, expected, what="x", got_by="a", expected_by="b", atol=atol)
    else:
        with pytest.raises(VerificationError):
            verify.compare(got, expected, what="x", got_by="a", expected_by="b", atol=atol)


def test_a_certificate_cannot_be_made_by_hand():
    with pytest.raises(TypeError, match="issued only by"):
        Certificate(
            what="x",
            computed_by="a",
            reference="b",
            library="",
            dtype="",
            count=1,
            unit="numbers",
            max_diff=0.0,
            tolerance=0.0,
        )


def _unused_by_brute_force(case):
    """Input cells no output reads, found by perturbing each cell and watching torch's output."""
    i, k, s, p = case
    x = torch.zeros(1, 1, i, dtype=torch.float64)
    w = torch.ones(1, 1, k, dtype=torch.float64)
    base = F.conv1d(x, w, stride=s, padding=p)
    unused = []
    for cell in range(i):
        bumped = x.clone()
        bumped[0, 0, cell] = 1.0
        if torch.equal(F.conv1d(bumped, w, stride=s, padding=p), base):
            unused.append(cell)
    return bool(unused)


def _grid():
    return [
        (i, k, s, p)
        for i, k, s, p in itertools.product(range(1, 12), range(1, 6), range(1, 5), range(3))
        if i + 2 * p >= k
    ]


def test_check_rule_catches_the_wrong_unused_cells_rule():
    """The rule once taught on a page: unused cells iff (i + 2p - k) mod s != 0. Wrong at i=7, k=3, s=4."""
    with pytest.raises(VerificationError, match=r"fails at \(") as info:
        verify.check_rule(
            "a stride leaves input cells unused",
            _grid(),
            rule=lambda c: (c[0] + 2 * c[3] - c[1]) % c[2] != 0,
            truth=_unused_by_brute_force,
            truth_by="perturbing every input cell of torch's conv1d",
            grid="i < 12, k < 6, s < 5, p < 3",
        )
    assert "\n" not in str(info.value)


def test_check_rule_certifies_a_right_rule_with_its_case_count():
    grid = _grid()
    cert = verify.check_rule(
        "the output-size formula",
        grid,
        rule=lambda c: ce.conv_output_size(c[0], c[1], stride=c[2], padding=c[3]),
        truth=lambda c: F.conv1d(
            torch.zeros(1, 1, c[0]), torch.zeros(1, 1, c[1]), stride=c[2], padding=c[3]
        ).shape[-1],
        truth_by="torch.nn.functional.conv1d",
        grid="i < 12, k < 6, s < 5, p < 3",
    )
    assert cert.count == len(grid)
    assert cert.unit == "cases"
    assert cert.line().startswith(f"checked on {len(grid):,} cases (i < 12")


def test_check_rule_refuses_an_empty_grid():
    with pytest.raises(ValueError, match="at least one case"):
        verify.check_rule("r", [], rule=len, truth=len, truth_by="t", grid="g")


def test_combine_adds_counts_and_keeps_the_largest_difference():
    a = verify.compare(np.zeros(4), np.zeros(4), what="a", got_by="x", expected_by="numpy")
    b = verify.compare(
        np.array([1.0]),
        np.array([1.0 + 1e-13]),
        what="b",
        got_by="x",
        expected_by="numpy",
        atol=1e-12,
    )
    both = verify.combine("fig", [a, b])
    assert both.count == 5
    assert both.max_diff == pytest.approx(1e-13, rel=0.01)
    assert both.tolerance == 1e-12
    with pytest.raises(TypeError):
        verify.combine("fig", [a, "not a certificate"])  # type: ignore[list-item]


def test_the_certificate_html_carries_its_fields():
    cert = verify.compare(np.ones(3), np.ones(3), what="a <b>", got_by="x", expected_by="numpy")
    html = cert._repr_html_()
    assert 'class="ce-certificate"' in html
    assert "a &lt;b&gt;" in html
    assert "data-ce-certificate=" in html


def test_an_animation_carries_the_certificate_of_its_torch_check():
    from conv_explained import render

    image = np.arange(16).reshape(4, 4) % 5
    anim = render.animate("correlate", image, np.eye(2, dtype=int))
    cert = anim.certificate
    assert isinstance(cert, Certificate)
    assert cert.reference.startswith("torch.nn.functional.conv2d")
    assert cert.count > anim.values.size  # the result and every drawn extra
    assert cert.max_diff == 0.0
    assert anim.verification["certificate"]["line"] == cert.line()
    assert (
        render.animate("correlate", image, np.eye(2, dtype=int), verify=False).certificate is None
    )
    both = render.compare(anim, render.animate("convolve", image, np.eye(2, dtype=int)))
    assert both.certificate.count == 2 * cert.count


def test_a_picture_shows_its_certificate_under_it():
    from conv_explained import render
    from conv_explained._sphinx import certificate_rst

    anim = render.animate("correlate", np.arange(9).reshape(3, 3), np.ones((2, 2), dtype=int))
    rst = certificate_rst(anim.certificate)
    assert rst.strip().startswith(".. raw:: html")
    assert 'class="ce-certificate"' in rst
    assert certificate_rst(None) == ""


def test_a_rule_checked_on_one_case_says_case():
    cert = verify.check_rule(
        "one", [(3,)], rule=lambda c: c[0], truth=lambda c: c[0], truth_by="t", grid="g"
    )
    assert cert.line() == "checked on 1 case (g) against t: no disagreement"
