"""conv_explained: what "convolution" means in neural networks, computed and checked.

Reference operators with :mod:`torch.nn.functional` semantics (numpy arrays in,
numpy arrays out), the shape arithmetic, the matrix and FFT views, gradients,
and a renderer for numerically annotated figures and animations.
"""

from . import verify as verify  # the checks and their certificates
from .grad import avg_pool_grad, correlate_grad, max_pool_grad
from .local import locally_connected
from .matrix import col2im, conv_matrix, im2col
from .ops import conv_transpose, convolve, correlate, flip, transposed_as_correlation
from .pooling import avg_pool, global_avg_pool, global_max_pool, max_pool
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
from .spectral import fft_convolve, fft_correlate, fft_correlate_nd

__all__ = [
    "avg_pool",
    "avg_pool_grad",
    "col2im",
    "conv_matrix",
    "conv_output_size",
    "conv_transpose",
    "conv_transpose_output_padding",
    "conv_transpose_output_size",
    "convolve",
    "correlate",
    "correlate_grad",
    "fft_convolve",
    "fft_correlate",
    "fft_correlate_nd",
    "flip",
    "full_padding",
    "global_avg_pool",
    "global_max_pool",
    "im2col",
    "locally_connected",
    "max_pool",
    "max_pool_grad",
    "pool_output_size",
    "receptive_field",
    "resolve_padding",
    "same_padding",
    "transposed_as_correlation",
]

#: The one place the version is written; pyproject.toml reads it (``dynamic``).
__version__ = "0.1.0"
