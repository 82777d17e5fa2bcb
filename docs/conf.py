"""Sphinx configuration for the conv_explained site.

Every number on the site is computed while it builds: MyST-NB executes the
pages (``docs/*.md``) and sphinx-gallery runs the scripts in ``gallery/``; an
assertion that fails stops the build. Nothing is fetched from the network,
neither while building nor while reading (MathJax is served from
``_static/mathjax``).

Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html``
(or ``nox -s docs``). A page or script runs again when its code or the code
it imports changes (``docs/_ext/code_digest.py``); ``nox -s docs -- --fresh``
re-executes everything.
"""

from __future__ import annotations

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
    "verification_ledger",  # docs/_ext: every certificate, listed on the ledger page
    "prose_numbers",  # docs/_ext: no number typed into the prose (a build warning)
    "code_digest",  # docs/_ext: re-run pages and scripts whose code changed; one-line failures
    "autosummary_cache",  # docs/_ext: autosummary skipped when its inputs are unchanged
    "search_excerpts",  # docs/_ext: search excerpts from file:// too
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
    "min_reported_time": 10**9,  # no "Total running time" line: a typed, unreproducible number
    "show_signature": False,
    "show_memory": False,
    "matplotlib_animations": False,  # base64 frames and CDN CSS; GIFs come from the scraper
    # Callables cannot be cached by Sphinx: name them by dotted string.
    "image_scrapers": ("matplotlib", "conv_explained._sphinx.gif_scraper"),
    "reset_modules": (
        "matplotlib",
        "conv_explained._sphinx.reset_matplotlib",
        "conv_explained._sphinx.verify_context",  # failures name the script
    ),
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
    "conv_explained.verify",
]

# -- HTML -----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "Convolution, explained"
html_context = {"default_mode": "auto"}
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    # The header links to the site's parts (_templates/ce-header-links.html);
    # every page is in the chapter sidebar, so no "More" menu hides pages.
    "navbar_center": ["ce-header-links.html"],
    "navbar_end": ["theme-switcher"],
    "footer_start": ["copyright"],
    "footer_end": [],
    "secondary_sidebar_items": ["page-toc"],
    "use_edit_page_button": False,
    "show_version_warning_banner": False,
}
# Guide pages have no sub-pages, so pydata's own sidebar (one level down)
# would be empty: they get the whole table of contents in reading order
# (_templates/chapters.html). The landing page keeps a wide column; the API
# reference and the gallery keep their own section navigation.
html_sidebars = {
    page.stem: [] if page.stem == "index" else ["chapters.html"]
    for page in DOCS.glob("*.md")
    if page.stem != "api"
}
# A page whose title holds the query ranks above pages that only mention it.
html_search_scorer = str(DOCS / "_static" / "scorer.js")  # opened from the cwd
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
# print.css: the site on paper (every page whole, no controls, code wrapped);
# tools/build_pdf.py prints the guide's PDF with it.
html_css_files = [
    "conv_explained.css",
    "strict_csp.css",
    "figure_fit.css",
    ("print.css", {"media": "print"}),
]
# mathjax_config.js: MathJax's configuration as a file, loaded before MathJax (which
# is deferred); docs/_ext/strict_csp.py checks it equals what MyST asks for and
# drops Sphinx's inline copy, so that no page holds an inline script.
html_js_files = [
    "label_toggles.js",
    ("mathjax_config.js", {"priority": 400}),
    ("player.js", {"defer": "defer"}),
    ("figure_fit.js", {"defer": "defer"}),  # after the player: figures kept legible on phones
]

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


# -- Re-verification (docs/_ext/code_digest.py) ---------------------------------
# Every executed page and gallery script is tied to the digest of the code it
# imports, followed transitively from its import statements (the package, the
# probes and their recorded results, docs/_ext helpers): when any of it
# changes, the page or script runs, and so re-verifies, again. A failure ends
# the build with one line naming the page and cell (or script and line) and
# what disagreed. Folders searched for first-party modules, relative to docs/
# (the first is the tree's root: only code under it counts as first-party):
code_digest_roots = ["..", "_ext"]
# Packages that Sphinx and the MyST-NB kernels must import from this tree.
code_digest_packages = ["conv_explained"]
