"""Execute the code cells of MyST-NB pages without Sphinx, as the build would.

Usage: ``python tools/run_page.py docs/pooling.md [docs/other.md ...]``

Each page's ``{code-cell}`` blocks run in order in one namespace, in the
page's folder (as MyST-NB runs them), with matplotlib's Agg backend. A cell
tagged ``raises-exception`` may raise; any other exception (a failed
assertion, say) stops the run with status 1. This is how ``tools/mutation.py``
verifies the docs quickly; the real build (``nox -s docs``) also renders them.
"""

from __future__ import annotations

import os
import re
import sys
import time
import traceback
from pathlib import Path

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def cells(text: str) -> list[tuple[str, set[str]]]:
    """The code of each cell and its tags, with the cell options removed."""
    found = []
    for body in CELL.findall(text):
        lines = body.splitlines()
        tags: set[str] = set()
        if lines and lines[0].strip() == "---":  # a YAML block of options
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
            options, lines = lines[1:end], lines[end + 1 :]
        else:
            options = []
            while lines and lines[0].startswith(":"):
                options.append(lines.pop(0)[1:])
        for option in options:
            key, _, value = option.partition(":")
            if key.strip() == "tags":
                tags |= set(re.findall(r"[\w-]+", value))
        found.append(("\n".join(lines), tags))
    return found


def run_page(page: Path) -> None:
    """Run every cell of ``page``; raises what a cell raises."""
    namespace = {"__name__": "__main__"}
    previous = Path.cwd()
    os.chdir(page.parent)
    try:
        for index, (code, tags) in enumerate(cells(page.read_text(encoding="utf-8"))):
            compiled = compile(code, f"{page.name}[cell {index}]", "exec")
            try:
                exec(compiled, namespace)  # noqa: S102 - the page's own code
            except Exception:
                if "raises-exception" not in tags:
                    raise
    finally:
        os.chdir(previous)
        import matplotlib.pyplot as plt

        plt.close("all")


def main(argv: list[str]) -> int:
    """Run each page named in ``argv``; 1 at the first that fails."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in argv:
        page = Path(name).resolve()
        start = time.perf_counter()
        try:
            run_page(page)
        except Exception:  # noqa: BLE001 - reported, then the run fails
            traceback.print_exc()
            print(f"{name}: FAILED", file=sys.stderr)
            return 1
        print(f"{name}: ok ({time.perf_counter() - start:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
