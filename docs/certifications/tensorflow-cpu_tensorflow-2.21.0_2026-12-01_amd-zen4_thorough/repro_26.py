"""convconf certification failure 26: 1d transpose zeros float16, nonfinite data.

tensorflow-cpu: raised InvalidArgumentError on a valid config [forward, float16, nonfinite data, seed 0]
Run: python repro_26.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=1, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(1,), kernel_size=(1,), stride=(1,), padding=(0,), dilation=(2,), padding_mode='zeros', bias=True, transposed=True, output_padding=(0,))
check_forward(backend, config, 'float16', 'nonfinite', 0)
print("conformant: the failure no longer reproduces")
