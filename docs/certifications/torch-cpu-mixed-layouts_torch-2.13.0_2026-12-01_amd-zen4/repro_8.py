"""convconf certification failure 8: 3d forward zeros bfloat16, integer data.

torch-cpu-mixed-layouts: result outside its declared bound [forward, bfloat16, integer data, seed 9999999]
Run: python repro_8.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=1, in_channels=6, out_channels=4, groups=2, input_size=(1, 4, 6), kernel_size=(1, 3, 1), stride=(1, 1, 1), padding='valid', dilation=(1, 1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_forward(backend, config, 'bfloat16', 'integer', 9999999)
print("conformant: the failure no longer reproduces")
