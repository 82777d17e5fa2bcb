"""Fixtures for the browser tests: the built site, a local server, Chromium.

These tests need Debian's Chromium and a built site, so the default test run
skips this folder (``--ignore=tests/browser`` in pyproject.toml); ``nox -s
browser`` runs it, with ``--confcutdir=tests/browser`` so that the torch-based
``tests/conftest.py`` is not loaded.

The site is ``docs/_build/html`` unless ``CONV_EXPLAINED_SITE`` names another
folder; screenshots go to ``docs/_build/screenshots`` unless
``CONV_EXPLAINED_SCREENSHOTS`` says otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import site_checks

SITE = site_checks.SITE


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site; fails (not skips) when there is none."""
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site in {SITE}: run `nox -s docs` first")
    return SITE


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The site served over HTTP on 127.0.0.1."""
    with site_checks.serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's), shared by the whole session."""
    if not Path(site_checks.CHROMIUM).exists():
        pytest.fail(
            f"{site_checks.CHROMIUM} is missing: `apt-get install -y chromium` "
            "(nox -s browser does it when run as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = site_checks.launch(playwright)
        yield chromium
        chromium.close()
