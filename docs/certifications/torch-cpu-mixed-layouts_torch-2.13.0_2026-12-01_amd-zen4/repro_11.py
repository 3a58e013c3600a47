"""convconf certification failure 11: 3d transpose strided bfloat16, integer data.

torch-cpu-mixed-layouts: result outside its declared bound [forward, bfloat16, integer data, seed 2436]
Run: python repro_11.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=1, in_channels=6, out_channels=6, groups=3, input_size=(1, 3, 5), kernel_size=(3, 4, 1), stride=(1, 2, 1), padding=(0, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=True, output_padding=(0, 0, 0))
check_forward(backend, config, 'bfloat16', 'integer', 2436)
print("conformant: the failure no longer reproduces")
