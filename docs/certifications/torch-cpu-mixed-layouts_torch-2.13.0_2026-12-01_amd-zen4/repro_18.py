"""convconf certification failure 18: 2d gradients strided bfloat16, nonfinite data.

the pytest worker running this row died or failed outside the backend call:     |   backend       73.5 /     |   abs error     73.5  (8e+41 ulps) /     |   bound         1.3775324423698682e-40  (magnitude 0.0, 1 terms) /     |   reproduce     python -m conformance repro --backend torch-cpu-mixed-layouts --dtype bfloat16 --kind nonfinite --seed 0 --check grads --config "ConvConfig(ndim=2, batch=1, in_channels=2, out_channels=1, groups=1, input_size=(1, 2), kernel_size=(1, 2), stride=(1, 3), padding=(0, 1), dilation=(1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)" /     |   config repr   ConvConfig(ndim=2, batch=1, in_channels=2, out_channels=1, groups=1, input_size=(1, 2), kernel_size=(1, 2), stride=(1, 3), padding=(0, 1), dilation=(1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None) /     +------------------------------------
Run: python repro_18.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_grads
from conformance.config import ConvConfig

backend = registry.load('torch-cpu-mixed-layouts')
config = None
check_grads(backend, config, 'bfloat16', 'nonfinite', None)
print("conformant: the failure no longer reproduces")
