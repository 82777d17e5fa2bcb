"""Every MyST-NB page of the site as a downloadable notebook.

At build time each page whose front matter names a ``kernelspec`` is read
with MyST-NB's own reader (the one that executes it) into a Jupyter
notebook, written to ``_notebooks/<page>.ipynb`` in the HTML output, and the
page gets a download link under its title. Nothing is fetched at page load.
Cell ids are numbered, not random, so two builds write the same bytes.
``tests/test_notebooks.py`` runs every one of these notebooks in a fresh
kernel (``nox -s notebooks``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

FOLDER = "_notebooks"


def page_notebook(source: str) -> Any | None:
    """The notebook of a MyST page's text, or None if the page is not a notebook."""
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook

    front = re.match(r"\A---\n(.*?)\n---\n", source, flags=re.DOTALL)
    if not front or "kernelspec:" not in front.group(1):
        return None
    notebook = read_myst_markdown_notebook(source)
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"  # nbformat would draw random ids: not reproducible
    nbformat.validate(notebook)
    return notebook


def write_notebook(notebook: Any, path: Path) -> None:
    """Write ``notebook`` to ``path`` with stable bytes."""
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")


def add_download(app: Any, doctree: Any, docname: str) -> None:
    """Write the page's notebook and link it under the page title (HTML builders only)."""
    from docutils import nodes

    if app.builder.format != "html":
        return
    source = Path(app.env.doc2path(docname))
    if source.suffix != ".md":
        return
    text = source.read_text(encoding="utf-8")
    notebook = page_notebook(text)
    if notebook is None:
        return
    # Every executed page's notebook is written (tests/notebooks runs each in a fresh
    # kernel); the landing page alone does not link its own.
    write_notebook(notebook, Path(app.outdir) / FOLDER / f"{docname}.ipynb")
    if docname == app.config.root_doc:
        return
    # A page that reads the recorded framework outputs also needs them made.
    needs_probes = re.search(r"^\s*from probes\b|^\s*import probes\b", text, re.MULTILINE)
    probes_note = (
        ", then <code>nox -s frameworks</code> (it reads the recorded framework outputs)"
        if needs_probes
        else ""
    )
    href = "../" * docname.count("/") + f"{FOLDER}/{docname}.ipynb"
    name = f"{Path(docname).name}.ipynb"
    link = nodes.raw(
        "",
        f'<p class="ce-notebook-download"><a class="reference download internal" '
        f'download="{name}" href="{href}">Notebook <code>{name}</code></a> '
        f"<span class='ce-notebook-note'>(runs in a clone of the repository after "
        f"<code>pip install -e '.[docs]'</code>{probes_note})</span></p>",
        format="html",
    )
    section = doctree.next_node(nodes.section)
    if section is None:
        return
    title = section.next_node(nodes.title)
    section.insert(section.index(title) + 1 if title is not None else 0, link)


def setup(app: Any) -> dict[str, Any]:
    """Connect the notebook writer to the build."""
    app.connect("doctree-resolved", add_download)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
