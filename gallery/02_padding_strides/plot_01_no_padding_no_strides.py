r"""
No padding, no strides
======================

A 3×3 kernel slides over a 4×4 input one cell at a time, with no padding. It
fits only where it lies wholly inside the input, so each axis loses
:math:`k - 1` cells: Dumoulin and Visin's relationship 1,
:math:`o = (i - k) + 1`. This is the first animation of
their *conv_arithmetic* set, here with every product and sum written in.
"""

# sphinx_gallery_thumbnail_number = 1
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case rebuilds its input and kernel from a fixed seed, so the
# numbers drawn are the ones printed here. Under the animation: the
# description a screen reader gets instead.
case = catalog.get("no_padding_no_strides")
anim = case.animate()
anim.save_gif("no_padding_no_strides.gif")
anim.save_still("no_padding_no_strides.png")
print(anim.alt_text)

# %%
# The output size two ways: the package's shape function and relationship 1.
x, w = case.inputs()["x"], case.inputs()["weight"]
i, k = x.shape[0], w.shape[0]
o = ce.conv_output_size(i, k)
print(f"input {i}×{i}, kernel {k}×{k}: shape function {o}, relationship 1 gives {i - k + 1}")

# %%
# The same numbers from SciPy's ``valid`` cross-correlation (every position
# where the kernel fits). The certificate compares it, the package's
# ``correlate`` and the animation with a ``torch.nn.Conv2d`` built from the
# case's options.
by_scipy = scipy.signal.correlate2d(x, w, mode="valid")
print(by_scipy)
case.certify(anim, also={"scipy.signal.correlate2d": by_scipy})

# %%
# Relationship 1 is a rule for every size, not just this one: checked on a
# grid of input and kernel sizes against PyTorch's output size (the
# certificate names the grid).
sizes = [(i, k) for i in range(1, 13) for k in range(1, i + 1)]


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv1d`` on an input of ``i`` cells."""
    return torch.nn.functional.conv1d(torch.zeros(1, 1, i), torch.zeros(1, 1, k), **options).shape[
        -1
    ]


verify.check_rule(
    "relationship 1, o = (i - k) + 1",
    sizes,
    rule=lambda c: (c[0] - c[1]) + 1,
    rule_by="relationship 1",
    truth=lambda c: torch_size(*c),
    truth_by="torch.nn.functional.conv1d",
    grid="i <= 12, k <= i",
)
