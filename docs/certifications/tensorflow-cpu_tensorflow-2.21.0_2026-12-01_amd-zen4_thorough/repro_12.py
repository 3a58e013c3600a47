"""convconf certification failure 12: 2d forward zeros float32, adversarial data.

tensorflow-cpu: result outside its declared bound [forward, float32, adversarial data, seed 0]
Run: python repro_12.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=2, batch=2, in_channels=1, out_channels=1, groups=1, input_size=(2, 3), kernel_size=(1, 2), stride=(1, 3), padding=(0, 0), dilation=(1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_forward(backend, config, 'float32', 'adversarial', 0)
print("conformant: the failure no longer reproduces")
