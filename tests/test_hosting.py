"""Hosting configs build the site the README's way, with the one torch pin.

The pin's source is ``[tool.conv_explained] torch-pin`` in pyproject.toml; the
noxfile reads it. Every other mention must agree, and no hosting config may
call ``sphinx-build`` itself or install torch on its own (the noxfile does).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
PIN = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["conv_explained"]["torch-pin"]
TORCH_REQ = re.compile(r"\btorch\s*(==|>=|<=|~=|>|<|!=)\s*[0-9][\w.+]*")


def _commands(config: object) -> list[str]:
    """Every string in a parsed YAML document (commands, run: blocks, env values)."""
    if isinstance(config, dict):
        return [s for value in config.values() for s in _commands(value)]
    if isinstance(config, list):
        return [s for value in config for s in _commands(value)]
    return [config] if isinstance(config, str) else []


def _hosting_configs() -> dict[str, object]:
    return {
        ".readthedocs.yaml": yaml.safe_load((ROOT / ".readthedocs.yaml").read_text()),
        ".github/workflows/docs.yml": yaml.safe_load(
            (ROOT / ".github/workflows/docs.yml").read_text()
        ),
    }


def test_pin_is_exact_and_noxfile_reads_it():
    assert re.fullmatch(r"torch==\d+\.\d+\.\d+", PIN), PIN
    # The tests' venv has no nox, so read the noxfile's source rather than import it.
    source = (ROOT / "noxfile.py").read_text()
    [assignment] = [line for line in source.splitlines() if line.startswith("TORCH =")]
    assert '["tool"]["conv_explained"]["torch-pin"]' in assignment, assignment
    assert "pyproject.toml" in assignment, assignment
    assert "torch==" not in source  # read, never retyped
    assert "session.install(TORCH)" in source


def test_every_other_mention_of_the_pin_agrees():
    sys.path.insert(0, str(ROOT))
    try:
        from probes.probe import FRAMEWORKS
    finally:
        sys.path.remove(str(ROOT))
    assert PIN in FRAMEWORKS["torch"]
    for name in (
        "README.md",
        "probes/probe.py",
        ".readthedocs.yaml",
        ".github/workflows/docs.yml",
    ):
        text = (ROOT / name).read_text()
        for match in TORCH_REQ.finditer(text):
            assert match.group(0).replace(" ", "") == PIN, (name, match.group(0), PIN)
    assert PIN in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", [".readthedocs.yaml", ".github/workflows/docs.yml"])
def test_hosting_builds_through_nox_docs(name):
    commands = _commands(_hosting_configs()[name])
    joined = "\n".join(commands)
    assert "sphinx-build" not in joined, f"{name} calls sphinx-build directly"
    assert re.search(r"\bnox\b[^\n]*-s\b[^\n]*\bdocs\b", joined), f"{name} never runs nox -s docs"
    for command in commands:
        if re.search(r"pip\s+install", command):
            assert "torch" not in command, f"{name} installs torch itself: {command!r}"
        for match in TORCH_REQ.finditer(command):
            assert match.group(0).replace(" ", "") == PIN, (name, command)


def test_read_the_docs_copies_the_nox_output_to_its_output_folder():
    config = _hosting_configs()[".readthedocs.yaml"]
    assert "sphinx" not in config, "the sphinx: key makes RTD run sphinx-build itself"
    assert "python" not in config, "python.install would build another environment"
    commands = config["build"]["commands"]
    assert any("docs/_build/html" in c and "$READTHEDOCS_OUTPUT/html" in c for c in commands)


def test_pages_workflow_uploads_the_nox_output():
    config = _hosting_configs()[".github/workflows/docs.yml"]
    steps = config["jobs"]["build"]["steps"]
    upload = [s for s in steps if "upload-pages-artifact" in s.get("uses", "")]
    assert upload
    assert upload[0]["with"]["path"] == "docs/_build/html"
