"""torch-cpu-mixed-layouts: result outside its declared bound [forward, float32, overflow data, seed 23578]

backend torch-cpu-mixed-layouts: conv2d x(1, 6, 1, 5) w(2, 3, 3, 1) g=2 s=(1, 2) p=(5, 0) d=(2, 1)
dtype float32, overflow data, seed 23578, forward
convconf config: ConvConfig(ndim=2, batch=1, in_channels=6, out_channels=2, groups=2, input_size=(1, 5), kernel_size=(3, 1), stride=(1, 2), padding=(5, 0), dilation=(2, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([-1.7650932950688072e+18, 2.666375510789351e+19, -1.7628225286795428e+18, 9.771439550638326e+17, 8.778014852024107e+18, -1.5317266799733506e+19, -3.5950973585949983e+19, -3.4836941807617573e+19, 3.4064321583849144e+19, 1.8507348055120937e+18, -2.656298596671947e+18, 3.347488164653564e+18, 6.929713265744282e+18, -1.3226256267959337e+19, -1.1429766418359386e+19, -1.2835338652598927e+18, 6.590036740528931e+18, 0.0, 0.0, 1.6516199842305802e+18, 2.0068829388911673e+19, 4.406754368318079e+18, -1.0242530255361278e+19, -3.0166770566685524e+19, -1.4136383614920688e+19, -4.56462829514811e+18, -0.0, 0.0, 5.883150269671277e+18, 2.488444402796593e+18], dtype=np.float64).reshape((1, 6, 1, 5))
weight = np.array([-3.00385301274915e+19, 3.2439065277112517e+19, 3.351198191763587e+19, -3.0285341900624888e+19, 8.13968622969317e+18, -5.773478382847132e+18, -7.544508490950115e+18, -1.4995496920888115e+18, 7.717300316667904e+17, -3.393877109985247e+18, 1.8315777395434455e+18, 1.749899556201431e+18, 9.129600737435714e+18, -4.3254278912579994e+18, -0.0, 0.0, 0.0, -6.911335616080773e+17], dtype=np.float64).reshape((2, 3, 3, 1))
bias = np.array([5.490081675154921e+37, -3.202621683086428e+38], dtype=np.float64).reshape((2,))
expected_output = np.array([5.490081675154921e+37, 5.490081675154921e+37, 5.490081675154921e+37, 8.21330055167004e+37, 2.0230333833523738e+38, 3.2956362035332883e+38, 5.490081675154921e+37, 5.490081675154921e+37, 5.490081675154921e+37, -1.2305165377097327e+38, -2.9623672323824865e+38, 3.718553168643609e+38, 5.490081675154921e+37, 5.490081675154921e+37, 5.490081675154921e+37, 5.918507542034168e+38, 1.1106208272313244e+39, -1.7859601339997614e+38, 5.490081675154921e+37, 5.490081675154921e+37, 5.490081675154921e+37, -3.202621683086428e+38, -3.202621683086428e+38, -3.202621683086428e+38, -3.193534558387879e+38, -3.202621683086428e+38, -3.1909184667419277e+38, -3.202621683086428e+38, -3.202621683086428e+38, -3.202621683086428e+38, -4.0941933474789976e+38, -2.759588422650492e+38, -2.5609118994184045e+38, -3.202621683086428e+38, -3.202621683086428e+38, -3.202621683086428e+38, -1.3268561251496683e+38, -4.137723800811967e+38, -4.549271018429712e+38, -3.202621683086428e+38, -3.202621683086428e+38, -3.202621683086428e+38], dtype=np.float64).reshape((1, 2, 7, 3))
bound_output = np.array([3.5995801939061056e+31, 3.5995801939061056e+31, 3.5995801939061056e+31, 1.3410462388111436e+32, 2.101065939822625e+32, 2.4165698355906144e+32, 3.5995801939061056e+31, 3.5995801939061056e+31, 3.5995801939061056e+31, 1.5789385302618479e+32, 2.6621965088544725e+32, 2.4380749008544787e+32, 3.5995801939061056e+31, 3.5995801939061056e+31, 3.5995801939061056e+31, 3.880478249021483e+32, 7.967367911052343e+32, 3.021645827902199e+32, 3.5995801939061056e+31, 3.5995801939061056e+31, 3.5995801939061056e+31, 2.099803657053397e+32, 2.099803657053397e+32, 2.099803657053397e+32, 2.1352142341629075e+32, 2.099803657053397e+32, 2.1300292987509712e+32, 2.099803657053397e+32, 2.099803657053397e+32, 2.099803657053397e+32, 2.684363941305422e+32, 2.3902790714217703e+32, 2.520541628581299e+32, 2.099803657053397e+32, 2.099803657053397e+32, 2.099803657053397e+32, 3.329652127489834e+32, 2.7129047476031153e+32, 2.982736291293619e+32, 2.099803657053397e+32, 2.099803657053397e+32, 2.099803657053397e+32], dtype=np.float64).reshape((1, 2, 7, 3))

import torch
import torch.nn.functional as F

torch.backends.mkldnn.enabled = True
torch.backends.cudnn.enabled = True
torch.backends.cudnn.benchmark = False
torch.backends.cudnn.deterministic = False
torch.backends.cudnn.allow_tf32 = False

def placed(values, strides, offset, requires_grad=False):
    """values as a tensor with exactly these strides and storage offset (the backend's layout)."""
    t = torch.from_numpy(values).to('cpu').to(torch.float32)
    span = 1 + sum((n - 1) * st for n, st in zip(t.shape, strides) if n > 0)
    storage = torch.zeros(offset + span, dtype=t.dtype, device='cpu')
    out = torch.as_strided(storage, t.shape, strides, offset)
    out.copy_(t)
    return out.requires_grad_(requires_grad)

x = placed(x, (30, 1, 30, 6), 0)  # layout: channels_last
weight = placed(weight, (9, 1, 3, 9), 0)  # layout: permuted
bias = placed(bias, (1,), 0)  # layout: size1_strides

def conv_call(x, weight, bias):
    return F.conv2d(x, weight, bias, stride=(1, 2), padding=(5, 0), dilation=(2, 1), groups=2)


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
print('torch', torch.__version__, 'torch-cpu-mixed-layouts', 'float32')
ok = True
ok &= compare('output', got['output'].detach().to('cpu', torch.float64).numpy(), expected_output, bound_output, 0)
sys.exit(0 if ok else 1)
