"""convconf certification failure 3: 3d gradients zeros float32, overflow data.

the worker died (exit code -8, a signal) while checking this case
Run: python repro_3.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-channels-last')
config = ConvConfig(ndim=3, batch=1, in_channels=3, out_channels=6, groups=3, input_size=(5, 5, 2), kernel_size=(3, 2, 3), stride=(1, 1, 1), padding='same', dilation=(2, 2, 2147483647), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'float32', 'overflow', 431)
print("conformant: the failure no longer reproduces")
