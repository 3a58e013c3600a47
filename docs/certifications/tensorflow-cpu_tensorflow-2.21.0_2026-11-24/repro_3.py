"""convconf certification failure 3: 2d gradients reflect bfloat16, integer data.

the worker died (exit code -6, a signal) while checking this case
Run: python repro_3.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=2, batch=1, in_channels=1, out_channels=3, groups=1, input_size=(8, 6), kernel_size=(1, 1), stride=(1, 2), padding=(3, 2), dilation=(1, 1), padding_mode='reflect', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'integer', 137)
print("conformant: the failure no longer reproduces")
