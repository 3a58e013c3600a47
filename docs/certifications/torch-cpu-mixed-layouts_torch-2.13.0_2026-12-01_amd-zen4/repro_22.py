"""convconf certification failure 22: 3d gradients grouped bfloat16, nonfinite data.

torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, nonfinite data, seed 2]
Run: python repro_22.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=1, in_channels=4, out_channels=2, groups=2, input_size=(1, 1, 1), kernel_size=(4, 1, 1), stride=(1, 1, 1), padding=(2, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'nonfinite', 2)
print("conformant: the failure no longer reproduces")
