"""Benchmark: the size of the guide's PDF, against a budget of 25 MB.

Reads ``docs/_build/pdf/conv_explained.pdf`` (``nox -s pdf``) and the build
record beside it; without a PDF it builds one first (``tools/build_pdf.py``,
which needs the built site) and reports that build's time too. Prints the
size, the page count, the number of pages of the site it holds, the time its
last build took and how many network requests that build had to block.

Run with ``nox -s bench`` or ``python benchmarks/bench_pdf.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "docs" / "_build" / "pdf" / "conv_explained.pdf"
BUDGET_MB = 25.0


def main() -> None:
    """Print the PDF's size and pages (building it first if there is none)."""
    if not PDF.is_file():
        print("no PDF in docs/_build/pdf: building it (tools/build_pdf.py)")
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_pdf.py")], check=True)
    from pypdf import PdfReader

    size_mb = PDF.stat().st_size / 1e6
    pages = len(PdfReader(PDF).pages)
    record = json.loads(PDF.with_suffix(".json").read_text(encoding="utf-8"))
    print("\nthe guide's PDF (nox -s pdf)")
    print(f"  size {size_mb:.2f} MB; budget {BUDGET_MB:.0f} MB", end="")
    print(f" ({'within' if size_mb <= BUDGET_MB else 'OVER'} the budget)")
    print(f"  {pages} PDF pages from {len(record['entries'])} pages of the site")
    print(f"  last build: {record['seconds']} s, {record['blocked_requests']} network requests")


if __name__ == "__main__":
    main()
