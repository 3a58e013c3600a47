"""convconf certification failure 9: 3d transpose grouped float32, cancellation data.

torch-cpu-mixed-layouts: result outside its declared bound [forward, float32, cancellation data, seed 3]
Run: python repro_9.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=1, in_channels=3, out_channels=9, groups=3, input_size=(1, 2, 3), kernel_size=(1, 3, 1), stride=(1, 1, 1), padding=(0, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=False, transposed=True, output_padding=(0, 0, 0))
check_forward(backend, config, 'float32', 'cancellation', 3)
print("conformant: the failure no longer reproduces")
