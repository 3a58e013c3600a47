"""convconf certification failure 1: 3d gradients grouped float64, integer data.

the worker died (exit code -6, a signal) while checking this case
Run: python repro_1.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('jax')
config = ConvConfig(ndim=3, batch=1, in_channels=6, out_channels=4, groups=2, input_size=(3, 6, 9), kernel_size=(4, 2, 4), stride=(2, 2, 1), padding=(2, 1, 1), dilation=(2, 1, 3), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'float64', 'integer', 246)
print("conformant: the failure no longer reproduces")
