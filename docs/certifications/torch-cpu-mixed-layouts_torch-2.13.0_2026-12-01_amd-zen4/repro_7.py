"""convconf certification failure 7: 3d forward reflect bfloat16, cancellation data.

torch-cpu-mixed-layouts: result outside its declared bound [forward, bfloat16, cancellation data, seed 17]
Run: python repro_7.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=9, in_channels=6, out_channels=3, groups=3, input_size=(2, 6, 3), kernel_size=(1, 3, 2), stride=(1, 1, 1), padding=(0, 0, 0), dilation=(1, 2, 1), padding_mode='reflect', bias=True, transposed=False, output_padding=None)
check_forward(backend, config, 'bfloat16', 'cancellation', 17)
print("conformant: the failure no longer reproduces")
