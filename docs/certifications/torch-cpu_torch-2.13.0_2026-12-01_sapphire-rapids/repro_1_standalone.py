"""torch-cpu: result outside its declared bound [forward, bfloat16, overflow data, seed 1]

backend torch-cpu: convT3d x(1, 1, 1, 1, 15) w(1, 1, 2, 1, 1) g=1 s=(2, 1, 2) p=(0, 0, 0) d=(1, 1, 1) op=(1, 0, 0)
dtype bfloat16, overflow data, seed 1, forward
convconf config: ConvConfig(ndim=3, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(1, 1, 15), kernel_size=(2, 1, 1), stride=(2, 1, 2), padding=(0, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=True, output_padding=(1, 0, 0))

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([3.350678122763649e+18, -0.0, -1.6212958658533786e+18, 6.935543426150564e+17, -2.9183325585360814e+18, -8.070450532247929e+18, 2.9543613555550454e+18, -1.3690942867206308e+19, 4.575657221408424e+18, -9.043228051759956e+18, 1.5924728282382074e+19, 2.8390692050943607e+19, -2.9363469570455634e+18, 6.710363444782039e+17, -1.815851369755784e+19], dtype=np.float64).reshape((1, 1, 1, 1, 15))
weight = np.array([-4.1793404541998203e+18, -5.044031582654956e+18], dtype=np.float64).reshape((1, 1, 2, 1, 1))
bias = np.array([-1.3126126458376044e+37], dtype=np.float64).reshape((1,))
expected_output = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNpjYACCzC3HQRTDgcXYaZnJKPwGmRWo8glpqHyG9e4ofK3NqPLTDqDKO+9Ale/fhCr/8yyq/MkbqPwJKSh8hx/LUeXnHIeYN30b'
    'fn+e6EX1J/NKVHmDYlR3HdiCyhfbiqqe6yiqvO1uVPnCHSjyDZMvosqn30Xle5SgqD9wHS0eWs664/XfMKIBv6CyGA=='
)), dtype=np.float64).reshape((1, 1, 3, 1, 29))
bound_output = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNoL33wzx+y2n3vG7rt522/bYtC+OmLdRxe5wfmGc/2WX7Z0gvOnXswwkTrrA+fPCdGa6rU0Cs4X6D/++OMPhDwbBwtTI0MKnH8V'
    'SL4NC4LzpwetDNH6GgPnf29wUBBYkQbn1x1+WGCxpwjODzKQ4GF7jDD/aBrQQ3II9z3/WWM33z/TPcVs9tk04UCc/gxef/31VysP'
    'OJ+1HWjRC4Q52Xvj1l9f7Q/nz7j8ssRqbhycz8HD1nzwAUJ+z+OPFTZx6XD+ZZA/p4XA+YU2cv3HNyfA+fZqk0+mTMqC87WBzt1s'
    'WQbn70oxmulzDGH+o69Ve+OOI9x3GBgNvcdycfpvuNEAG2dyLQ=='
)), dtype=np.float64).reshape((1, 1, 3, 1, 29))

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

x = placed(x, (15, 15, 15, 15, 1), 0)  # layout: contiguous
weight = placed(weight, (2, 2, 1, 1, 1), 0)  # layout: contiguous
bias = placed(bias, (1,), 0)  # layout: contiguous

def conv_call(x, weight, bias):
    return F.conv_transpose3d(x, weight, bias, stride=(2, 1, 2), padding=(0, 0, 0), output_padding=(1, 0, 0), groups=1, dilation=(1, 1, 1))


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
print('torch', torch.__version__, 'torch-cpu', 'bfloat16')
ok = True
ok &= compare('output', got['output'].detach().to('cpu', torch.float64).numpy(), expected_output, bound_output, 0)
sys.exit(0 if ok else 1)
