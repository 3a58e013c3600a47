"""convconf certification failure 6: 3d forward grouped bfloat16, cancellation data.

torch-cpu-mixed-layouts: killed its process on a valid config [forward, bfloat16, cancellation data, seed 2418]
Run: python repro_6.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=2, in_channels=6, out_channels=6, groups=3, input_size=(1, 6, 4), kernel_size=(2, 3, 3), stride=(1, 2, 1), padding=(1, 1, 2147483647), dilation=(1, 2, 2147483647), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_forward(backend, config, 'bfloat16', 'cancellation', 2418)
print("conformant: the failure no longer reproduces")
