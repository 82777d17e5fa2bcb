"""Sphinx configuration for the conv_explained site.

Every number on the site is computed while it builds: MyST-NB executes the
pages (``docs/*.md``) and sphinx-gallery runs the scripts in ``gallery/``; an
assertion that fails stops the build. Nothing is fetched from the network,
neither while building nor while reading (MathJax is served from
``_static/mathjax``).

Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html``
(or ``nox -s docs``; ``nox -s docs -- --fresh`` re-executes everything).
"""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import distribution
from pathlib import Path

DOCS = Path(__file__).resolve().parent

# Before anything imports matplotlib: the rc file with the settings that keep
# image bytes identical between builds. Child processes (MyST-NB's kernels)
# inherit it.
os.environ["MATPLOTLIBRC"] = str(DOCS / "matplotlibrc")
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")  # no dates inside SVG/PDF metadata

import sys

sys.path.insert(0, str(DOCS / "_ext"))

import conv_explained

# -- Project ------------------------------------------------------------------
project = "conv_explained"
author = "the conv_explained authors"
copyright = "the conv_explained authors"  # no year: identical output every year
release = version = conv_explained.__version__

# -- General ------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",  # brings myst_parser; never list both
    "sphinx_gallery.gen_gallery",
    "sphinx_design",
    "sphinx_copybutton",
    "conv_explained._sphinx",  # animated-image directive, <picture> output
    "conv_explained._explorer",  # the conv-explorer directive (interactive explorer)
    "page_notebooks",  # docs/_ext: every MyST-NB page as a downloadable .ipynb
    "strict_csp",  # docs/_ext: no inline script (Content-Security-Policy default-src 'self')
]
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "_ext",
    "Thumbs.db",
    ".DS_Store",
    "**.ipynb_checkpoints",
    # sphinx-gallery writes a notebook, a script and zips next to each example
    "auto_gallery/**.ipynb",
    "auto_gallery/**.py",
    "auto_gallery/**.zip",
    "auto_gallery/**.json",
    "gen_modules/**",
]
nitpicky = True
nitpick_ignore = [
    # numpydoc's type words, written as plain text in the docstrings
    ("py:class", "array_like"),
    ("py:class", "optional"),
]
# No intersphinx (the build fetches nothing), so references into other
# projects cannot resolve: they stay plain text.
nitpick_ignore_regex = [
    (r"py:.*", r"(torch|numpy|np|scipy|matplotlib|PIL|imageio|itertools|collections)\..*"),
    # Private helpers (a name part starting with "_") are not in the API reference.
    (r"py:.*", r"conv_explained\.(\w+\.)*_\w+(\.\w+)*"),
]

# -- MyST and MyST-NB -----------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")  # cleared by --fresh
nb_execution_raise_on_error = True  # a failing assertion fails the build
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_output_stderr = "warn"  # a warning printed by a page is a build warning (-W)
nb_merge_streams = True

# -- sphinx-gallery -----------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": ["../gallery"],
    "gallery_dirs": ["auto_gallery"],
    "filename_pattern": r"plot_",
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "write_computation_times": False,  # the times page pulls scripts from CDNs
    "show_signature": False,
    "show_memory": False,
    "matplotlib_animations": False,  # base64 frames and CDN CSS; GIFs come from the scraper
    # Callables cannot be cached by Sphinx: name them by dotted string.
    "image_scrapers": ("matplotlib", "conv_explained._sphinx.gif_scraper"),
    "reset_modules": ("matplotlib", "conv_explained._sphinx.reset_matplotlib"),
    "doc_module": ("conv_explained",),
    "backreferences_dir": "gen_modules/backreferences",
    "remove_config_comments": True,
    "ignore_repr_types": r"Path",  # save_gif(...) returns its path: not worth showing
    "download_all_examples": False,
    "default_thumb_file": None,
}

# -- API reference --------------------------------------------------------------
autosummary_generate = True
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# Modules whose __all__ the API reference must cover (checked by
# conv_explained._sphinx: a name missing from docs/api.md is a build warning).
ce_api_modules = [
    "conv_explained",
    "conv_explained.render",
    "conv_explained.catalog",
    "conv_explained.cli",
]

# -- HTML -----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "conv_explained"
html_context = {"default_mode": "auto"}
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 2,
    "navbar_end": ["theme-switcher"],
    "footer_start": ["copyright"],
    "footer_end": [],
    "secondary_sidebar_items": ["page-toc"],
    "use_edit_page_button": False,
    "show_version_warning_banner": False,
}
# Top-level pages have no sub-pages: no left sidebar, a wider text column.
# (The API reference and the gallery keep theirs.)
html_sidebars = {page.stem: [] for page in DOCS.glob("*.md") if page.stem != "api"}
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_css_files = ["conv_explained.css", "strict_csp.css"]
# mathjax_config.js: MathJax's configuration as a file, loaded before MathJax (which
# is deferred); docs/_ext/strict_csp.py checks it equals what MyST asks for and
# drops Sphinx's inline copy, so that no page holds an inline script.
html_js_files = ["label_toggles.js", ("mathjax_config.js", {"priority": 400})]

# MathJax from the installed sphinx-mathjax-offline wheel (not listed as an
# extension: that copies the files twice and is not parallel-safe).
_MATHJAX_STATIC = Path(
    distribution("sphinx-mathjax-offline").locate_file("sphinx-mathjax-offline/static")
)
if not (_MATHJAX_STATIC / "mathjax" / "tex-chtml.js").is_file():
    raise RuntimeError(
        f"MathJax not found in {_MATHJAX_STATIC}: pip install sphinx-mathjax-offline"
    )
html_static_path = ["_static", str(_MATHJAX_STATIC)]
mathjax_path = "mathjax/tex-chtml.js"

copybutton_prompt_text = r">>> |\.\.\. "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"


# Pages built from the recorded framework probe results. Sphinx re-reads a
# page when its text changes and MyST-NB's cache re-executes it when its code
# changes; neither sees probes/results/*.json. So these pages list the files
# as dependencies (Sphinx re-reads them when one changes) and get a hidden cell
# holding the files' digest (the execution cache misses when one changes).
# A no-change rebuild then reuses both, instead of re-running the pages.
PROBE_PAGES = ("frameworks", "gotchas")
_PROBE_FILES = ("probes/compare.py", "probes/cases.py", "probes/results/*.json")


def _probe_files() -> list[Path]:
    root = DOCS.parent
    return sorted(f for pattern in _PROBE_FILES for f in root.glob(pattern) if f.is_file())


def probe_digest() -> str:
    """SHA-256 over the names and bytes of the files the probe pages read."""
    digest = hashlib.sha256()
    for path in _probe_files():
        digest.update(path.relative_to(DOCS.parent).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _track_probe_results(app, docname, source):
    """``source-read``: tie a probe page to the probe files it reads."""
    if docname not in PROBE_PAGES:
        return
    for path in _probe_files():
        app.env.note_dependency(str(path))
    text = source[0]
    end = text.index("\n---\n", 4) + len("\n---\n")  # after the front matter
    cell = (
        "\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
        f"# probe files digest (re-executes this page when they change): {probe_digest()}\n"
        "```\n"
    )
    source[0] = text[:end] + cell + text[end:]


def setup(app):
    """Hook the probe-results tracking into this build."""
    app.connect("source-read", _track_probe_results)
