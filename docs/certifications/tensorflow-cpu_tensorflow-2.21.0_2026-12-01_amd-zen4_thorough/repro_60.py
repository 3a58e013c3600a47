"""convconf certification failure 60: 3d gradients same-upper bfloat16, nonfinite data.

tensorflow-cpu: result outside its declared bound [grad_weight, bfloat16, nonfinite data, seed 0]
Run: python repro_60.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=3, batch=2, in_channels=1, out_channels=1, groups=1, input_size=(2, 1, 1), kernel_size=(3, 1, 1), stride=(1, 1, 1), padding='SAME_UPPER', dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'nonfinite', 0)
print("conformant: the failure no longer reproduces")
