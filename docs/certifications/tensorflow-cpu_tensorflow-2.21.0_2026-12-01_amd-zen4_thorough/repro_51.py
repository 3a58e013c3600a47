"""convconf certification failure 51: 3d transpose zeros float16, adversarial data.

tensorflow-cpu: raised InvalidArgumentError on a valid config [forward, float16, adversarial data, seed 0]
Run: python repro_51.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=3, batch=1, in_channels=16, out_channels=1, groups=1, input_size=(1, 1, 1), kernel_size=(3, 3, 3), stride=(1, 1, 1), padding=(0, 0, 0), dilation=(2, 2, 2), padding_mode='zeros', bias=True, transposed=True, output_padding=(0, 0, 0))
check_forward(backend, config, 'float16', 'adversarial', 0)
print("conformant: the failure no longer reproduces")
