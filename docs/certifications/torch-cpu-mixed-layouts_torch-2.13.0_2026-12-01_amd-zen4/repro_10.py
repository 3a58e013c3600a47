"""convconf certification failure 10: 3d transpose grouped float32, overflow data.

torch-cpu-mixed-layouts: result outside its declared bound [forward, float32, overflow data, seed 1073741823]
Run: python repro_10.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=2, in_channels=6, out_channels=6, groups=2, input_size=(3, 2, 3), kernel_size=(3, 1, 2), stride=(1, 2, 1), padding=(0, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=False, transposed=True, output_padding=(0, 0, 0))
check_forward(backend, config, 'float32', 'overflow', 1073741823)
print("conformant: the failure no longer reproduces")
