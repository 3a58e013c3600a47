"""convconf certification failure 20: 3d gradients grouped float32, nonfinite data.

torch-cpu-mixed-layouts: killed its process on a valid config [grad_input, float32, nonfinite data, seed 1]
Run: python repro_20.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=1, in_channels=6, out_channels=9, groups=3, input_size=(2, 1, 3), kernel_size=(4, 1, 3), stride=(2, 2, 2), padding=(3, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'float32', 'nonfinite', 1)
print("conformant: the failure no longer reproduces")
