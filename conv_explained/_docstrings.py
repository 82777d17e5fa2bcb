"""Shared numpydoc text, filled into docstrings where several functions say the same.

The pattern of :mod:`scipy.ndimage` (its ``docfiller``): a docstring holds a
placeholder line ``{name}`` where a shared block belongs; :func:`docfiller`
replaces it by the block, indented like the placeholder, when the function is
defined. ``help()``, Sphinx and the doctests all see the finished docstring.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TypeVar

__all__ = ["docfiller", "fill"]

F = TypeVar("F", bound=Callable[..., object])


def fill(doc: str, blocks: dict[str, str]) -> str:
    """``doc`` with every line that is just ``{name}`` replaced by ``blocks[name]``.

    Each block is dedented, then indented like its placeholder line. A block
    that no line asks for, or a placeholder without a block, is an error, so
    a typo cannot leave a docstring half filled.
    """
    unused = set(blocks)
    lines = []
    for line in doc.splitlines():
        key = line.strip()
        if key.startswith("{") and key.endswith("}") and key[1:-1].isidentifier():
            name = key[1:-1]
            if name not in blocks:
                raise KeyError(f"no docstring block named {name!r}")
            unused.discard(name)
            indent = line[: len(line) - len(line.lstrip())]
            block = textwrap.dedent(blocks[name]).strip("\n")
            lines.append(textwrap.indent(block, indent))
        else:
            lines.append(line)
    if unused:
        raise KeyError(f"docstring blocks not used: {sorted(unused)}")
    return "\n".join(lines) + ("\n" if doc.endswith("\n") else "")


def docfiller(**blocks: str) -> Callable[[F], F]:
    """Decorator: fill the function's docstring with ``blocks`` (see :func:`fill`)."""

    def decorate(func: F) -> F:
        func.__doc__ = fill(func.__doc__ or "", blocks)
        return func

    return decorate
