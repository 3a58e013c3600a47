"""convconf certification failure 2: 3d transpose dilated bfloat16, adversarial data.

torch-cpu: result outside its declared bound [forward, bfloat16, adversarial data, seed 0]
Run: python repro_2.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu')
config = ConvConfig(ndim=3, batch=1, in_channels=1, out_channels=2, groups=1, input_size=(3, 3, 5), kernel_size=(3, 4, 4), stride=(1, 1, 1), padding=(0, 0, 0), dilation=(1, 1, 2), padding_mode='zeros', bias=True, transposed=True, output_padding=(0, 0, 1))
check_forward(backend, config, 'bfloat16', 'adversarial', 0)
print("conformant: the failure no longer reproduces")
