"""convconf certification failure 16: 2d gradients replicate float64, subnormal data.

torch-cpu-mixed-layouts: raised RuntimeError on a valid config [grad_input, float64, subnormal data, seed 8334]
Run: python repro_16.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=2, batch=1, in_channels=320, out_channels=1, groups=1, input_size=(1, 3), kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(1, 1), padding_mode='replicate', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'float64', 'subnormal', 8334)
print("conformant: the failure no longer reproduces")
