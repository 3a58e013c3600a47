"""convconf certification failure 4: 2d forward grouped float32, adversarial data.

torch-cpu-mixed-layouts: result outside its declared bound [forward, float32, adversarial data, seed 757407]
Run: python repro_4.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=2, batch=8, in_channels=9, out_channels=9, groups=3, input_size=(3, 1), kernel_size=(2, 1), stride=(1, 1), padding=(0, 0), dilation=(1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_forward(backend, config, 'float32', 'adversarial', 757407)
print("conformant: the failure no longer reproduces")
