"""torch-cpu-mixed-layouts: killed its process on a valid config [forward, bfloat16, cancellation data, seed 24075]

backend torch-cpu-mixed-layouts: conv1d x(1, 6, 1) w(4, 3, 2) g=2 s=(2,) p=(3,) d=(2,)
dtype bfloat16, cancellation data, seed 24075, forward
convconf config: ConvConfig(ndim=1, batch=1, in_channels=6, out_channels=4, groups=2, input_size=(1,), kernel_size=(2,), stride=(2,), padding=(3,), dilation=(2,), padding_mode='zeros', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([8192.0, -8192.0, -2544.0, -17920.0, 17920.0, -3664.0], dtype=np.float64).reshape((1, 6, 1))
weight = np.array([-13696.0, -10944.0, -13696.0, -10944.0, 16000.0, -10496.0, 24960.0, 12672.0, 24960.0, 12672.0, 12800.0, -864.0, 3472.0, 16384.0, 3472.0, 16384.0, 1280.0, 7744.0, -25088.0, 13440.0, -25088.0, 13440.0, -12416.0, -17024.0], dtype=np.float64).reshape((4, 3, 2))
bias = np.array([-0.84375, -1.0703125, 0.345703125, -2.21875], dtype=np.float64).reshape((4,))
expected_output = np.array([-0.84375, -0.84375, -0.84375, -1.0703125, -1.0703125, -1.0703125, 0.345703125, 0.345703125, 0.345703125, -2.21875, -2.21875, -2.21875], dtype=np.float64).reshape((1, 4, 3))
bound_output = np.array([0.02710843373493972, 0.02710843373493972, 0.02710843373493972, 0.03438755020080317, 0.03438755020080317, 0.03438755020080317, 0.011106927710843359, 0.011106927710843359, 0.011106927710843359, 0.0712851405622489, 0.0712851405622489, 0.0712851405622489], dtype=np.float64).reshape((1, 4, 3))

import torch
import torch.nn.functional as F

torch.backends.mkldnn.enabled = True
torch.backends.cudnn.enabled = True
torch.backends.cudnn.benchmark = False
torch.backends.cudnn.deterministic = False
torch.backends.cudnn.allow_tf32 = False

def placed(values, strides, offset, requires_grad=False):
    """values as a tensor with exactly these strides and storage offset (the backend's layout)."""
    t = torch.from_numpy(values).to('cpu').to(torch.bfloat16)
    span = 1 + sum((n - 1) * st for n, st in zip(t.shape, strides) if n > 0)
    storage = torch.zeros(offset + span, dtype=t.dtype, device='cpu')
    out = torch.as_strided(storage, t.shape, strides, offset)
    out.copy_(t)
    return out.requires_grad_(requires_grad)

x = placed(x, (6, 1, 1), 2)  # layout: offset
weight = placed(weight, (6, 1, 3), 0)  # layout: permuted
bias = placed(bias, (1,), 0)  # layout: size1_strides

def conv_call(x, weight, bias):
    return F.conv1d(x, weight, bias, stride=(2,), padding=(3,), dilation=(2,), groups=2)


def compare(name, got, expected, bound, scale):
    """The backend's values against the oracle's, element by element, in the frame 2**-scale."""
    got = np.ldexp(np.asarray(got, dtype=np.float64), -scale)
    if got.shape != expected.shape:
        print(f"{name}: shape {got.shape}, expected {expected.shape}")
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(got - expected)
        special = (np.isnan(expected) != np.isnan(got)) | (np.isinf(expected) & (got != expected))
        bad = special | (np.isfinite(expected) & ~(err <= bound))
    if not bad.any():
        print(f"{name}: every element within its bound (max error {np.nanmax(err, initial=0.0):.3g})")
        return True
    score = np.where(special, np.inf, np.where(bad, err / np.where(bound > 0, bound, 1e-300), -1.0))
    worst = np.unravel_index(int(np.nanargmax(score)), expected.shape)
    frame = f" (values * 2**-{scale})" if scale else ""
    print(f"{name}: {int(bad.sum())} of {bad.size} elements break their bound{frame}")
    print(f"  worst index {tuple(int(i) for i in worst)}: backend {float(got[worst])!r}, expected "
          f"{float(expected[worst])!r}, bound {float(bound[worst])!r}")
    return False

with torch.no_grad():
    y = conv_call(x, weight, bias)
got = {'output': y}
print('torch', torch.__version__, 'torch-cpu-mixed-layouts', 'bfloat16')
ok = True
ok &= compare('output', got['output'].detach().to('cpu', torch.float64).numpy(), expected_output, bound_output, 0)
sys.exit(0 if ok else 1)
