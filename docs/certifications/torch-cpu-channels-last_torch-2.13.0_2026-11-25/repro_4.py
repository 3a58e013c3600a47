"""convconf certification failure 4: 3d gradients dilated float32, overflow data.

the worker died (exit code -11, a signal) while checking this case
Run: python repro_4.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-channels-last')
config = ConvConfig(ndim=3, batch=2, in_channels=2, out_channels=1, groups=1, input_size=(3, 5, 1), kernel_size=(1, 3, 2), stride=(2, 1, 3), padding=(0, 1, 4), dilation=(1, 2, 2), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_grads(backend, config, 'float32', 'overflow', 0)
print("conformant: the failure no longer reproduces")
