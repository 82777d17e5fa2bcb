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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from site_fixtures import base_url, browser, file_base, site  # noqa: F401
