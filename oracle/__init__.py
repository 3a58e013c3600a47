"""convconf's reference oracle: N-d convolution ground truth with numpy alone.

`conv`, `conv_transpose`, their gradients and output shapes mirror
torch.nn.functional; see functional.py.  `conv_general` (general.py) is the general
convolution of XLA, ONNX and TensorFlow: any spatial rank, (low, high) padding pairs
that may crop, input (lhs) dilation; conventions.py resolves each framework's padding
rule (ONNX auto_pad, TensorFlow SAME/VALID, XLA pairs) to its pairs.  Two implementations of one definition
(naive.py, the literal sum; shift.py, the default) and an independent scipy
cross-check (scipy_reference.py) are selected with `implementation=`.
"""

from . import conventions
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
from .general import (conv_general, conv_general_grads, conv_general_output_shape, general_spec,
                      transpose_as_general, transpose_padding)
from .spec import PADDING_MODES, ConvSpec, conv_spec, conv_transpose_spec, same_padding

__all__ = [
    "ConvConfigError", "ConvGrads", "ConvSpec", "IMPLEMENTATIONS", "PADDING_MODES", "conv", "conventions",
    "conv_general", "conv_general_grads", "conv_general_output_shape", "conv_grads", "general_spec",
    "transpose_as_general",
    "transpose_padding",
    "conv_spec", "conv_transpose", "conv_transpose_grads", "conv_transpose_output_shape",
    "conv_transpose_spec", "magnitude", "output_shape",
    "same_padding",
]
