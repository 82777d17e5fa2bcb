"""The verification ledger (docs/_ext/verification_ledger.py) on a tiny Sphinx site."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from conv_explained import verify

pytest.importorskip("sphinx")
from sphinx.cmd.build import build_main

EXT = Path(__file__).resolve().parents[1] / "docs" / "_ext"


def _raw(cert: verify.Certificate) -> str:
    return ".. raw:: html\n\n   " + cert._repr_html_() + "\n"


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT)!r})\n"
        "extensions = ['verification_ledger']\nproject = 't'\n"
    )
    for name, text in pages.items():
        (src / f"{name}.rst").write_text(text)
    return src


def _build(src: Path, out: Path) -> int:
    return build_main(["-q", "-W", "-b", "html", str(src), str(out)])


def test_the_ledger_lists_every_certificate_and_its_totals(tmp_path):
    sys.modules.pop("verification_ledger", None)
    a = verify.compare(np.ones(4), np.ones(4), what="four ones", got_by="x", expected_by="numpy")
    b = verify.compare(
        np.zeros(5), np.zeros(5), what="five zeros", got_by="x", expected_by="numpy"
    )
    rule = verify.check_rule(
        "squares are non-negative",
        range(-3, 4),
        rule=lambda n: True,
        truth=lambda n: n * n >= 0,
        truth_by="python",
        grid="-3 <= n <= 3",
    )
    src = _site(
        tmp_path,
        {
            "index": (
                "Index\n=====\n\n.. toctree::\n\n   one\n   two\n   ledger\n\n"
                "Numbers :ledger-count:`numbers`, cases :ledger-count:`cases`, "
                "certificates :ledger-count:`certificates`.\n"
            ),
            "one": "One\n===\n\n" + _raw(a) + "\n" + _raw(rule),
            "two": "Two\n===\n\n" + _raw(b),
            "ledger": "Ledger\n======\n\n.. verification-ledger::\n",
        },
    )
    out = tmp_path / "out"
    assert _build(src, out) == 0
    index = (out / "index.html").read_text()
    assert "Numbers 9, cases 7, certificates 3." in index
    ledger = (out / "ledger.html").read_text()
    for cert in (a, b, rule):
        assert html.escape(cert.line(), quote=False) in ledger
    assert 'href="one.html#cert-1"' in ledger
    assert 'href="one.html#cert-2"' in ledger
    assert 'href="two.html#cert-1"' in ledger
    one = (out / "one.html").read_text()
    assert len(re.findall(r'<p class="ce-certificate" id="cert-\d"', one)) == 2

    # A rebuild with nothing changed writes neither the ledger nor the page
    # quoting its totals (the digest of what they show is unchanged).
    for name in ("ledger", "index"):
        (out / f"{name}.html").write_text("stale")
    assert _build(src, out) == 0
    assert (out / "ledger.html").read_text() == "stale"
    assert (out / "index.html").read_text() == "stale"

    # A page that loses a certificate drops out of the ledger and the totals on rebuild.
    (src / "two.rst").write_text("Two\n===\n\nNothing checked here.\n")
    assert _build(src, out) == 0
    assert "five zeros" not in (out / "ledger.html").read_text()
    assert "Numbers 4, cases 7, certificates 2." in (out / "index.html").read_text()


def test_an_unknown_count_is_an_error(tmp_path):
    sys.modules.pop("verification_ledger", None)
    src = _site(tmp_path, {"index": "Index\n=====\n\n:ledger-count:`bananas`\n"})
    assert _build(src, tmp_path / "out") != 0
