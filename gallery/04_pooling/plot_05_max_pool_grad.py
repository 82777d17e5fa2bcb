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

from conv_explained import catalog

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

# %%
# The certificate compares the hand routing, the package's ``max_pool_grad``
# and the animation with autograd through ``torch.nn.MaxPool2d``.
case.certify(anim, also={"numpy routing by hand": by_hand})
