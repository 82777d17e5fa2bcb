"""Run the framework probes whose results are missing or stale.

Usage, from anywhere::

    python probes/ensure_results.py          # run nox for what is missing or stale
    python probes/ensure_results.py --list   # only print those framework names
    python probes/ensure_results.py --check  # exit 1 with the reasons, run nothing

A result is stale when the cases (:mod:`probes.cases`) or the code that made
it (``probe.py``, ``_record.py``, its ``fw_<name>.py``, its requirements)
changed. Probes run through nox (``nox -s "frameworks(<name>)"``), each in
its own virtual environment. The nox command is ``$NOX`` if set, else
``python -m nox`` with this interpreter if it has nox, else ``nox`` on the
PATH.

From the noxfile's docs session (whose own venv has no nox) use ``--list``
and run nox with the interpreter that runs the noxfile::

    stale = session.run("python", "probes/ensure_results.py", "--list", silent=True).split()
    if stale:
        session.run(sys.executable, "-m", "nox", "-s",
                    *(f"frameworks({name})" for name in stale), external=True)
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from probes.probe import FRAMEWORKS, missing_or_stale


def nox_command() -> list[str]:
    """How to call nox from here (see the module docstring)."""
    if os.environ.get("NOX"):
        return shlex.split(os.environ["NOX"])
    if importlib.util.find_spec("nox") is not None:
        return [sys.executable, "-m", "nox"]
    found = shutil.which("nox")
    if found:
        return [found]
    raise SystemExit(
        "nox is needed to run the framework probes: `python -m pip install nox`, or set NOX"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--list", action="store_true", help="print what is missing or stale")
    group.add_argument("--check", action="store_true", help="fail if anything is")
    args = parser.parse_args(argv)
    problems = missing_or_stale(frameworks=FRAMEWORKS)
    if args.list:
        print(" ".join(problems))
        return 0
    if not problems:
        if not args.check:
            print("framework probe results are all present and up to date")
        return 0
    for name, why in problems.items():
        print(f"probes/results/{name}.json: {why}", file=sys.stderr)
    if args.check:
        print("run `nox -s frameworks` (or python probes/ensure_results.py)", file=sys.stderr)
        return 1
    sessions = [f"frameworks({name})" for name in problems]
    command = [*nox_command(), "-f", str(ROOT / "noxfile.py"), "-s", *sessions]
    print("+", shlex.join(command), file=sys.stderr)
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
