"""convconf certification failure 5: 2d forward grouped bfloat16, overflow data.

torch-cpu-mixed-layouts: result outside its declared bound [forward, bfloat16, overflow data, seed 0]
Run: python repro_5.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=2, batch=1, in_channels=4, out_channels=2, groups=2, input_size=(1, 3), kernel_size=(4, 1), stride=(1, 1), padding=(2, 0), dilation=(1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_forward(backend, config, 'bfloat16', 'overflow', 0)
print("conformant: the failure no longer reproduces")
