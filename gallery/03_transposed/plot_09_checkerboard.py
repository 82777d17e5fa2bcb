r"""
Checkerboard: uneven overlap
============================

With a 3×3 kernel and stride 2, the stamps of a transposed convolution
overlap on every other row and column only. Feed it an all-ones input and an
all-ones kernel and the output simply counts the stamps covering each cell,
in a checkerboard pattern. A trained upsampling layer starts from the same
uneven overlap and easily keeps some of it: the "checkerboard artifacts" of
generated images. The same
numbers are shown twice: as scatter, and as a direct convolution over the
zero-inserted input.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch

from conv_explained import catalog, verify

# %%
# As scatter: nine stamps, overlapping on the even rows and columns.
scatter_case = catalog.get("checkerboard_scatter")
scatter = scatter_case.animate()
scatter.save_gif("checkerboard_scatter.gif")
scatter.save_still("checkerboard_scatter.png")
print(scatter.alt_text)

# %%
# As a direct convolution over the input with zeros inserted: the flipped
# kernel covers a different number of ones depending on where it stands.
direct_case = catalog.get("checkerboard_direct")
direct = direct_case.animate()
direct.save_gif("checkerboard_direct.gif")
direct.save_still("checkerboard_direct.png")
print(direct.alt_text)

# %%
# The counts from NumPy: along one axis, the stretched input (ones with a
# zero between) convolved with the kernel's row of ones; in 2-D, the outer
# product of those counts.
x, w = scatter_case.inputs()["x"], scatter_case.inputs()["weight"]
s, i_prime, k = scatter_case.params["stride"], x.shape[0], w.shape[0]
stretched = np.zeros(s * (i_prime - 1) + 1, dtype=int)
stretched[::s] = 1
counts = np.convolve(stretched, np.ones(k, dtype=int))
by_counts = np.outer(counts, counts)
print(f"counts along an axis {counts}; values in 2-D {np.unique(by_counts)}")

# %%
# The cause is that the kernel size is not a multiple of the stride. With a
# kernel one tap longer, :math:`k + 1` taps, every inner cell is covered by
# exactly :math:`(k + 1)/s` stamps; the uneven overlap is left only at the
# borders. `Deconvolution and
# checkerboard artifacts <https://distill.pub/2016/deconv-checkerboard/>`_
# (Odena, Dumoulin and Olah) discusses this and other remedies, such as
# resizing the image and then applying an ordinary convolution.
even = np.convolve(stretched, np.ones(k + 1, dtype=int))
print(f"k = {k}, s = {s}: {counts}\nk = {k + 1}, s = {s}: {even}")

# %%
# The rule on a grid of kernel sizes and strides, against the stamp counts of
# ``torch.nn.functional.conv_transpose1d`` on ones: the inner cells (those
# whose every possible stamp exists) are covered evenly, :math:`k/s` times,
# exactly when :math:`s` divides :math:`k`.


def inner_counts(c):
    kk, ss = c
    n = 2 * kk + 2  # enough input cells for a stretch of inner output cells
    ones = torch.ones(1, 1, n, dtype=torch.float64)
    out = torch.nn.functional.conv_transpose1d(
        ones, torch.ones(1, 1, kk, dtype=torch.float64), stride=ss
    )
    inner = out[0, 0, kk - 1 : ss * (n - 1) + 1].numpy()  # cells every stamp position can reach
    return sorted({int(v) for v in inner})


verify.check_rule(
    "even overlap (k/s stamps per inner cell) exactly when s divides k",
    [(kk, ss) for kk in range(1, 9) for ss in range(1, 5)],
    rule=lambda c: [c[0] // c[1]] if c[0] % c[1] == 0 else "uneven",
    rule_by="the lesson",
    truth=lambda c: inner_counts(c) if len(inner_counts(c)) == 1 else "uneven",
    truth_by="torch.nn.functional.conv_transpose1d on ones",
    grid="k <= 8, s <= 4",
)

# %%
# One certificate for both pictures: the counts, the package and each
# animation against a ``torch.nn.ConvTranspose2d``.
both = [(scatter_case, scatter), (direct_case, direct)]
verify.combine(
    "the checkerboard, both ways",
    [case.certify(anim, also={"numpy counts": by_counts}) for case, anim in both],
)
