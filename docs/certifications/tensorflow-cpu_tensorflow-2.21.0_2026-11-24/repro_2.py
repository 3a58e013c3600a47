"""convconf certification failure 2: 2d gradients reflect float32, adversarial data.

the worker died (exit code -11, a signal) while checking this case
Run: python repro_2.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=2, batch=1, in_channels=3, out_channels=2, groups=1, input_size=(6, 6), kernel_size=(1, 3), stride=(1, 1), padding='same', dilation=(3, 2), padding_mode='reflect', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'float32', 'adversarial', 1)
print("conformant: the failure no longer reproduces")
