"""convconf certification failure 23: 3d gradients strided float32, adversarial data.

torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, float32, adversarial data, seed 2]
Run: python repro_23.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=3, batch=1, in_channels=6, out_channels=4, groups=2, input_size=(3, 7, 4), kernel_size=(6, 2, 2), stride=(2, 2, 1), padding=(4, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'float32', 'adversarial', 2)
print("conformant: the failure no longer reproduces")
