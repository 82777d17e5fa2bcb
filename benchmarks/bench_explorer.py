"""Benchmark: the explorer's re-render time in Chromium and its JavaScript + CSS weight.

Opens ``explorer.html`` of the built site (``CONV_EXPLAINED_SITE`` or
``docs/_build/html``) in Debian's Chromium and times, from the page itself, the
re-render after a parameter change (the ``change`` event through the new
tables, code panel and a forced layout) for a 16x16 input and a 7x7 kernel,
next to the same measurement for a 3x3 input and kernel as the baseline.
Targets (printed, not asserted): one frame, 16 ms; at most 60 KB of JS+CSS.

Run with ``nox -s bench`` (or ``python benchmarks/bench_explorer.py``).
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from chromium import CHROMIUM
from chromium import CHROMIUM_ARGS as ARGS

SITE = Path(os.environ.get("CONV_EXPLAINED_SITE", ROOT / "docs" / "_build" / "html"))
TARGET_MS = 16.0
BUDGET_BYTES = 60 * 1024

#: Flip a control back and forth; time each change event to a laid-out page.
TIME_CHANGES = """
([name, a, b, rounds]) => {
  const form = document.querySelector('.conv-explorer form');
  const field = form.elements[name];
  const times = [], script = [];
  for (let n = 0; n < rounds; n++) {
    field.value = n % 2 ? a : b;
    const start = performance.now();
    field.dispatchEvent(new Event('change', {bubbles: true}));
    const ran = performance.now();
    document.body.offsetHeight;  // force style and layout
    times.push(performance.now() - start);
    script.push(ran - start);
  }
  const out = document.querySelector('table[data-grid="output"]');
  return {times: times, script: script, outputs: out ? out.querySelectorAll('td').length : 0};
}
"""

#: Time from a change to the frame after it is painted (requestAnimationFrame
#: twice): quantised by the 60 Hz frame clock, so 16.7 or 33.3 ms even for a
#: trivial change (the baseline shows it).
TIME_FRAME = """
async ([name, a, b, rounds]) => {
  const field = document.querySelector('.conv-explorer form').elements[name];
  const times = [];
  for (let n = 0; n < rounds; n++) {
    field.value = n % 2 ? a : b;
    const start = performance.now();
    field.dispatchEvent(new Event('change', {bubbles: true}));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    times.push(performance.now() - start);
  }
  return times;
}
"""


def _summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (
        f"median {statistics.median(times):6.2f} ms  min {min(times):6.2f} ms  "
        f"p95 {p95:6.2f} ms  max {max(times):6.2f} ms"
    )


def main() -> int:
    """Print the widget weight and the re-render times (or why they were not measured)."""
    files = [SITE / "_static" / "explorer.js", SITE / "_static" / "explorer.css"]
    if not all(f.is_file() for f in files):
        print(f"\nexplorer: not measured, no built site in {SITE} (run `nox -s docs` first)")
        return 0
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), 9, mtime=0)) for f in files)
    print("\nExplorer widget (explorer.js + explorer.css)")
    print(
        f"weight: {raw:,} bytes uncompressed ({raw / BUDGET_BYTES:.0%} of the 60 KB budget), "
        f"{packed:,} bytes gzipped"
    )

    if not Path(CHROMIUM).exists():
        print(
            f"explorer re-render: not measured, {CHROMIUM} is missing (apt-get install chromium)"
        )
        return 0
    from playwright.sync_api import sync_playwright

    url = (SITE / "explorer.html").resolve().as_uri()
    cases = [
        ("16x16 input, 7x7 kernel", "?mode=correlate&input=16&kernel=7&padding=3&seed=1"),
        ("3x3 input, 3x3 kernel (baseline)", "?mode=correlate&input=3&kernel=3&padding=1&seed=1"),
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        results = {}
        for label, query in cases:
            page.goto(url + query)
            page.wait_for_selector("table[data-grid='output']")
            page.evaluate(TIME_CHANGES, ["stride0", "1", "2", 20])  # warm up
            changes, script = {}, []
            for name, a, b in (
                ("stride0", "1", "2"),
                ("dilation1", "1", "2"),
                ("padding0", "3", "2"),
            ):
                got = page.evaluate(TIME_CHANGES, [name, a, b, 100])
                changes[name] = got["times"]
                script += got["script"]
            frame = page.evaluate(TIME_FRAME, ["stride1", "1", "2", 30])
            everything = [t for ts in changes.values() for t in ts]
            results[label] = statistics.median(everything)
            print(
                f"\nre-render after a parameter change, {label} (Chromium, change to laid-out page):"
            )
            for name, ts in changes.items():
                print(f"  {name:<10} {_summary(ts)}")
            print(f"  of which script only: {_summary(script)}")
            print(f"  to the next painted frame: {_summary(frame)}")
        browser.close()
    big, small = (results[label] for label, _ in cases)
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    print(
        f"\n16x16/7x7 median {big:.2f} ms against the {TARGET_MS:.0f} ms frame target "
        f"({big / TARGET_MS:.2f} of a frame); {big / small:.1f}x the 3x3 baseline ({small:.2f} ms); load per CPU while measuring: {load:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
