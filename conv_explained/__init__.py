"""conv_explained: what "convolution" means in neural networks, computed and checked.

Reference operators with :mod:`torch.nn.functional` semantics (numpy arrays in,
numpy arrays out), the shape arithmetic, the matrix and FFT views, gradients,
and a renderer for numerically annotated figures and animations.
"""

from .ops import conv_transpose, convolve, correlate, flip, transposed_as_correlation
from .shapes import (
    conv_output_size,
    conv_transpose_output_padding,
    conv_transpose_output_size,
    full_padding,
    pool_output_size,
    receptive_field,
    resolve_padding,
    same_padding,
)

__all__ = [
    "conv_output_size",
    "conv_transpose",
    "conv_transpose_output_padding",
    "conv_transpose_output_size",
    "convolve",
    "correlate",
    "flip",
    "full_padding",
    "pool_output_size",
    "receptive_field",
    "resolve_padding",
    "same_padding",
    "transposed_as_correlation",
]

__version__ = "0.1.0"
