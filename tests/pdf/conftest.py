"""Fixtures for the print and PDF tests: the built site, the guide's PDF, Chromium.

``nox -s pdf`` builds the PDF (``tools/build_pdf.py``) and then runs this
folder with ``--confcutdir=tests/pdf`` (the torch-based ``tests/conftest.py``
is not needed). The default test run skips it (``--ignore=tests/pdf``).
The helpers of ``tests/browser/site_checks.py`` serve the site and launch
Debian's Chromium.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
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
#: The second print of the whole guide, compared byte for byte with the first.
SECOND = PDF.with_name("conv_explained.second.pdf")
#: The test that compares them; it waits for the second print, so it runs last.
SAME_BYTES = "test_two_builds_give_the_same_bytes"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the same-bytes test last: the second print runs while the others do."""
    items.sort(key=lambda item: item.name == SAME_BYTES)  # stable: the rest keep their order


@pytest.fixture(scope="session", autouse=True)
def second_print(request: pytest.FixtureRequest) -> Iterator[subprocess.Popen[bytes] | None]:
    """The second print of the guide, started when the session starts, if it is needed.

    Printing the guide again takes minutes; it runs in its own process beside
    the other tests (each print is its own Chromium), and only the same-bytes
    test waits for it. A run that does not select that test prints nothing.
    """
    if not any(item.name == SAME_BYTES for item in request.session.items):
        yield None
        return
    command = [
        sys.executable,
        str(site_checks.ROOT / "tools" / "build_pdf.py"),
        "--site",
        str(SITE),
        "--out",
        str(SECOND),
        "--no-copy",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    yield process
    if process.poll() is None:  # the session ended early (a failure with -x, ^C)
        process.kill()
        process.wait()


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
