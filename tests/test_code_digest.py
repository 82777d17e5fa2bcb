"""The code digest that re-runs a page or gallery script when the code it imports changes.

docs/_ext/code_digest.py follows a page's or script's imports through the
tree; these tests build small trees and check that a byte changed anywhere in
what the code imports, directly or transitively (or in a package's data),
changes the digest, and that a file the code does not reach does not.
"""

from __future__ import annotations

import runpy
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import code_digest as cd


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def tree(tmp_path):
    """A package ``pkg`` whose ``__init__`` imports ``.ops``, which imports ``pkg.core``."""
    root = tmp_path / "tree"
    write(root / "pkg" / "__init__.py", "from .ops import add\n")
    write(root / "pkg" / "ops.py", "import numpy as np\nfrom pkg import core\n\ndef add(a): ...\n")
    write(root / "pkg" / "core.py", "def one():\n    return 1\n")
    write(root / "pkg" / "static" / "table.json", '{"a": 1}\n')
    write(root / "pkg" / "extra" / "__init__.py", "")  # a sub-package nobody imports
    write(root / "pkg" / "extra" / "data.txt", "x\n")
    write(root / "pkg" / "cli.py", "import pkg.extra\n")  # a module nobody imports
    write(root / "helpers" / "__init__.py", "")
    write(
        root / "helpers" / "loader.py",
        "import importlib\n\ndef load(name):\n"
        "    return importlib.import_module(f'helpers.plugin_{name}')\n",
    )
    write(root / "helpers" / "plugin_a.py", "import pkg.core\n")
    write(root / "helpers" / "other.py", "")
    write(root / "unrelated.py", "import pkg\n")
    return root


def digest_of(root: Path, code: str) -> str:
    deps = cd.Dependencies([root])
    return deps.digest(deps.code_files(code))


def files_of(root: Path, code: str) -> set[str]:
    deps = cd.Dependencies([root])
    return {p.relative_to(root.resolve()).as_posix() for p in deps.code_files(code)}


def test_code_depends_on_what_it_imports_transitively(tree):
    assert files_of(tree, "import pkg") == {
        "pkg/__init__.py",
        "pkg/ops.py",
        "pkg/core.py",
        "pkg/static/table.json",
    }


def test_a_byte_changed_in_a_transitive_dependency_changes_the_digest(tree):
    before = digest_of(tree, "import pkg\n")
    write(tree / "pkg" / "core.py", "def one():\n    return 2\n")  # reached via __init__ -> ops
    assert digest_of(tree, "import pkg\n") != before


def test_a_changed_data_file_of_an_imported_package_changes_the_digest(tree):
    before = digest_of(tree, "from pkg import ops")
    write(tree / "pkg" / "static" / "table.json", '{"a": 2}\n')
    assert digest_of(tree, "from pkg import ops") != before


@pytest.mark.parametrize(
    "unrelated",
    ["unrelated.py", "pkg/cli.py", "pkg/extra/data.txt", "helpers/other.py", "README.md"],
)
def test_a_file_the_code_does_not_reach_leaves_the_digest_alone(tree, unrelated):
    before = digest_of(tree, "import pkg")
    write(tree / unrelated, "changed\n")
    assert digest_of(tree, "import pkg") == before


def test_importing_a_submodule_runs_its_package_init(tree):
    assert "pkg/__init__.py" in files_of(tree, "import pkg.core")
    assert "pkg/ops.py" in files_of(tree, "from pkg.core import one")  # __init__ imports ops


def test_a_dynamic_import_by_f_string_prefix_is_followed(tree):
    files = files_of(tree, "from helpers import loader")
    assert {"helpers/loader.py", "helpers/plugin_a.py", "pkg/core.py"} <= files
    assert "helpers/other.py" not in files


def test_relative_imports_resolve_inside_their_package(tree):
    write(tree / "pkg" / "ops.py", "from . import core\nfrom .core import one\n")
    assert files_of(tree, "import pkg.ops") >= {"pkg/core.py", "pkg/ops.py"}


def test_third_party_and_missing_modules_contribute_nothing(tree):
    assert files_of(tree, "import numpy, os\nimport not_a_module_anywhere\n") == set()


def test_the_digest_is_the_same_for_a_copy_of_the_tree_elsewhere(tree, tmp_path):
    copy = shutil.copytree(tree, tmp_path / "elsewhere")
    assert digest_of(copy, "import pkg") == digest_of(tree, "import pkg")


def test_notebook_magics_do_not_hide_the_imports(tree):
    code = "%matplotlib inline\n!ls\nimport pkg.core\n"
    assert "pkg/core.py" in files_of(tree, code)


def test_a_cell_that_is_not_python_still_gives_its_import_lines(tree):
    assert "pkg/core.py" in files_of(tree, "import pkg.core\nthis is ( not python\n")


