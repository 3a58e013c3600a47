"""convconf certification failure 61: 0d invalid groups-divide-in_channels float64, config data.

tensorflow-cpu returned an output of shape (1, 6, 2) for a config the oracle rejects (groups-divide-in_channels: groups: in_channels=3 must be divisible by groups=2)
Run: python repro_61.py   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import check_forward
from conformance.config import ConvConfig

backend = registry.load('tensorflow-cpu')
config = ConvConfig(ndim=1, batch=1, in_channels=3, out_channels=6, groups=2, input_size=(8,), kernel_size=(3,), stride=(1,), padding='valid', dilation=(3,), padding_mode='zeros', bias=False, transposed=False, output_padding=None)
check_forward(backend, config, 'float64', 'config', None)
print("conformant: the failure no longer reproduces")
