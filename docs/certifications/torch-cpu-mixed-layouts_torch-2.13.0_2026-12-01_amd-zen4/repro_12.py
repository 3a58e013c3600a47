"""convconf certification failure 12: 1d gradients grouped bfloat16, nonfinite data.

torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, nonfinite data, seed 1]
Run: python repro_12.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=1, batch=1, in_channels=2, out_channels=4, groups=2, input_size=(1,), kernel_size=(3,), stride=(2,), padding=(1,), dilation=(1,), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'nonfinite', 1)
print("conformant: the failure no longer reproduces")
