"""The gallery shows the whole catalog: each case in exactly one script.

A gallery script names the catalog cases it renders as ``catalog.get("<name>")``
(the only form the scripts use); these tests read the scripts' text and syntax
tree without running them (the docs build runs them).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conv_explained import catalog

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
SCRIPTS = sorted(GALLERY.glob("*/plot_*.py"))
TOPICS = sorted(p for p in GALLERY.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
CASE_CALL = re.compile(r"""\bcatalog\.get\(\s*["']([^"']+)["']\s*\)""")


def _script_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _cases_in(path: Path) -> set[str]:
    return set(CASE_CALL.findall(path.read_text(encoding="utf-8")))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _method_calls(tree: ast.Module, method: str) -> int:
    return sum(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        for node in ast.walk(tree)
    )


def _printed_alt_texts(tree: ast.Module) -> int:
    return sum(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
        and any(isinstance(arg, ast.Attribute) and arg.attr == "alt_text" for arg in node.args)
        for node in ast.walk(tree)
    )


CASE_SCRIPTS = [path for path in SCRIPTS if _cases_in(path)]


def test_gallery_has_scripts():
    assert len(SCRIPTS) >= 20


@pytest.mark.parametrize("name", catalog.names())
def test_catalog_case_is_in_exactly_one_gallery_script(name):
    holders = [_script_id(path) for path in SCRIPTS if name in _cases_in(path)]
    assert len(holders) == 1, f"catalog case {name!r} is rendered by {holders or 'no script'}"


def test_gallery_scripts_name_only_catalog_cases():
    named = set().union(*(_cases_in(path) for path in SCRIPTS))
    assert named - set(catalog.names()) == set()


@pytest.mark.parametrize("script", SCRIPTS, ids=_script_id)
def test_gallery_script_has_a_title_and_a_paragraph(script):
    docstring = ast.get_docstring(_tree(script), clean=True)
    assert docstring, "no module docstring"
    title, underline, *rest = docstring.splitlines()
    assert title.strip(), "the docstring must start with the title"
    assert set(underline) == {"="}, f"title {title!r} is not underlined with '='"
    assert len(underline) >= len(title)
    assert any(line.strip() for line in rest), "no paragraph under the title"


@pytest.mark.parametrize("script", CASE_SCRIPTS, ids=_script_id)
def test_gallery_script_saves_gif_still_and_prints_alt_text_per_case(script):
    tree = _tree(script)
    cases = len(_cases_in(script))
    assert _method_calls(tree, "save_gif") >= cases
    assert _method_calls(tree, "save_still") >= cases
    assert _printed_alt_texts(tree) >= cases


@pytest.mark.parametrize("script", SCRIPTS, ids=_script_id)
def test_gallery_script_certifies_its_cases(script):
    tree = _tree(script)
    assert _method_calls(tree, "certify") >= 1, "no case.certify(...): nothing is checked"


@pytest.mark.parametrize("script", SCRIPTS, ids=_script_id)
def test_gallery_script_ends_with_the_certificate_shown(script):
    # sphinx-gallery shows the last expression of a block: the certificate itself
    last = _tree(script).body[-1]
    assert isinstance(last, ast.Expr)
    assert isinstance(last.value, ast.Call)
    func = last.value.func
    assert isinstance(func, ast.Attribute)
    assert func.attr in {"certify", "combine", "check_rule"}


CHECK_LINE = re.compile(
    r"^(?:assert\b|np\.testing\.|numpy\.testing\.|torch\.testing\.)"
    r"|\b(?:verify\.)?(?:compare|check_rule|check|assert_allclose|assert_array_equal|certify)\("
)


def _code_lines(path: Path) -> list[str]:
    """The lines a reader sees as code: no docstring, comments or blank lines."""
    tree = _tree(path)
    doc_end = tree.body[0].end_lineno if ast.get_docstring(tree) else 0
    lines = path.read_text(encoding="utf-8").splitlines()[doc_end or 0 :]
    return [t for t in (line.strip() for line in lines) if t and not t.startswith("#")]


@pytest.mark.parametrize("script", SCRIPTS, ids=_script_id)
def test_checks_are_at_most_a_tenth_of_a_lesson_code(script):
    lines = _code_lines(script)
    checks = [line for line in lines if CHECK_LINE.search(line)]
    assert len(checks) <= 0.1 * len(lines), f"{len(checks)} of {len(lines)} lines check: {checks}"


def test_the_check_line_counter_counts_checks():
    lines = ["x = 1", "assert x", "np.testing.assert_array_equal(a, b)", "case.certify(anim)"]
    assert [bool(CHECK_LINE.search(line)) for line in lines] == [False, True, True, True]


@pytest.mark.parametrize("topic", TOPICS, ids=lambda path: path.name)
def test_gallery_topic_has_a_header(topic):
    assert (topic / "GALLERY_HEADER.rst").is_file()
    assert list(topic.glob("plot_*.py")), f"{topic.name} holds no plot_*.py script"
