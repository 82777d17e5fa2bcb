"""docs/api.md lists every public name of every public module."""

import importlib
import re
from pathlib import Path

import pytest

API = Path(__file__).resolve().parents[1] / "docs" / "api.md"

MODULES = [
    "conv_explained",
    "conv_explained.ops",
    "conv_explained.local",
    "conv_explained.shapes",
    "conv_explained.pooling",
    "conv_explained.grad",
    "conv_explained.matrix",
    "conv_explained.spectral",
    "conv_explained.render",
    "conv_explained.catalog",
    "conv_explained.cli",
    "conv_explained.verify",
]


def _listed() -> set[str]:
    """Full dotted names of the autosummary entries, read with their currentmodule."""
    module = ""
    names: set[str] = set()
    in_summary = False
    for line in API.read_text(encoding="utf-8").splitlines():
        if found := re.match(r"\.\. currentmodule:: (\S+)", line):
            module = found.group(1)
        elif line.startswith(".. autosummary::"):
            in_summary = True
        elif in_summary and (entry := re.fullmatch(r" {3}([A-Za-z_][\w.]*)", line)):
            names.add(f"{module}.{entry.group(1)}")
        elif in_summary and line.startswith("```"):
            in_summary = False
    return names


def _objects(names: set[str]) -> list[object]:
    found = []
    for name in names:
        module, _, attr = name.rpartition(".")
        found.append(getattr(importlib.import_module(module), attr))
    return found


@pytest.mark.parametrize("module_name", MODULES)
def test_api_page_lists_every_public_name(module_name):
    documented = _objects(_listed())
    module = importlib.import_module(module_name)
    missing = [
        name
        for name in module.__all__
        if not any(getattr(module, name) is obj for obj in documented)
    ]
    assert missing == [], f"docs/api.md does not list {module_name}: {missing}"


def test_api_page_entries_exist():
    assert len(_objects(_listed())) > 40
