"""Parameter and multiply-add counts of conv2d layers, from :mod:`conv_explained.shapes`.

The catalog states them next to its depthwise-separable case; the gallery
lesson checks them against torch.
"""

from __future__ import annotations

from . import shapes

__all__ = ["layer_counts", "separable_words"]


def layer_counts(
    c_in: int, c_out: int, kernel: int, size: int, *, groups: int = 1, padding: int = 0
) -> tuple[int, int]:
    """Parameters and multiply-adds of a square conv2d layer without bias.

    The output size comes from :func:`conv_explained.shapes.conv_output_size`;
    the parameters are ``C_out · C_in/groups · k²`` and each output cell
    takes ``C_in/groups · k²`` multiply-adds.

    >>> layer_counts(3, 3, 3, 4, groups=3), layer_counts(3, 3, 1, 2)
    ((27, 108), (9, 36))
    """
    out = shapes.conv_output_size(size, kernel, padding=padding)
    params = c_out * (c_in // groups) * kernel * kernel
    return params, params * out * out


def separable_words(c: int, c_out: int, k: int, size: int) -> str:
    """The depthwise-separable case's counts next to a full convolution of the same shapes."""
    dw = layer_counts(c, c, k, size, groups=c)
    inner = shapes.conv_output_size(size, k)
    pw = layer_counts(c, c_out, 1, inner)
    full = layer_counts(c, c_out, k, size)
    return (
        f"Depthwise then pointwise: a {k}x{k} depthwise layer (groups={c}) then a 1x1 layer "
        f"mixing {c} channels into {c_out}. Together {dw[0] + pw[0]} parameters and "
        f"{dw[1] + pw[1]} multiply-adds ({dw[0]} + {pw[0]} and {dw[1]} + {pw[1]}), against "
        f"{full[0]} parameters and {full[1]} multiply-adds for one full {k}x{k} convolution "
        f"from {c} to {c_out} channels on the same {size}x{size} input."
    )
