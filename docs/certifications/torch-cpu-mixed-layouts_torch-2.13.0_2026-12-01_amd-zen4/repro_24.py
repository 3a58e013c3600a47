"""convconf certification failure 24: 3d gradients strided bfloat16, cancellation data.

torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, cancellation data, seed 0]
Run: python repro_24.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=2, in_channels=4, out_channels=2, groups=2, input_size=(1, 2, 1), kernel_size=(2, 1, 1), stride=(1, 2, 1), padding=(1, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'cancellation', 0)
print("conformant: the failure no longer reproduces")
