"""convconf certification failure 14: 2d gradients grouped bfloat16, cancellation data.

torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, cancellation data, seed 80]
Run: python repro_14.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=2, batch=7, in_channels=2, out_channels=2, groups=2, input_size=(3, 1), kernel_size=(1, 2), stride=(1, 2), padding=(0, 1), dilation=(2, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'cancellation', 80)
print("conformant: the failure no longer reproduces")
