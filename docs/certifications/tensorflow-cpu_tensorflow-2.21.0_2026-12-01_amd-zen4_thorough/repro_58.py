"""convconf certification failure 58: 1d gradients zeros bfloat16, integer data.

tensorflow-cpu: killed its process on a valid config [grad_input, bfloat16, integer data, seed 1]
Run: python repro_58.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=1, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(130,), kernel_size=(1,), stride=(2,), padding=(0,), dilation=(1,), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_grads(backend, config, 'bfloat16', 'integer', 1)
print("conformant: the failure no longer reproduces")
