r"""
Where the gradient of max pooling goes
======================================

Max pooling's output depends on one cell per window, its maximum, so the
gradient flows back to that cell alone: each output gradient is copied whole
to the position of its window's maximum, and every other cell gets zero. To
do this, the forward pass has to remember where each maximum was. With 3×3
windows at stride 2 the windows overlap, and a cell that is the maximum of
several windows collects the sum of their gradients.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch

from conv_explained import catalog, verify

# %%
# The catalog case: one frame per output gradient, ringed where it lands. The
# gradient arriving at the output counts up from one, so each value can be
# followed.
case = catalog.get("max_pool_grad")
anim = case.animate()
anim.save_gif("max_pool_grad.gif")
anim.save_still("max_pool_grad.png")
print(anim.alt_text)

# %%
# By hand with NumPy: in each window padded with :math:`-\infty`, ``argmax``
# finds the first maximum in reading order (the cell PyTorch picks when a
# window holds its maximum twice), and ``np.add.at`` adds the window's
# gradient there.
x, g = case.inputs()["x"], case.inputs()["grad_output"]
k, s, p = (case.params[name] for name in ("kernel_size", "stride", "padding"))
padded = np.pad(x.astype(float), p, constant_values=-np.inf)
routed = np.zeros(padded.shape)
hits = np.zeros(padded.shape, dtype=int)  # windows choosing each cell
for r in range(g.shape[0]):
    for c in range(g.shape[1]):
        window = padded[r * s : r * s + k, c * s : c * s + k]
        dr, dc = np.unravel_index(np.argmax(window), window.shape)
        np.add.at(routed, (r * s + dr, c * s + dc), g[r, c])
        np.add.at(hits, (r * s + dr, c * s + dc), 1)
by_hand, hits = routed[p:-p, p:-p], hits[p:-p, p:-p]

# %%
# Nothing is lost or made up: each window chooses one cell, and the routed
# gradients add up to the output gradients. Some cells are chosen by more
# than one window.
print(f"windows {g.size}, choices {hits.sum()}; gradient in {g.sum()}, out {by_hand.sum()}")
print("windows choosing each cell:\n", hits)
verify.check_rule(
    "nothing lost or made up, and some cells chosen twice",
    ["choices", "gradient", "a cell chosen by several windows"],
    rule=lambda c: {
        "choices": g.size,
        "gradient": g.sum(),
        "a cell chosen by several windows": True,
    }[c],
    rule_by="the lesson",
    truth=lambda c: {
        "choices": hits.sum(),
        "gradient": by_hand.sum(),
        "a cell chosen by several windows": bool(hits.max() > 1),
    }[c],
    truth_by="the routing by hand",
    grid="this case",
)

# %%
# The tie rule, on inputs full of ties: small random integers, several window
# sizes and strides. The first maximum in reading order, from NumPy, against
# the index PyTorch's ``max_pool2d`` returns (on the CPU).


def first_maxima(c):
    seed, kk, ss = c
    xi = np.random.default_rng(seed).integers(0, 3, (7, 7)).astype(float)
    windows = np.lib.stride_tricks.sliding_window_view(xi, (kk, kk))[::ss, ::ss]
    o_r, o_c = windows.shape[:2]
    flat = windows.reshape(o_r, o_c, -1).argmax(axis=-1)
    rows = np.arange(o_r)[:, None] * ss + flat // kk
    cols = np.arange(o_c)[None, :] * ss + flat % kk
    return rows * 7 + cols


def torch_maxima(c):
    seed, kk, ss = c
    xi = np.random.default_rng(seed).integers(0, 3, (7, 7)).astype(float)
    xt = torch.tensor(xi)[None, None]
    _, where = torch.nn.functional.max_pool2d(xt, kk, stride=ss, return_indices=True)
    return where[0, 0].numpy()


verify.check_rule(
    "PyTorch picks the first maximum in reading order",
    [(seed, kk, ss) for seed in range(5) for kk in (2, 3, 4) for ss in (1, 2)],
    rule=first_maxima,
    rule_by="numpy argmax",
    truth=torch_maxima,
    truth_by="torch.nn.functional.max_pool2d(return_indices=True)",
    grid="five 7×7 inputs of 0, 1, 2; windows 2 to 4; strides 1 and 2",
)

# %%
# The certificate compares the hand routing, the package's ``max_pool_grad``
# and the animation with autograd through ``torch.nn.MaxPool2d``.
case.certify(anim, also={"numpy routing by hand": by_hand})
