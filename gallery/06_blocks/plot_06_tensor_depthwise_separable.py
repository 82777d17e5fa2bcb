r"""
Depthwise separable: depthwise, then pointwise
==============================================

MobileNet's layer replaces one full 3×3 convolution by two cheap ones: a
depthwise 3×3 convolution (one 1×3×3 filter per channel, no mixing) and a
pointwise 1×1 convolution (mixing channels at each pixel, no neighbourhood).
The animation shows the two steps side by side, frame by frame; the counts
below put their parameters and multiply-adds next to the full convolution of
the same shapes.
"""

# sphinx_gallery_thumbnail_number = 1
from fractions import Fraction

import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case draws two layers: the depthwise one on the left
# (``groups = C_in``), the pointwise one on the right, fed with the depthwise
# output.
case = catalog.get("tensor_depthwise_separable")
anim = case.animate()
anim.save_gif("tensor_depthwise_separable.gif")
anim.save_still("tensor_depthwise_separable.png", frame=0)
print(anim.alt_text)

# %%
# The certificate of both layers: the package's two correlations and both
# animations against two ``torch.nn.Conv2d`` layers, the second fed with the
# first one's torch output.
case.certify(anim)

# %%
# Counting. :func:`conv_explained.catalog.layer_counts` gives a layer's
# parameters, ``C_out · C_in/groups · k²``, and its multiply-adds, that times
# the number of output pixels. A depthwise separable layer is the sum of its
# two parts; the textbook ratio of multiply-adds is :math:`1/C_{out} + 1/k^2`.
counts = ce.catalog.layer_counts


def separable_counts(c_i, c_o, kernel, size, padding):
    inner = ce.conv_output_size(size, kernel, padding=padding)
    dw = counts(c_i, c_i, kernel, size, groups=c_i, padding=padding)
    pw = counts(c_i, c_o, 1, inner)
    return counts(c_i, c_o, kernel, size, padding=padding), (dw[0] + pw[0], dw[1] + pw[1])


shapes = [(3, 3, 3, 4, 0), (64, 128, 3, 56, 1)]  # the animated layer, and a typical one
for c_i, c_o, kernel, size, padding in shapes:
    full, separable = separable_counts(c_i, c_o, kernel, size, padding)
    print(
        f"{c_i}→{c_o} channels, {kernel}×{kernel}, {size}×{size}: "
        f"full conv {full[0]:,} parameters, {full[1]:,} multiply-adds; "
        f"depthwise separable {separable[0]:,} parameters, {separable[1]:,} multiply-adds "
        f"({separable[1] / full[1]:.1%}; 1/C_out + 1/k² = {1 / c_o + 1 / kernel**2:.1%})"
    )

# %%
# The counts, checked: parameters against ``torch.nn.Conv2d``, multiply-adds by
# running the layer on ones with all-one weights (every tap then adds one, so
# the outputs sum to the number of multiply-adds; circular padding keeps every
# tap on a one).


def torch_counts(c_i, c_o, kernel, groups, padding, size):
    conv = torch.nn.Conv2d(
        c_i, c_o, kernel, groups=groups, padding=padding, bias=False, padding_mode="circular"
    ).double()
    with torch.no_grad():
        conv.weight.fill_(1.0)
        taps = conv(torch.ones((1, c_i, size, size), dtype=torch.float64)).sum().item()
    return conv.weight.numel(), round(taps)


grid = [
    (c_i, c_o, k, n, p)
    for c_i in (1, 2, 3, 4)
    for c_o in (1, 2, 5)
    for k in (1, 2, 3)
    for n in (4, 5)
    for p in (0, 1)
]
layers = [(c_i, c_o, k, g, p, n) for c_i, c_o, k, n, p in [*shapes, *grid] for g in (1, c_i)]
layers += [
    (c_i, c_o, 1, 1, 0, ce.conv_output_size(n, k, padding=p))
    for c_i, c_o, k, n, p in [*shapes, *grid]
]


def torch_ratio(c_i, c_o, kernel, size, padding):
    """Depthwise plus pointwise multiply-adds over the full layer's, counted by torch."""
    inner = ce.conv_output_size(size, kernel, padding=padding)
    dw = torch_counts(c_i, c_i, kernel, c_i, padding, size)[1]
    pw = torch_counts(c_i, c_o, 1, 1, 0, inner)[1]
    return Fraction(dw + pw, torch_counts(c_i, c_o, kernel, 1, padding, size)[1])


verify.combine(
    "the counts",
    [
        verify.check_rule(
            "layer_counts (parameters, multiply-adds)",
            layers,
            rule=lambda c: counts(
                c[0], c[1] if c[3] == 1 else c[0], c[2], c[5], groups=c[3], padding=c[4]
            ),
            truth=lambda c: torch_counts(
                c[0], c[1] if c[3] == 1 else c[0], c[2], c[3], c[4], c[5]
            ),
            truth_by="torch.nn.Conv2d",
            grid="the layers above, and C_in <= 4, C_out in 1, 2, 5, k <= 3, size 4 or 5, p <= 1",
        ),
        verify.check_rule(
            "the ratio of multiply-adds, 1/C_out + 1/k²",
            [*shapes, *grid],
            rule=lambda c: Fraction(1, c[1]) + Fraction(1, c[2] ** 2),
            rule_by="1/C_out + 1/k²",
            truth=lambda c: torch_ratio(*c),
            truth_by="torch.nn.Conv2d on ones",
            grid="the layers above, and C_in <= 4, C_out in 1, 2, 5, k <= 3, size 4 or 5, p <= 1",
        ),
    ],
)
