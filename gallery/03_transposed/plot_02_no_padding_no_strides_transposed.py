r"""
No padding, no strides, transposed
==================================

The transpose of a 3×3 convolution over a 4×4 input without padding: it
takes a 2×2 input back to 4×4. Drawn as a direct convolution, the input
gets :math:`k - 1` cells of zero padding on every side (full padding) and
the flipped kernel slides over it at stride 1: Dumoulin and Visin's
relationship 8, :math:`o' = i' + (k - 1)`.

This lesson writes out the direct recipe that every transposed lesson after
it draws; the others use it as the package's
:func:`~conv_explained.transposed_as_correlation`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case. Its input never holds zero, so that no input cell can be
# mistaken for an inserted zero; the hatched cells are padding, and each
# output sum is the flipped kernel times the cells under it.
case = catalog.get("no_padding_no_strides_transposed")
anim = case.animate()
anim.save_gif("no_padding_no_strides_transposed.gif")
anim.save_still("no_padding_no_strides_transposed.png")
print(anim.alt_text)

# %%
# The direct recipe, for any stride :math:`s`, padding :math:`p` and
# ``output_padding`` :math:`a` (one channel, no dilation):
#
# 1. insert :math:`s - 1` zeros between neighbouring input cells;
# 2. pad with :math:`k - 1 - p` zeros on every side, and :math:`a` more at
#    the end;
# 3. slide the flipped kernel over it at stride 1, which is what SciPy's
#    ``convolve2d`` does.


def direct_recipe(x, kernel, stride, padding, output_padding=0):
    k = kernel.shape[-1]
    stretched = np.zeros((stride * (x.shape[0] - 1) + 1,) * 2, dtype=x.dtype)
    stretched[::stride, ::stride] = x
    q = k - 1 - padding
    padded = np.pad(stretched, (q, q + output_padding))
    return padded, scipy.signal.convolve2d(padded, kernel, mode="valid")


x, w = case.inputs()["x"], case.inputs()["weight"]
s, p = case.params["stride"], case.params["padding"]
padded, by_recipe = direct_recipe(x, w[0, 0], s, p)
print("input seen by the flipped kernel:\n", padded, "\noutput:\n", by_recipe)

# %%
# Here :math:`s = 1` and :math:`p = 0`, so the recipe only pads, by
# :math:`k - 1`: full padding, the transposed partner of no padding. The
# package's shape function gives the size of relationship 8.
k = w.shape[-1]
print(f"padding of the direct form {k - 1 - p}, full padding {ce.full_padding(k)}")
print(f"output size {ce.conv_transpose_output_size(x.shape[0], k)}")

# %%
# The certificate compares the recipe, the package's ``conv_transpose`` and
# direct form, and the animation with a ``torch.nn.ConvTranspose2d``.
case.certify(anim, also={"the recipe with numpy and scipy": by_recipe})

# %%
# The recipe is stated for any stride, padding and ``output_padding``: checked
# on a grid of them (random integer inputs and kernels) against
# ``torch.nn.functional.conv_transpose2d``, and relationship 8 on a grid of
# sizes.


def recipe_case(c):
    n, kk, ss, pp, _ = c
    rng = np.random.default_rng(1000 * n + 100 * kk + 10 * ss + pp)
    return rng.integers(-5, 6, (n, n)), rng.integers(-3, 4, (kk, kk))


def torch_transposed(c):
    xi, wk = recipe_case(c)
    xt = torch.tensor(xi, dtype=torch.float64)[None, None]
    wt = torch.tensor(wk, dtype=torch.float64)[None, None]
    out = torch.nn.functional.conv_transpose2d(
        xt, wt, stride=c[2], padding=c[3], output_padding=c[4]
    )
    return out[0, 0].numpy()


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv_transpose1d`` on ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv_transpose1d(x, w, **options).shape[-1]


recipe_grid = [
    (n, kk, ss, pp, aa)
    for n in range(1, 5)
    for kk in range(1, 5)
    for ss in range(1, 4)
    for pp in range(kk)
    for aa in range(ss)
    if ss * (n - 1) + aa + kk - 2 * pp >= 1
]
verify.combine(
    "the direct recipe and relationship 8",
    [
        verify.check_rule(
            "the direct recipe (zeros between, k - 1 - p padding, a more at the end)",
            recipe_grid,
            rule=lambda c: direct_recipe(*recipe_case(c), c[2], c[3], c[4])[1],
            rule_by="the recipe with numpy and scipy",
            truth=torch_transposed,
            truth_by="torch.nn.functional.conv_transpose2d",
            grid="i' <= 4, k <= 4, s <= 3, p < k, a < s",
        ),
        verify.check_rule(
            "relationship 8, o' = i' + (k - 1)",
            [(n, kk) for n in range(1, 13) for kk in range(1, 8)],
            rule=lambda c: c[0] + (c[1] - 1),
            rule_by="relationship 8",
            truth=lambda c: torch_size(*c),
            truth_by="torch.nn.functional.conv_transpose1d",
            grid="i' <= 12, k <= 7",
        ),
    ],
)
