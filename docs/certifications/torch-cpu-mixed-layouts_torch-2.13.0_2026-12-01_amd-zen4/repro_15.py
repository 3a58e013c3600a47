"""convconf certification failure 15: 2d gradients grouped bfloat16, overflow data.

torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, overflow data, seed 0]
Run: python repro_15.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=2, batch=1, in_channels=6, out_channels=14, groups=2, input_size=(1, 1), kernel_size=(2, 2), stride=(2, 2), padding=(1, 1), dilation=(1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'overflow', 0)
print("conformant: the failure no longer reproduces")
