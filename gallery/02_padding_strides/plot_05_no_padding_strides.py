r"""
No padding, strides
===================

A 3×3 kernel moves over a 5×5 input two cells at a time, without padding. The
stride skips every other position, so the work and the output shrink together.
Relationship 5 of Dumoulin and Visin,
:math:`o = \lfloor (i - k)/s \rfloor + 1`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation, with its text alternative.
case = catalog.get("no_padding_strides")
anim = case.animate()
anim.save_gif("no_padding_strides.gif")
anim.save_still("no_padding_strides.png")
print(anim.alt_text)

# %%
# Sizes with and without the stride: relationship 5 and the shape function.
x, w = case.inputs()["x"], case.inputs()["weight"]
s = case.params["stride"]
i, k = x.shape[0], w.shape[0]
print(f"stride {s}: {ce.conv_output_size(i, k, stride=s)} (relationship 5: {(i - k) // s + 1})")
print(f"stride 1: {ce.conv_output_size(i, k)}")

# %%
# A strided convolution computes exactly the entries of the stride-1 result
# at every ``s``-th row and column, and only those. The certificate compares
# them, the package and the animation with ``torch.nn.Conv2d``.
every_position = scipy.signal.correlate2d(x, w, mode="valid")
print("stride 1:\n", every_position, "\nkept:\n", every_position[::s, ::s])
case.certify(anim, also={"scipy.signal.correlate2d, every s-th": every_position[::s, ::s]})

# %%
# Both rules on a grid, against PyTorch: relationship 5, and the strided
# result as every ``s``-th entry of the stride-1 one (random integer inputs).


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv1d`` on an input of ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv1d(x, w, **options).shape[-1]


sizes = [(i, k, s) for i in range(1, 11) for k in range(1, i + 1) for s in range(1, 5)]


def strided(c, stride):
    i, k, _ = c
    rng = np.random.default_rng(100 * i + k)
    x = torch.tensor(rng.integers(-5, 6, (1, 1, i, i)), dtype=torch.float64)
    w = torch.tensor(rng.integers(-3, 4, (1, 1, k, k)), dtype=torch.float64)
    return torch.nn.functional.conv2d(x, w, stride=stride).numpy()


verify.combine(
    "relationship 5 and the strided entries",
    [
        verify.check_rule(
            "relationship 5, o = floor((i - k) / s) + 1",
            sizes,
            rule=lambda c: (c[0] - c[1]) // c[2] + 1,
            rule_by="relationship 5",
            truth=lambda c: torch_size(c[0], c[1], stride=c[2]),
            truth_by="torch.nn.functional.conv1d",
            grid="i <= 10, k <= i, s <= 4",
        ),
        verify.check_rule(
            "stride s keeps every s-th row and column of stride 1",
            sizes,
            rule=lambda c: strided(c, 1)[..., :: c[2], :: c[2]],
            rule_by="torch.nn.functional.conv2d at stride 1, every s-th",
            truth=lambda c: strided(c, c[2]),
            truth_by="torch.nn.functional.conv2d at stride s",
            grid="i <= 10, k <= i, s <= 4 (2-D, random integers)",
        ),
    ],
)
