"""Fixtures for the print and PDF tests: the built site, the guide's PDF, Chromium.

``nox -s pdf`` builds the PDF (``tools/build_pdf.py``) and then runs this
folder with ``--confcutdir=tests/pdf`` (the torch-based ``tests/conftest.py``
is not needed). The default test run skips it (``--ignore=tests/pdf``).
The helpers of ``tests/browser/site_checks.py`` serve the site and launch
Debian's Chromium.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "browser"))
sys.path.insert(0, str(HERE))
import site_checks
from site_fixtures import base_url, browser, site  # noqa: F401

SITE = site_checks.SITE
PDF = site_checks.ROOT / "docs" / "_build" / "pdf" / "conv_explained.pdf"


@pytest.fixture(scope="session")
def pdf_path() -> Path:
    """The guide's PDF; fails when ``nox -s pdf`` has not built it."""
    if not PDF.is_file():
        pytest.fail(f"no PDF at {PDF}: run `nox -s pdf`")
    return PDF


@pytest.fixture(scope="session")
def pdf(pdf_path: Path) -> Any:
    """The PDF, read by pypdf."""
    from pypdf import PdfReader

    return PdfReader(pdf_path)


@pytest.fixture(scope="session")
def record(pdf_path: Path) -> dict[str, Any]:
    """What the build wrote beside the PDF (pages, their first PDF page, blocked requests)."""
    return json.loads(pdf_path.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def measure(browser: Any, base_url: str) -> Any:  # noqa: F811 (fixtures by name)
    """``measure(rel)``: what page ``rel`` prints (see ``printed.MEASURE``), one load per page."""
    import printed

    cache: dict[str, Any] = {}

    def get(rel: str) -> Any:
        if rel not in cache:
            page, visit = printed.open_printed(browser, base_url, rel)
            try:
                cache[rel] = {**page.evaluate(printed.MEASURE), "problems": visit.problems()}
            finally:
                page.context.close()
        return cache[rel]

    return get
