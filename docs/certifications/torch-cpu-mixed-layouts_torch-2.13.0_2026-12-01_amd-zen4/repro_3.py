"""convconf certification failure 3: 2d forward dilated bfloat16, nonfinite data.

torch-cpu-mixed-layouts: killed its process on a valid config [forward, bfloat16, nonfinite data, seed 104]
Run: python repro_3.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = ConvConfig(ndim=2, batch=2, in_channels=3, out_channels=2, groups=1, input_size=(4, 1), kernel_size=(3, 1), stride=(1, 1), padding='same', dilation=(2147483647, 2), padding_mode='zeros', bias=True, transposed=False, output_padding=None)
check_forward(backend, config, 'bfloat16', 'nonfinite', 104)
print("conformant: the failure no longer reproduces")
