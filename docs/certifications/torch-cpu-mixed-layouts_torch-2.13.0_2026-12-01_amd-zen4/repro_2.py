"""convconf certification failure 2: 2d forward dilated float32, overflow data.

torch-cpu-mixed-layouts: result outside its declared bound [forward, float32, overflow data, seed 23578]
Run: python repro_2.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=2, batch=1, in_channels=6, out_channels=2, groups=2, input_size=(1, 5), kernel_size=(3, 1), stride=(1, 2), padding=(5, 0), dilation=(2, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_forward(backend, config, 'float32', 'overflow', 23578)
print("conformant: the failure no longer reproduces")
