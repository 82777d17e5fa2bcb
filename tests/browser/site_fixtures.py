"""The fixtures every browser-driven test folder shares: the built site, a server, Chromium.

``tests/browser/conftest.py`` and ``tests/pdf/conftest.py`` import them from
here (each folder runs with its own ``--confcutdir``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
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


@pytest.fixture(scope="session")
def file_base(site: Path) -> str:
    """The site's ``file://`` address (ending in /), as a reader opening it from disk."""
    return site.resolve().as_uri() + "/"
