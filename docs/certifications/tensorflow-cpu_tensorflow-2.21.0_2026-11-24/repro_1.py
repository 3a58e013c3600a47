"""convconf certification failure 1: 2d gradients zeros float32, integer data.

the worker died (exit code -11, a signal) while checking this case
Run: python repro_1.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=2, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(4, 5), kernel_size=(4, 1), stride=(1, 3), padding=(1, 3), dilation=(1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'float32', 'integer', 3944448)
print("conformant: the failure no longer reproduces")
