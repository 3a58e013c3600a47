"""convconf's reference oracle: N-d convolution ground truth with numpy alone.

`conv`, `conv_transpose`, their gradients and output shapes mirror
torch.nn.functional; see functional.py.  Two implementations of one definition
(naive.py, the literal sum; shift.py, the default) and an independent scipy
cross-check (scipy_reference.py) are selected with `implementation=`.
"""

from .errors import ConvConfigError
from .functional import (
    IMPLEMENTATIONS,
    ConvGrads,
    conv,
    conv_grads,
    conv_transpose,
    conv_transpose_grads,
    conv_transpose_output_shape,
    magnitude,
    output_shape,
)
from .spec import PADDING_MODES, ConvSpec, conv_spec, conv_transpose_spec, same_padding

__all__ = [
    "ConvConfigError", "ConvGrads", "ConvSpec", "IMPLEMENTATIONS", "PADDING_MODES", "conv", "conv_grads",
    "conv_spec", "conv_transpose", "conv_transpose_grads", "conv_transpose_output_shape",
    "conv_transpose_spec", "magnitude", "output_shape",
    "same_padding",
]
