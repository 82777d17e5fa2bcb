"""The checking tools in tools/: mutation patches, the page runner, the reproducibility diff.

The slow runs (``nox -s mutation``, ``nox -s repro``) happen apart; these tests
keep the tools honest between them: a refactor that moves a mutant's target is
caught here, in the normal test run.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def _load(name: str) -> ModuleType:
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    spec = importlib.util.spec_from_file_location(f"tools_{name}", TOOLS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


mutation = _load("mutation")
run_page = _load("run_page")
check_repro = _load("check_repro")
ROOT = TOOLS.parent


@pytest.mark.parametrize("mutant", mutation.MUTANTS, ids=lambda m: m.name)
def test_every_mutant_applies_to_the_current_code(mutant, tmp_path):
    target = tmp_path / mutant.path
    target.parent.mkdir(parents=True)
    original = (ROOT / mutant.path).read_text(encoding="utf-8")
    target.write_text(original, encoding="utf-8")
    mutant.apply(tmp_path)
    patched = target.read_text(encoding="utf-8")
    assert patched != original
    assert mutant.new in patched
    compile(patched, str(target), "exec")  # a mutant is a wrong program, not a broken one


def test_mutant_that_does_not_apply_fails_loudly(tmp_path):
    (tmp_path / "m.py").write_text("x = 1\n")
    mutant = mutation.Mutant("gone", "m.py", "x = 2", "x = 3", "a target that moved")
    with pytest.raises(mutation.MutantDoesNotApply, match="holds 0 copies"):
        mutant.apply(tmp_path)


def test_mutant_names_are_unique():
    names = [m.name for m in mutation.MUTANTS]
    assert len(names) == len(set(names))


def test_copy_checkout_leaves_out_builds_and_caches(tmp_path):
    source = tmp_path / "src"
    for rel in ("pkg/a.py", "docs/_build/html/x.html", "docs/auto_gallery/y.py", "pkg/__pycache__/a.pyc",
                ".git/HEAD", "probes/results/torch.json", "docs/page.md"):  # fmt: skip
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text("x")
    copy = mutation.copy_checkout(tmp_path / "copy", source)
    kept = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file())
    assert kept == ["docs/page.md", "pkg/a.py", "probes/results/torch.json"]


def test_page_cells_drop_options_and_keep_tags():
    text = (
        "# Title\n\n```{code-cell} ipython3\n:tags: [remove-cell, raises-exception]\n\nx = 1\n```\n"
        "text\n\n```{code-cell} ipython3\n---\ntags: [hide-input]\n---\ny = x + 1\n```\n"
        "```python\nnot = a cell\n```\n"
    )
    cells = run_page.cells(text)
    assert [code.strip() for code, _ in cells] == ["x = 1", "y = x + 1"]
    assert cells[0][1] == {"remove-cell", "raises-exception"}
    assert cells[1][1] == {"hide-input"}


def test_run_page_fails_on_a_failed_assertion_unless_tagged(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("```{code-cell} ipython3\nassert 1 + 1 == 3, 'wrong number'\n```\n")
    with pytest.raises(AssertionError, match="wrong number"):
        run_page.run_page(page)
    page.write_text(
        "```{code-cell} ipython3\n:tags: [raises-exception]\nassert 1 + 1 == 3\n```\n"
        "```{code-cell} ipython3\nfrom pathlib import Path; assert Path('p.md').is_file()  # in the page's folder\n```\n"
    )
    run_page.run_page(page)


def _png(path: Path, color: str, **info) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (4, 4), color)
    if info:
        from PIL.PngImagePlugin import PngInfo

        meta = PngInfo()
        for key, value in info.items():
            meta.add_text(key, value)
        image.save(path, pnginfo=meta)
    else:
        image.save(path)
    return path


def test_repro_compare_names_every_kind_of_difference(tmp_path):
    a = {
        "same": _png(tmp_path / "a/same.png", "red"),
        "pixels": _png(tmp_path / "a/pixels.png", "red"),
        "meta": _png(tmp_path / "a/meta.png", "red", Software="one"),
        "only_a": _png(tmp_path / "a/only.png", "red"),
    }
    b = {
        "same": _png(tmp_path / "b/same.png", "red"),
        "pixels": _png(tmp_path / "b/pixels.png", "blue"),
        "meta": _png(tmp_path / "b/meta.png", "red", Software="two"),
        "only_b": _png(tmp_path / "b/only.png", "red"),
    }
    problems = check_repro.compare("image", a, b)
    assert len(problems) == 4
    text = "\n".join(problems)
    assert "only_a (only.png) only in the first build" in text
    assert "only_b (only.png) only in the second build" in text
    assert "pixels (pixels.png) differs: different pixels" in text
    assert "meta (meta.png) differs: same pixels, different bytes" in text
    assert check_repro.compare("image", a, dict(a)) == []


def test_repro_pairs_page_images_in_order_and_skips_measured_ones(tmp_path):
    html = tmp_path / "html"
    (html / "sub").mkdir(parents=True)
    (html / "sub" / "p.html").write_text(
        '<p><img src="../_images/abc.png" alt="x"></p>'
        '<figure class="align-default measured"><img src="../_images/t.png" alt="y"></figure>'
        '<picture><source media="m" srcset="../_images/s.png"><img src="../_images/g.gif" alt="z">'
        "</picture><br><img src='https://example.org/x.png' alt='w'>"
    )
    shown, skipped = check_repro.page_images(html)
    assert shown == {
        "sub/p.html#0": html / "_images" / "abc.png",
        "sub/p.html#2": html / "_images" / "s.png",
        "sub/p.html#3": html / "_images" / "g.gif",
    }
    assert skipped == ["sub/p.html#1"]
