r"""
One filter spans every input channel
====================================

A filter of a ``conv2d`` layer is not a k×k square but a C_in×k×k block, here
3×3×3: one 3×3 slice per input channel. Placed at a window, it covers the same 3×3
patch of every channel, and all its products add into one output cell.
The caption splits that sum by channel, ``s₀ + s₁ + s₂``, so each frame shows
how much each channel contributes.
"""

# sphinx_gallery_thumbnail_number = 1
import re

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case in the tensor view (``view="tensor"``, an option of
# :func:`conv_explained.render.animate`).
case = catalog.get("tensor_multi_channel")
anim = case.animate()
anim.save_gif("tensor_multi_channel.gif")
anim.save_still("tensor_multi_channel.png", frame=0)
print(anim.alt_text)

# %%
# The blocks' shapes, and the products one output cell adds up.
x, w = case.inputs()["x"], case.inputs()["weight"]
print(f"input {x.shape}, filter {w.shape[1:]}, output {anim.values.shape}")
print(f"products per output cell: {w[0].size}")

# %%
# Each output cell is the sum of per-channel correlations, one input channel
# with its slice of the filter; the caption of the first frame lists them.
per_channel = [ce.correlate(x[c], w[0, c]) for c in range(x.shape[0])]
print(anim.scenes[0].caption)
print("first cell, channel by channel:", [int(p[0, 0]) for p in per_channel])


def caption_cell(scene):
    """The output cell a frame's caption names, ``out[o, r, c]``."""
    return tuple(int(n) for n in re.search(r"out\[(\d+), (\d+), (\d+)\]", scene.caption).groups())


frames = [scene for scene in anim.scenes if scene.step is not None]
verify.check_rule(
    "each caption splits the sum by channel",
    frames,
    rule=lambda scene: [int(term) for term in scene.terms],
    rule_by="the animation's caption",
    truth=lambda scene: [int(p[caption_cell(scene)[1:]]) for p in per_channel],
    truth_by="conv_explained.correlate, one channel at a time",
    grid="every frame",
)

# %%
# The certificate compares the sum of the per-channel correlations, the
# package's ``correlate`` and the animation with ``torch.nn.Conv2d``.
case.certify(anim, also={"the per-channel correlations, summed": sum(per_channel)})
