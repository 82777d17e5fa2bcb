"""Skip autosummary's stub generation when nothing it reads has changed.

``sphinx.ext.autosummary`` regenerates the API stubs (``docs/api/generated``)
on every build: it imports each documented object and parses its module's
source, about a second of a no-change rebuild here. Its output depends only
on the package's Python source, the pages holding ``autosummary`` directives,
the configuration, the autosummary templates and the Sphinx version. This
extension keeps a SHA-256 of those inputs and of the stubs generated from
them (in the doctree folder, written only when a build finishes); when both
still match, it turns ``autosummary_generate`` off for this build. Any edit to
an input, or to or of a stub, and autosummary runs as before.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import sphinx
from code_digest import digest

#: In the doctree folder: the inputs' and stubs' digest of the last finished build.
KEY_FILE = "autosummary_inputs.sha256"


def inputs_digest(app: Any) -> str:
    """SHA-256 of what autosummary reads and of the stubs it wrote."""
    src = Path(app.srcdir)
    root = src.parent
    files = [p for p in (root / "conv_explained").rglob("*.py") if "__pycache__" not in p.parts]
    files += [p for p in src.glob("*.md") if "autosummary::" in p.read_text(encoding="utf-8")]
    files += [src / "conf.py", *sorted((src / "_templates").rglob("*"))]
    files += sorted((src / "api" / "generated").rglob("*"))
    files = [p for p in files if p.is_file()]
    return hashlib.sha256(f"{sphinx.__version__}\n{digest(files, root)}".encode()).hexdigest()


def _key_path(app: Any) -> Path:
    return Path(app.doctreedir) / KEY_FILE


def maybe_skip(app: Any) -> None:
    """``builder-inited``, before autosummary: off when the inputs and stubs are unchanged."""
    path = _key_path(app)
    app.ce_autosummary_generate = app.config.autosummary_generate
    if path.is_file() and path.read_text(encoding="utf-8").strip() == inputs_digest(app):
        app.config.autosummary_generate = False
    else:
        path.unlink(missing_ok=True)


def restore(app: Any) -> None:
    """``builder-inited``, after autosummary: the configured value back.

    The setting is an ``env`` option: left off, the saved environment would
    record a changed configuration and the next build would re-read every page.
    """
    app.config.autosummary_generate = app.ce_autosummary_generate


def record(app: Any, exception: BaseException | None) -> None:
    """``build-finished``: keep the digest of what this build read and wrote."""
    if exception is None:
        _key_path(app).write_text(inputs_digest(app) + "\n", encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    """Connect around autosummary's own ``builder-inited`` handler (priority 500)."""
    app.connect("builder-inited", maybe_skip, priority=400)
    app.connect("builder-inited", restore, priority=600)
    app.connect("build-finished", record)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
