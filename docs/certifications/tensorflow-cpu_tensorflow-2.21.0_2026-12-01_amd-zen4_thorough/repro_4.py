"""convconf certification failure 4: 2d forward same-upper bfloat16, integer data.

tensorflow-cpu: result outside its declared bound [forward, bfloat16, integer data, seed 1]
Run: python repro_4.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=2, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(3, 1), kernel_size=(1, 2), stride=(1, 2), padding='SAME_UPPER', dilation=(1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_forward(backend, config, 'bfloat16', 'integer', 1)
print("conformant: the failure no longer reproduces")