def test_the_parsed_imports_are_reused_and_give_the_same_answer(tree):
    parsed: dict = {}
    first = cd.Dependencies([tree], parsed=parsed)
    files = first.code_files("import pkg")
    assert parsed  # filled in
    second = cd.Dependencies([tree], parsed=dict(parsed))
    assert second.code_files("import pkg") == files


def test_page_code_takes_every_code_cell_with_options_removed():
    source = (
        "---\nkernelspec:\n  name: python3\n---\n\n# T\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell]\n\nimport a\n```\n\ntext\n\n"
        "````{code-cell} ipython3\n---\ntags: [hide-input]\n---\nimport b\n````\n"
        "```python\nimport not_a_cell\n```\n"
    )
    assert cd.is_executed_page(source)
    assert cd.imported_names(cd.page_code(source))[0] == {"a", "b"}
    assert not cd.is_executed_page("# A page\n\n```{code-cell}\nimport a\n```\n")


def test_the_hidden_cell_goes_after_the_front_matter_and_holds_the_digest():
    source = "---\nkernelspec:\n  name: python3\n---\n\n# Title\n"
    cell = cd.hidden_cell("frameworks", "ab" * 32, ["conv_explained"])
    text = cd.inject(source, cell)
    assert text.startswith("---\nkernelspec:\n  name: python3\n---\n\n```{code-cell} ipython3\n")
    assert ":tags: [remove-cell]" in text
    assert "ab" * 32 in text
    assert "set_context(page='frameworks')" in text
    assert text.endswith("# Title\n")
    code = cd.page_code(text)
    compile(code, "<hidden cell>", "exec")  # valid Python
    assert str(ROOT) not in code  # the cell (so the cache key) does not depend on the path


# -- the site's own pages and scripts ---------------------------------------


@pytest.fixture(scope="module")
def site():
    return cd.Dependencies([ROOT, ROOT / "docs" / "_ext"])


def _relative(files):
    return {p.relative_to(ROOT).as_posix() for p in files}


def test_every_executed_page_depends_on_the_operators(site):
    pages = [p for p in sorted((ROOT / "docs").glob("*.md")) if cd.is_executed_page(p.read_text())]
    assert len(pages) >= 10
    for page in pages:
        files = _relative(site.code_files(cd.page_code(page.read_text())))
        assert "conv_explained/ops.py" in files, page.name


def test_the_probe_pages_depend_on_the_recorded_results_and_other_pages_do_not(site):
    results = {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "probes" / "results").glob("*.json")
    }
    frameworks = _relative(
        site.code_files(cd.page_code((ROOT / "docs/frameworks.md").read_text()))
    )
    assert {"probes/compare.py", "probes/cases.py", "probes/fw_tensorflow.py"} <= frameworks
    assert results <= frameworks
    pooling = _relative(site.code_files(cd.page_code((ROOT / "docs/pooling.md").read_text())))
    assert not any(f.startswith("probes/") for f in pooling)


def test_a_gallery_script_depends_on_the_renderer_it_draws_with(site):
    script = ROOT / "gallery" / "01_correlation" / "plot_01_correlation_vs_convolution.py"
    files = _relative(cd._script_files(site, script))
    assert {
        "conv_explained/catalog.py",
        "conv_explained/render/__init__.py",
        "conv_explained/ops.py",
        "conv_explained/verify.py",
        "gallery/01_correlation/plot_01_correlation_vs_convolution.py",
    } <= files
    assert "conv_explained/cli.py" not in files


# -- the one-line failure messages ------------------------------------------


class _CellError(Exception):
    """Stands for nbclient's CellExecutionError (which carries ename and evalue)."""

    def __init__(self, ename, evalue, traceback):
        super().__init__(traceback)
        self.ename, self.evalue = ename, evalue


def test_a_page_failure_keeps_the_verifiers_one_line():
    line = "page pooling, cell 4, line 2: the output: ours gave 2 at index (1,), numpy gave 5"
    error = _CellError("VerificationError", line, "long\ntraceback")
    assert cd.page_failure("pooling", error) == line


def test_a_bare_assertion_on_a_page_is_named_by_page_cell_and_line():
    traceback = "\x1b[0;31mAssertionError\x1b[0m\nCell \x1b[0;32mIn[7], line 3\x1b[0m\n"
    error = _CellError("AssertionError", "", traceback.replace("\x1b[0;32m", ""))
    assert cd.page_failure("arithmetic_reference", error) == (
        "page arithmetic_reference, cell 7, line 3: "
        "AssertionError (a check that does not say what disagreed)"
    )


def test_a_script_failure_names_the_script_and_its_line(tmp_path):
    script = write(tmp_path / "plot_x.py", "x = 1\nassert x == 2, 'x is\\n 1'\n")
    with pytest.raises(AssertionError) as info:
        runpy.run_path(str(script))
    assert cd.script_failure("gallery/a/plot_x.py", info.value) == (
        "script gallery/a/plot_x.py, line 2: AssertionError: x is 1"
    )
