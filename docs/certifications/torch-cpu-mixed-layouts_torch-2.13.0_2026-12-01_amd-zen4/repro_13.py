"""convconf certification failure 13: 1d gradients grouped bfloat16, subnormal data.

torch-cpu-mixed-layouts: killed its process on a valid config [grad_input, bfloat16, subnormal data, seed 2]
Run: python repro_13.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=1, batch=1, in_channels=4, out_channels=4, groups=2, input_size=(1,), kernel_size=(1,), stride=(2,), padding=(3,), dilation=(3,), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'subnormal', 2)
print("conformant: the failure no longer reproduces")
