"""How every tool, test and benchmark here starts Chromium: one place for the flags.

Debian's ``/usr/bin/chromium`` (Playwright never downloads its own here),
headless, without a sandbox (containers), and with every background request
it would make on its own switched off, so a run needs no network.
"""

from __future__ import annotations

#: Chromium from Debian's package.
CHROMIUM = "/usr/bin/chromium"
#: The flags every launch uses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
