"""convconf certification failure 17: 2d gradients strided float32, subnormal data.

torch-cpu-mixed-layouts: raised RuntimeError on a valid config [grad_input, float32, subnormal data, seed 0]
Run: python repro_17.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=2, batch=1, in_channels=2, out_channels=1, groups=1, input_size=(1, 28), kernel_size=(1, 2), stride=(2, 2), padding=(1, 1), dilation=(1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'float32', 'subnormal', 0)
print("conformant: the failure no longer reproduces")
