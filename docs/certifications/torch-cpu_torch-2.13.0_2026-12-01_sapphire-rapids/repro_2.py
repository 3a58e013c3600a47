"""convconf certification failure 2: 3d gradients replicate bfloat16, subnormal data.

torch-cpu: result outside its declared bound [grad_input, bfloat16, subnormal data, seed 0]
Run: python repro_2.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu')
config = ConvConfig(ndim=3, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(1, 1, 29), kernel_size=(2, 1, 1), stride=(2, 1, 2), padding=(1, 0, 0), dilation=(1, 1, 1), padding_mode='replicate', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'subnormal', 0)
print("conformant: the failure no longer reproduces")
