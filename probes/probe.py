"""Run one framework on every probe case and record its raw outputs as JSON.

Usage (from the repository root, in a virtual environment that has the
framework installed; ``nox -s frameworks`` does this for all of them)::

    python -m probes.probe FRAMEWORK [--out DIR]

The probe computes nothing itself: for each case its ``fw_<framework>``
module translates the inputs to the framework's layout, makes the call and
returns the output untouched. The JSON holds the framework's version, each
exact call, the raw outputs, and the hashes that tell
:mod:`probes.ensure_results` when a result is stale.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import platform
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

#: Framework name -> the pip requirements of its probe environment.
FRAMEWORKS: dict[str, list[str]] = {
    # mxnet 1.9.1 (the last release) still uses np.bool etc., removed in numpy 1.24.
    "mxnet": ["mxnet==1.9.1", "numpy<1.24"],
    "tensorflow": ["tensorflow-cpu"],
    # The pin takes the local CPU wheel; an unpinned torch pulls a multi-GB CUDA build.
    "torch": ["torch==2.13.0", "numpy"],  # torch does not depend on numpy
    "jax": ["jax"],
    "numpy": ["numpy"],
    "scipy": ["scipy"],
}


def probe_sha256(framework: str) -> str:
    """Hash of the code that makes a framework's result (shared files + its module)."""
    digest = hashlib.sha256()
    for name in ("probe.py", "cases.py", "_record.py", "_signal_cases.py", f"fw_{framework}.py"):
        digest.update(name.encode())
        digest.update((HERE / name).read_bytes())
    digest.update(json.dumps(FRAMEWORKS[framework]).encode())
    return digest.hexdigest()


def missing_or_stale(
    folder: Path = RESULTS, frameworks: Iterable[str] = FRAMEWORKS
) -> dict[str, str]:
    """Frameworks whose result file is absent, unreadable or stale, with the reason.

    Stale means the cases or the code that made the result changed since:
    the hashes stored in the JSON differ from :func:`~probes.cases.cases_sha256`
    and :func:`probe_sha256` now.
    """
    from .cases import cases_sha256

    problems = {}
    for name in frameworks:
        path = Path(folder) / f"{name}.json"
        if not path.exists():
            problems[name] = "missing"
            continue
        try:
            result = json.loads(path.read_text())
        except json.JSONDecodeError as error:
            problems[name] = f"unreadable: {error}"
            continue
        if result.get("cases_sha256") != cases_sha256():
            problems[name] = "stale: the cases changed"
        elif result.get("probe_sha256") != probe_sha256(name):
            problems[name] = "stale: the probe code changed"
    return problems


def run(framework: str) -> dict[str, Any]:
    """Probe one framework; return the JSON-able result."""
    from .cases import CASES, cases_sha256

    start = time.perf_counter()
    module = importlib.import_module(f"probes.fw_{framework}")
    imported = time.perf_counter()
    entries = []
    for case in CASES:
        for entry in module.run(case):
            entries.append({"case": case["id"], **entry})
    done = time.perf_counter()
    return {
        "framework": framework,
        "versions": module.versions(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cases_sha256": cases_sha256(),
        "probe_sha256": probe_sha256(framework),
        "seconds": {"import": round(imported - start, 3), "cases": round(done - imported, 3)},
        "entries": entries,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: probe one framework and write ``<out>/<framework>.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("framework", choices=sorted(FRAMEWORKS))
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON")
    args = parser.parse_args(argv)
    result = run(args.framework)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.framework}.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    versions = ", ".join(f"{k} {v}" for k, v in result["versions"].items())
    print(f"{path}: {len(result['entries'])} calls ({versions}), {result['seconds']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
