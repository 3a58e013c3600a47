"""convconf certification failure 1: 3d transpose strided bfloat16, overflow data.

torch-cpu: result outside its declared bound [forward, bfloat16, overflow data, seed 1]
Run: python repro_1.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu')
config = ConvConfig(ndim=3, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(1, 1, 15), kernel_size=(2, 1, 1), stride=(2, 1, 2), padding=(0, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=True, output_padding=(1, 0, 0))
check_forward(backend, config, 'bfloat16', 'overflow', 1)
print("conformant: the failure no longer reproduces")
