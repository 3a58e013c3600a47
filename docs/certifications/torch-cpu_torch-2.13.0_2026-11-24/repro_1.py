"""convconf certification failure 1: 3d transpose grouped bfloat16, adversarial data.

torch-cpu: result outside its declared bound [forward, bfloat16, adversarial data, seed 0]
Run: python repro_1.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu')
config = ConvConfig(ndim=3, batch=1, in_channels=4, out_channels=4, groups=2, input_size=(2, 4, 5), kernel_size=(3, 3, 3), stride=(1, 1, 1), padding=(0, 0, 0), dilation=(1, 2, 1), padding_mode='zeros', bias=True, transposed=True, output_padding=(0, 1, 0))
check_forward(backend, config, 'bfloat16', 'adversarial', 0)
print("conformant: the failure no longer reproduces")
