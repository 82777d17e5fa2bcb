"""The site under a strict Content-Security-Policy (``default-src 'self'``): no inline script.

Careful hosts send ``Content-Security-Policy: default-src 'self'``, which blocks
every inline ``<script>``. Three kinds were on this site:

* the theme's mode script in ``layout.html`` and the search page's focus script:
  ``docs/_templates`` overrides both templates and loads the same code from
  ``_static/theme_mode.js`` and ``_static/search_focus.js``;
* the MathJax configuration that Sphinx writes inline (built by MyST from
  ``myst_mathjax_classes``): :func:`mathjax_config_from_file` checks that the
  first line of ``_static/mathjax_config.js`` holds exactly that configuration,
  then turns the inline one off (the file is loaded before MathJax, from
  ``html_js_files``). The rest of that file gives MathJax's CSS to constructed
  style sheets, since its ``<style>`` elements are inline styles the policy blocks;
* scripts added with ``app.add_js_file(None, body=...)`` (pydata-sphinx-theme sets
  ``DOCUMENTATION_OPTIONS.pagename`` and ``search_as_you_type`` so on every page):
  :func:`externalise_inline_scripts` writes each body to
  ``_static/_inline/<sha256>.js`` and loads it from there, at the same place in
  the page, so the theme sees the same values. The names hash the contents:
  two builds write the same bytes.

``tests/browser/test_csp.py`` serves the built site with that header and loads
every page: no violation, and the math is typeset.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from sphinx.errors import ExtensionError

FOLDER = "_inline"
CONFIG_FILE = "mathjax_config.js"


def mathjax_config_from_file(app: Any) -> None:
    """``builder-inited`` (after MyST): the inline MathJax configuration, replaced by the file."""
    path = Path(app.confdir) / "_static" / CONFIG_FILE
    text = path.read_text(encoding="utf-8")
    found = re.match(r"window\.MathJax = (\{.*\});$", text.splitlines()[0] if text else "")
    if found is None:
        raise ExtensionError(
            f"{path} must start with `window.MathJax = {{...}};` (JSON on one line), "
            f"got {text[:80]!r}"
        )
    given = json.loads(found.group(1))
    for name in ("mathjax3_config", "mathjax4_config"):
        wanted = getattr(app.config, name, None)
        if wanted:
            if given != wanted:
                raise ExtensionError(
                    f"{path} is out of date: the build's {name} is {json.dumps(wanted)}"
                )
            setattr(app.config, name, None)


def _external(app: Any, js: Any) -> Any:
    body = js.attributes["body"]
    name = hashlib.sha256(body.encode("utf-8")).hexdigest()[:20] + ".js"
    folder = Path(app.outdir) / "_static" / FOLDER
    target = folder / name
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(body + "\n", encoding="utf-8")
    attributes = {k: v for k, v in js.attributes.items() if k != "body"}
    return type(js)(f"_static/{FOLDER}/{name}", priority=js.priority, **attributes)


def externalise_inline_scripts(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context`` (last): every script with a body but no file gets a file."""
    files = context.get("script_files")
    if not files:
        return
    files[:] = [
        _external(app, js)
        if not getattr(js, "filename", "x") and getattr(js, "attributes", {}).get("body")
        else js
        for js in files
    ]


def setup(app: Any) -> dict[str, Any]:
    """Hook both steps into the build."""
    app.connect("builder-inited", mathjax_config_from_file, priority=900)
    app.connect("html-page-context", externalise_inline_scripts, priority=999)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
