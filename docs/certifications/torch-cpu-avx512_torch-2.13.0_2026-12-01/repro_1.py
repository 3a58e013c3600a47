"""convconf certification failure 1: 3d gradients strided bfloat16, random data.

torch-cpu-avx512: killed its process on a valid config [grad_input, bfloat16, random data, seed 8738311]
Run: python repro_1.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-avx512')
config = ConvConfig(ndim=3, batch=4, in_channels=3, out_channels=3, groups=3, input_size=(4, 7, 4), kernel_size=(3, 3, 2), stride=(2, 1, 1), padding=(1, 0, 0), dilation=(2, 2, 2), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'random', 8738311)
print("conformant: the failure no longer reproduces")
