"""convconf certification failure 8: 2d forward strided bfloat16, adversarial data.

tensorflow-cpu: result outside its declared bound [forward, bfloat16, adversarial data, seed 0]
Run: python repro_8.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=2, batch=4, in_channels=2, out_channels=4, groups=2, input_size=(2, 2), kernel_size=(1, 2), stride=(1, 2), padding=(0, 0), dilation=(1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_forward(backend, config, 'bfloat16', 'adversarial', 0)
print("conformant: the failure no longer reproduces")
