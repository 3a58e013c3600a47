"""convconf certification failure 1: 1d forward strided bfloat16, cancellation data.

torch-cpu-mixed-layouts: killed its process on a valid config [forward, bfloat16, cancellation data, seed 24075]
Run: python repro_1.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=1, batch=1, in_channels=6, out_channels=4, groups=2, input_size=(1,), kernel_size=(2,), stride=(2,), padding=(3,), dilation=(2,), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_forward(backend, config, 'bfloat16', 'cancellation', 24075)
print("conformant: the failure no longer reproduces")
