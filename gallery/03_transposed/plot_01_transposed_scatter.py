r"""
Transposed convolution as scatter
=================================

A transposed convolution read the other way round: instead of sliding a kernel
over its input, every input cell stamps a copy of the kernel, scaled by its
value, into the output, shifted by the stride times its position. Where stamps
overlap, they add up; here a 2×2 input stamps a 3×3 kernel. The same sums are what a convolution's backward pass sends to its input, which is
where the name *transposed* comes from.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case: one frame per input cell, its stamp drawn on the output,
# then added in. The text alternative follows the animation.
case = catalog.get("transposed_scatter")
anim = case.animate()
anim.save_gif("transposed_scatter.gif")
anim.save_still("transposed_scatter.png")
print(anim.alt_text)

# %%
# The input (its values never zero) and the kernel, in ``conv_transpose2d``'s
# layout ``(C_in, C_out, k, k)``. Each stamp covers :math:`k` cells starting
# at :math:`s` times the input index, so the last one ends after cell
# :math:`s(i' - 1) + k - 1` (counting from zero) and the output has
# :math:`s(i' - 1) + k` cells per axis.
x, w = case.inputs()["x"], case.inputs()["weight"]
s, i_prime, k = case.params.get("stride", 1), x.shape[0], w.shape[-1]
o_prime = ce.conv_transpose_output_size(i_prime, k, stride=s)
print("input:\n", x, "\nkernel:\n", w[0, 0], f"\noutput size {o_prime}×{o_prime}")

# %%
# The stamps added up with NumPy, one input cell at a time.
stamps = np.zeros((o_prime, o_prime), dtype=x.dtype)
for r in range(i_prime):
    for c in range(i_prime):
        stamps[s * r : s * r + k, s * c : s * c + k] += x[r, c] * w[0, 0]
print(stamps)

# %%
# And the name: the gradient that autograd sends back through a forward
# ``conv2d`` when the output gradient is ``x``.
forward_input = torch.zeros((1, 1, o_prime, o_prime), dtype=torch.float64, requires_grad=True)
forward = torch.nn.functional.conv2d(forward_input, torch.tensor(w, dtype=torch.float64))
(gradient,) = torch.autograd.grad(
    forward, forward_input, torch.tensor(x[None, None], dtype=torch.float64)
)

# %%
# The certificate compares the stamps, the gradient, the package's
# ``conv_transpose`` and the animation with a ``torch.nn.ConvTranspose2d``.
case.certify(anim, also={"numpy stamps": stamps, "autograd through conv2d": gradient[0]})

# %%
# The stamp rule for every stride, not just this one: on a grid of input
# sizes, kernels and strides (random integers, along one axis), the stamps
# added up against ``torch.nn.functional.conv_transpose1d``.


def stamped(c):
    n, kk, ss = c
    rng = np.random.default_rng(100 * n + 10 * kk + ss)
    xi, wk = rng.integers(-5, 6, n), rng.integers(-3, 4, kk)
    out = np.zeros(ss * (n - 1) + kk, dtype=np.int64)
    for j in range(n):
        out[ss * j : ss * j + kk] += xi[j] * wk
    return out, xi, wk


def by_torch(c):
    _, xi, wk = stamped(c)
    xt = torch.tensor(xi, dtype=torch.float64)[None, None]
    wt = torch.tensor(wk, dtype=torch.float64)[None, None]
    return torch.nn.functional.conv_transpose1d(xt, wt, stride=c[2])[0, 0].numpy()


verify.check_rule(
    "every input cell stamps the kernel, scaled, at s times its index",
    [(n, kk, ss) for n in range(1, 7) for kk in range(1, 6) for ss in range(1, 4)],
    rule=lambda c: stamped(c)[0],
    rule_by="the stamps added up with numpy",
    truth=by_torch,
    truth_by="torch.nn.functional.conv_transpose1d",
    grid="i' <= 6, k <= 5, s <= 3",
)
