"""torch-cpu-mixed-layouts: result outside its declared bound [forward, bfloat16, integer data, seed 2436]

backend torch-cpu-mixed-layouts: convT3d x(1, 6, 1, 3, 5) w(6, 2, 3, 4, 1) g=3 s=(1, 2, 1) p=(0, 0, 0) d=(1, 1, 1) op=(0, 0, 0)
dtype bfloat16, integer data, seed 2436, forward
convconf config: ConvConfig(ndim=3, batch=1, in_channels=6, out_channels=6, groups=3, input_size=(1, 3, 5), kernel_size=(3, 4, 1), stride=(1, 2, 1), padding=(0, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=True, output_padding=(0, 0, 0))

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNp1klEOwCAIQ/vJJzfSm48j7QjLtmDCE/1pwGKhKL3H5ge6rx894/GjhQovUahLfuadPNwTDXWpq+h1M+9x6EN4R6ibNZ315HHu'
    'zQfVOPWdvKj9bH5E37/DZ/rk8Ik62z6i7/e0/+XP6P2m/vJx9rEd9qbo/wv/oTD32kc8MzQ8aw=='
)), dtype=np.float64).reshape((1, 6, 1, 3, 5))
weight = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNqFU8kRxDAI05OnO1o6DyWlhJ1sDBnLKMuH8YWELIArzuOXMOLO5+fONtdwrDH3zdd3tZ456+Z+5qw/vMfb8CmyDggn3xXfWOsw'
    'fr7j+6xDnhvVy3tg3qSDEc9NR5GLD+nPOql+RvQ8ED0+QvRL+IxbIf6X/2vrK/r+4P29rS/Bk+vYHx9z/+Ur+rcR/Zr9AKG/+buP'
    'h/KLmKPywyH0dMEPQlc1N6QHz8mmV/R+ePT4Ar5jYII='
)), dtype=np.float64).reshape((6, 2, 3, 4, 1))
bias = np.array([2.0, -3.0, -3.0, -4.0, -3.0, 0.0], dtype=np.float64).reshape((6,))
expected_output = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNqNmMGOnDAMhnPMkQOHHDgghCKEEIKZYWZnu92J+mT7Zs0j7SNU7fKPxKe4LRcrEBzH/m3/iXO/H5//CPf5+JL1Ptb7Nu0S47iP'
    'ncbp+P3z53E87bLa/7vno97rLptddvt8PSEdpfRr/rDLt10usE/zHeys0nG/Gjvold019iF9AX5sMb+FjPCL9tHLnnSMh/4747v8'
    'sWL+Ansq7HeEf3vYFRD3Dn7SOg54cZg/Gvtv4bce6wXMawx/PPG7x7c34q/3khP005+ye0hHHATgQXpqzJdexnOC1PcTxtrPE7fu'
    '6F/GTe9nrH/C/MEY04/aj/y3Ib7L/n4GzqRvwH5qY1/S8wr/e8ThBnsc7G2gX/jrsP6YynncAtc9/Qw8DcQ/9LP+jcD7DH3Kf+Xf'
    'CP0ReeBRn77lY12Wvgl1sUKdk50R/hyhr8tHPHXYN/Ong59qyAA7+UjfDL+9GHjz0KfvHvZ44FZPCzx4xif9XR/tpnz211S2b+a6'
    'rpyXG8YV8CM7/4UHrZ+wXoV5FfI/on8LD8L3K/R9B0617oK8W5EX0qd1hMdzPtqzsm871AHyCvhP9jSIt0e/Vdyu4D+RfAV9akQe'
    'XOGfGXFrUT/ZDyPy2MGOgHUX1DPyJdbPGnGRf8i3vNH/9f+aynYxT1iX2K9PucwfJ8SpQb9rgZMB+JoR14j+rfc3+PcGvRejfrG/'
    'BtgdoPeZf7Djgn73hriy/8rvHXCkfH6Hn6/wf0N+CH55AR6dwYcH1IMJ/rqCxzW5LMmvrfrXG33mnsv5N6PPPvkIePsFY4v/Cz+P'
    'r/cf6divPn4YOHesX4gv+VKfy3Wa+jzyoM/l/Vr8uDNwENG/eC4bjHpI/toQP4jHnMvnmQr2s1/q/YB1eA6qyaNSuT4MyKce6wfD'
    'njvyLqBOOcSjNvDPulkjj8hHGuSVM873HXAyst4/yv8/cYP3PfJkRtwi5kcDZyv4bED+W3wqWvUDeXCG3hV2RPTPGd/PwM2Wyn3U'
    '5/+TM3iM9tVhfM5lnuhhX5fL8+kv5tVq5Ncd+4n4X3rfsf6GutKmcn/ayKeMe5HVuIeaWKeAkzaX7z3Isxg3njdn4x7rHXVL/XoD'
    'D18w1hOBT/Yl1usul3laZ/CQiP2fgBerLnn2J+N8Yp17bsjbBf2j4r0a+liN+nkCnhwk700874ceR38G8AKef3ujP1RG/2I/9djf'
    'kMr3cAF9fERcrPtIhzo4YR7vMRjnBvpfgJMV+djj/F2DvwfUyxHzFvitz78AG4nysQ=='
)), dtype=np.float64).reshape((1, 6, 3, 8, 5))
bound_output = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNrtwTEBAAAAwqD1T20JT6AAAAAAAOBvFoAAAQ=='
)), dtype=np.float64).reshape((1, 6, 3, 8, 5))

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

x = placed(x, (90, 1, 90, 30, 6), 0)  # layout: channels_last
weight = placed(weight, (24, 1, 8, 2, 144), 0)  # layout: permuted
bias = placed(bias, (1,), 0)  # layout: size1_strides

def conv_call(x, weight, bias):
    return F.conv_transpose3d(x, weight, bias, stride=(1, 2, 1), padding=(0, 0, 0), output_padding=(0, 0, 0), groups=3, dilation=(1, 1, 1))


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
