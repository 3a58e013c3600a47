"""convconf certification failure 2: 2d gradients grouped float32, adversarial data.

the worker died (exit code -8, a signal) while checking this case
Run: python repro_2.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-channels-last')
config = ConvConfig(ndim=2, batch=2, in_channels=3, out_channels=6, groups=3, input_size=(6, 4), kernel_size=(3, 3), stride=(1, 1), padding=(0, 2147483647), dilation=(2, 2147483647), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'float32', 'adversarial', 3365246)
print("conformant: the failure no longer reproduces")
