"""convconf certification failure 1: 2d forward input-dilation float16, nonfinite data.

jax: killed its process on a valid config [forward, float16, nonfinite data, seed 423697438]
Run: python repro_1.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('jax')
config = ConvConfig(ndim=2, batch=1, in_channels=2, out_channels=1, groups=1, input_size=(5, 2), kernel_size=(2, 3), stride=(1, 1), padding=(0, 1), dilation=(1, 2), padding_mode='zeros', bias=True, transposed=False, output_padding=None, lhs_dilation=(2, 2))
check_forward(backend, config, 'float16', 'nonfinite', 423697438)
print("conformant: the failure no longer reproduces")
