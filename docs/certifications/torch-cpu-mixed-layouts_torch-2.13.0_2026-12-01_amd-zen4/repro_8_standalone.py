"""torch-cpu-mixed-layouts: result outside its declared bound [forward, bfloat16, integer data, seed 9999999]

backend torch-cpu-mixed-layouts: conv3d x(1, 6, 1, 4, 6) w(4, 3, 1, 3, 1) g=2 s=(1, 1, 1) p='valid' d=(1, 1, 1) nobias
dtype bfloat16, integer data, seed 9999999, forward
convconf config: ConvConfig(ndim=3, batch=1, in_channels=6, out_channels=4, groups=2, input_size=(1, 4, 6), kernel_size=(1, 3, 1), stride=(1, 1, 1), padding='valid', dilation=(1, 1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNqFk0ESxSAIQ12y9Ebl5nqkHuHPnxY6vJrKhkEhJlFb+0ef7QqRY7/7lc+j1oZ+u9cjog6c6D9Hxcs86pxx7qh4rMmHeMk7ePoa'
    'z3yt53Wuf+umrq50jTrPOfJUvlIncaivif70EbpSnzivYy518z7mmsfLL74vca/0r/va9/SX677GVe+DPhBX+jI3+vzbH2ZTOsX/'
    'VX7SH9v8p/Rhg2fg8cQPS9NmVw=='
)), dtype=np.float64).reshape((1, 6, 1, 4, 6))
weight = np.array([-1.0, -2.0, 2.0, 3.0, -2.0, 0.0, -3.0, -2.0, -2.0, 3.0, 2.0, 1.0, -2.0, 2.0, 0.0, 2.0, 3.0, -4.0, -2.0, -4.0, 0.0, -3.0, 1.0, 4.0, 4.0, 1.0, 1.0, -2.0, 3.0, 0.0, -3.0, 2.0, 1.0, -3.0, 4.0, 1.0], dtype=np.float64).reshape((4, 3, 1, 3, 1))
bias = None
expected_output = np.array([18.0, -33.0, -5.0, 3.0, -12.0, -21.0, 5.0, 18.0, 23.0, -13.0, -21.0, -21.0, -23.0, 23.0, -21.0, -34.0, -2.0, 13.0, -3.0, 16.0, -43.0, 2.0, 30.0, 30.0, 8.0, -26.0, 0.0, -28.0, -43.0, 30.0, 9.0, -8.0, 9.0, 20.0, -9.0, -11.0, -43.0, -34.0, -13.0, 15.0, 3.0, -5.0, -5.0, -9.0, -5.0, -19.0, -4.0, -11.0], dtype=np.float64).reshape((1, 4, 1, 2, 6))
bound_output = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], dtype=np.float64).reshape((1, 4, 1, 2, 6))

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

x = placed(x, (144, 1, 144, 36, 6), 0)  # layout: channels_last
weight = placed(weight, (9, 1, 9, 3, 1), 0)  # layout: permuted
bias = None

def conv_call(x, weight, bias):
    return F.conv3d(x, weight, bias, stride=(1, 1, 1), padding='valid', dilation=(1, 1, 1), groups=2)


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
