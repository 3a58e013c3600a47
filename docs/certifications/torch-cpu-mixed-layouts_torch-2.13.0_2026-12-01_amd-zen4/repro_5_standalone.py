"""torch-cpu-mixed-layouts: result outside its declared bound [forward, bfloat16, overflow data, seed 0]

backend torch-cpu-mixed-layouts: conv2d x(1, 4, 1, 3) w(2, 2, 4, 1) g=2 s=(1, 1) p=(2, 0) d=(1, 1) nobias
dtype bfloat16, overflow data, seed 0, forward
convconf config: ConvConfig(ndim=2, batch=1, in_channels=4, out_channels=2, groups=2, input_size=(1, 3), kernel_size=(4, 1), stride=(1, 1), padding=(2, 0), dilation=(1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([2.143713422628356e+18, -4.755801206503244e+18, -1.5924728282382074e+19, -2.7021597764222976e+18, 4.287426845256712e+18, 2.8390692050943607e+19, 1.1961560610296037e+19, 2.622896422980577e+19, 2.377900603251622e+18, 1.0376293541461623e+19, 3.0840650248233157e+19, -7.602076171001397e+18], dtype=np.float64).reshape((1, 4, 1, 3))
weight = np.array([2.6120877838748877e+18, 6.485183463413514e+18, -2.7742173704602255e+18, 1.1673330234144326e+19, -4.0352252661239644e+18, -5.908722711110091e+18, 1.3690942867206308e+19, -3.660525777126739e+19, 4.521614025879978e+18, -9.952955176488796e+17, 1.4195346025471803e+19, 5.872693914091127e+18, -2.1473163023302525e+19, 4.53962842438946e+18, -3.494793310839505e+18, -0.0], dtype=np.float64).reshape((2, 2, 4, 1))
bias = None
expected_output = np.array([-4.2942242131404975e+37, 7.189254230327322e+37, 4.328740006507608e+38, 2.9868687678721596e+37, -5.61754597124883e+37, -2.7102751142180093e+38, 1.335354906077987e+38, 2.6454752494234947e+38, 6.032280682824299e+37, 3.5199229441114913e+37, 1.1389952196303461e+38, -3.687731488208264e+37], dtype=np.float64).reshape((1, 2, 2, 3))
bound_output = np.array([1.7385523130123444e+36, 2.9106292430474945e+36, 1.75252631842413e+37, 1.2092586104745568e+36, 2.2743101098173365e+36, 1.09727737417733e+37, 8.342570571976229e+36, 1.9437689122319053e+37, 2.4422188999288624e+36, 2.3890609214631946e+36, 6.72512805765309e+36, 1.4930086996794567e+36], dtype=np.float64).reshape((1, 2, 2, 3))

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

x = placed(x, (12, 1, 12, 4), 0)  # layout: channels_last
weight = placed(weight, (8, 1, 2, 8), 0)  # layout: permuted
bias = None

def conv_call(x, weight, bias):
    return F.conv2d(x, weight, bias, stride=(1, 1), padding=(2, 0), dilation=(1, 1), groups=2)


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
