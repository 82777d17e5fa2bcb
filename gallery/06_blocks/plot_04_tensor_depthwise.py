r"""
Depthwise with a channel multiplier
===================================

A depthwise convolution has ``groups = C_in``: every filter is a single
3×3 slice that sees one input channel. With a channel multiplier of
:math:`m` each input channel gets :math:`m` filters, so :math:`C_{in}` input
channels give :math:`m C_{in}` output channels, and no output cell mixes
channels (each caption has one term).
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case; the still is the first frame of the third filter.
case = catalog.get("tensor_depthwise")
anim = case.animate()
frame = 2 * anim.values[0].size
anim.save_gif("tensor_depthwise.gif")
anim.save_still("tensor_depthwise.png", frame=frame)
print(anim.alt_text)
print(anim.scenes[frame].caption)

# %%
# Each output channel is one 2-D correlation of one input channel: output
# channel ``o`` reads input channel ``o // m``.
x, w = case.inputs()["x"], case.inputs()["weight"]
m = w.shape[0] // x.shape[0]
per_channel = np.stack([ce.correlate(x[o // m], w[o, 0]) for o in range(w.shape[0])])
print(f"channel multiplier {m}: {x.shape[0]} -> {w.shape[0]} channels")
print("terms per caption:", {len(s.terms) for s in anim.scenes if s.step is not None})
verify.check_rule(
    "no output cell mixes channels: one term per caption",
    [s for s in anim.scenes if s.step is not None],
    rule=lambda s: 1,
    rule_by="the lesson",
    truth=lambda s: len(s.terms),
    truth_by="the animation's captions",
    grid="every frame",
)

# %%
# The certificate compares the per-channel correlations, the package's
# ``correlate`` and the animation with ``torch.nn.Conv2d(groups=C_in)``.
case.certify(anim, also={"one plain correlation per output channel": per_channel})
