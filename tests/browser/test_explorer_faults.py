"""The agreement check catches a wrong line in the explorer's JavaScript.

Each fault is one edit of ``_static/explorer.js`` in a copy of the built
explorer page; the check of ``explorer_checks.py`` (the one that passes on the
real site in ``test_explorer.py``) must report mismatches on the copy. The
unedited copy is checked too, so that a failure here means the fault, not the
copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import explorer_checks as ec
import pytest
import site_checks

#: name -> (exact text in explorer.js, the faulty text)
FAULTS = {
    # An off-by-one in the padding: one column too many on the right.
    "padding off by one": (
        "return [[st.padding[0], st.padding[0]], [st.padding[1], st.padding[1]]];",
        "return [[st.padding[0], st.padding[0]], [st.padding[1], st.padding[1] + 1]];",
    ),
    # True convolution without the flip: the kernel applied as given.
    "missing flip": (
        (
            'res.kapp = mode === "convolve" ? grid(kh, kw, function (u, v) '
            "{ return st.w[kh - 1 - u][kw - 1 - v]; }) : st.w;"
        ),
        "res.kapp = st.w;",
    ),
    # Average pooling that always counts the padding in the divisor.
    "count_include_pad ignored": (
        "if (!cell.pad || st.count_include_pad) n += 1;",
        "n += 1;",
    ),
}
STATES = 150


def _copy(site: Path, out: Path, fault: tuple[str, str] | None) -> Path:
    """The site with explorer.js edited when a fault is given (the rest linked)."""
    out.mkdir()
    for entry in site.iterdir():
        if entry.name != "_static":
            (out / entry.name).symlink_to(entry)
    static = out / "_static"
    static.mkdir()
    for entry in (site / "_static").iterdir():
        if entry.name != "explorer.js":
            (static / entry.name).symlink_to(entry)
    text = (site / "_static" / "explorer.js").read_text(encoding="utf-8")
    if fault is not None:
        original, faulty = fault
        assert text.count(original) == 1, (
            f"fault anchor not found once in explorer.js: {original!r}"
        )
        text = text.replace(original, faulty)
    (static / "explorer.js").write_text(text, encoding="utf-8")
    return out


def _problems(browser: Any, root: Path) -> list[str]:
    page, visit = site_checks.open_page(browser, root.resolve().as_uri() + "/", "explorer.html")
    try:  # no waiting for the tables: a broken explorer may never draw them
        problems, _ = ec.check_states(page, ec.random_states(99, STATES), run_code=False)
    finally:
        page.context.close()
    return visit.problems() + problems


def test_unedited_copy_passes(browser: Any, site: Path, tmp_path: Path) -> None:
    assert _problems(browser, _copy(site, tmp_path / "clean", None)) == []


@pytest.mark.parametrize("name", list(FAULTS))
def test_injected_fault_is_caught(browser: Any, site: Path, tmp_path: Path, name: str) -> None:
    problems = _problems(browser, _copy(site, tmp_path / "faulty", FAULTS[name]))
    print(f"\nfault {name!r}: {len(problems)} mismatching states, e.g. {problems[:1]}")
    assert problems, f"the agreement check missed the fault {name!r}"
