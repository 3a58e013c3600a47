"""convconf certification failure 25: 3d gradients strided bfloat16, integer data.

torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, integer data, seed 0]
Run: python repro_25.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=1, in_channels=2, out_channels=1, groups=1, input_size=(1, 1, 2), kernel_size=(3, 1, 2), stride=(2, 1, 1), padding=(2, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'integer', 0)
print("conformant: the failure no longer reproduces")
