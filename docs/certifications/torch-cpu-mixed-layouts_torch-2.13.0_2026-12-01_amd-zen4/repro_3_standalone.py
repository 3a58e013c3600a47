"""torch-cpu-mixed-layouts: killed its process on a valid config [forward, bfloat16, nonfinite data, seed 104]

backend torch-cpu-mixed-layouts: conv2d x(2, 3, 4, 1) w(2, 3, 3, 1) g=1 s=(1, 1) p='same' d=(2147483647, 2)
dtype bfloat16, nonfinite data, seed 104, forward
convconf config: ConvConfig(ndim=2, batch=2, in_channels=3, out_channels=2, groups=1, input_size=(4, 1), kernel_size=(3, 1), stride=(1, 1), padding='same', dilation=(2147483647, 2), padding_mode='zeros', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([0.5625, 0.55859375, -0.62109375, -0.00982666015625, 0.000537872314453125, 0.057373046875, 2.1875, -0.283203125, -0.291015625, -0.458984375, 1.0390625, -0.412109375, -0.08837890625, 0.87890625, 0.76171875, 0.0, 1.8125, 0.27734375, 0.94921875, 0.330078125, 1.71875, -0.34765625, -0.62109375, 0.4140625], dtype=np.float64).reshape((2, 3, 4, 1))
weight = np.array([-0.0634765625, 1.25, 1.984375, -0.053466796875, -0.2392578125, 1.0625, 0.058349609375, 0.8125, 1.6015625, 0.55859375, 1.0859375, -2.328125, 1.046875, -0.158203125, -0.93359375, -0.1455078125, -1.1875, -1.171875], dtype=np.float64).reshape((2, 3, 3, 1))
bias = np.array([0.8828125, 0.32421875], dtype=np.float64).reshape((2,))
expected_output = np.array([1.3493586145341396, 1.1944029331207275, 0.42730712890625, 0.6034488677978516, 1.2805545553565025, 1.4667840003967285, -1.930206298828125, 0.8477311134338379, 1.73516845703125, 1.6326179504394531, 1.1032142639160156, 1.1402645111083984, -2.0995140075683594, 1.6476211547851562, 1.7387771606445312, -0.21969985961914062], dtype=np.float64).reshape((2, 2, 4, 1))
bound_output = np.array([0.08149463512245711, 0.08798687341736577, 0.13534446654280985, 0.05802693405771639, 0.05726817949879456, 0.06639963049229562, 0.11530521051670468, 0.03886100528686024, 0.12625072448234237, 0.10419918463482113, 0.11477147854440571, 0.058050132379299214, 0.12287588041972329, 0.07759804454276226, 0.09117997952593045, 0.038819150226872115], dtype=np.float64).reshape((2, 2, 4, 1))

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

x = placed(x, (12, 1, 3, 3), 0)  # layout: channels_last
weight = placed(weight, (9, 3, 1, 1), 0)  # layout: contiguous
bias = placed(bias, (1,), 3)  # layout: offset

def conv_call(x, weight, bias):
    return F.conv2d(x, weight, bias, stride=(1, 1), padding='same', dilation=(2147483647, 2), groups=1)


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
