"""convconf certification failure 9: 2d forward strided bfloat16, cancellation data.

tensorflow-cpu: result outside its declared bound [forward, bfloat16, cancellation data, seed 74]
Run: python repro_9.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=2, batch=4, in_channels=4, out_channels=8, groups=4, input_size=(2, 3), kernel_size=(2, 3), stride=(1, 2), padding=(1, 0), dilation=(1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_forward(backend, config, 'bfloat16', 'cancellation', 74)
print("conformant: the failure no longer reproduces")
