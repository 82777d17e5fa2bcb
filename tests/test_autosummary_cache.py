"""docs/_ext/autosummary_cache.py: autosummary is skipped only when nothing it reads changed."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("sphinx")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))
import autosummary_cache as cache


def _tree(tmp_path: Path) -> SimpleNamespace:
    (tmp_path / "conv_explained").mkdir()
    (tmp_path / "conv_explained" / "ops.py").write_text("def f():\n    pass\n")
    docs = tmp_path / "docs"
    (docs / "_templates" / "autosummary").mkdir(parents=True)
    (docs / "_templates" / "autosummary" / "base.rst").write_text("{{ fullname }}\n")
    (docs / "api" / "generated").mkdir(parents=True)
    (docs / "api" / "generated" / "conv_explained.f.rst").write_text("f\n=\n")
    (docs / "api.md").write_text("```{eval-rst}\n.. autosummary::\n   f\n```\n")
    (docs / "other.md").write_text("no directive here\n")
    (docs / "conf.py").write_text("autosummary_generate = True\n")
    (docs / "_build").mkdir()
    return SimpleNamespace(
        srcdir=str(docs),
        doctreedir=str(docs / "_build"),
        config=SimpleNamespace(autosummary_generate=True),
    )


def _generates(app: SimpleNamespace) -> bool:
    """What autosummary would be told on this build (and the value restored after)."""
    cache.maybe_skip(app)
    told = app.config.autosummary_generate
    cache.restore(app)
    assert app.config.autosummary_generate is True
    return told


@pytest.mark.parametrize(
    "edit",
    [
        "conv_explained/ops.py",
        "docs/api.md",
        "docs/conf.py",
        "docs/_templates/autosummary/base.rst",
        "docs/api/generated/conv_explained.f.rst",
    ],
)
def test_autosummary_runs_again_when_an_input_or_stub_changes(tmp_path, edit):
    app = _tree(tmp_path)
    assert _generates(app) is True  # no record yet
    cache.record(app, None)
    assert _generates(app) is False  # nothing changed: skipped
    (tmp_path / edit).write_text((tmp_path / edit).read_text() + "\n# edited\n")
    assert _generates(app) is True
    assert _generates(app) is True  # the stale record is gone until a build finishes


def test_a_page_without_the_directive_does_not_count_and_a_failed_build_records_nothing(
    tmp_path,
):
    app = _tree(tmp_path)
    cache.record(app, RuntimeError("build failed"))
    assert _generates(app) is True
    cache.record(app, None)
    (tmp_path / "docs" / "other.md").write_text("edited\n")
    assert _generates(app) is False
    (tmp_path / "docs" / "api" / "generated" / "conv_explained.f.rst").unlink()
    assert _generates(app) is True
