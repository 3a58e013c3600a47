"""convconf certification failure 1: 2d gradients circular float32, random data.

the worker died (exit code -11, a signal) while checking this case
Run: python repro_1.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-channels-last')
config = ConvConfig(ndim=2, batch=1, in_channels=12, out_channels=12, groups=3, input_size=(5, 16), kernel_size=(3, 2), stride=(1, 1), padding=(0, 1), dilation=(2, 1), padding_mode='circular', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'float32', 'random', 195327139)
print("conformant: the failure no longer reproduces")
