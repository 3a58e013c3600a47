"""convconf certification failure 2: 2d forward reflect bfloat16, random data.

tensorflow-cpu: result outside its declared bound [forward, bfloat16, random data, seed 0]
Run: python repro_2.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=2, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(2, 3), kernel_size=(1, 2), stride=(1, 3), padding=(1, 0), dilation=(1, 1), padding_mode='reflect', bias=True, transposed=False, output_padding=None)
check_forward(backend, config, 'bfloat16', 'random', 0)
print("conformant: the failure no longer reproduces")
