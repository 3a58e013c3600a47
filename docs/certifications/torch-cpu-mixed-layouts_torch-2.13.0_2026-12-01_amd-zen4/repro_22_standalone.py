"""torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, nonfinite data, seed 2]

backend torch-cpu-mixed-layouts: conv3d x(1, 4, 1, 1, 1) w(2, 2, 4, 1, 1) g=2 s=(1, 1, 1) p=(2, 0, 0) d=(1, 1, 1) nobias
dtype bfloat16, nonfinite data, seed 2, grads
convconf config: ConvConfig(ndim=3, batch=1, in_channels=4, out_channels=2, groups=2, input_size=(1, 1, 1), kernel_size=(4, 1, 1), stride=(1, 1, 1), padding=(2, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([0.189453125, -0.5234375, -0.412109375, -0.0], dtype=np.float64).reshape((1, 4, 1, 1, 1))
weight = np.array([2.046875, -2.5625, 0.41796875, -0.56640625, -0.453125, -0.2158203125, -2.015625, -0.2314453125, -0.86328125, 3.328125, 0.2255859375, -0.353515625, -0.28125, -0.66796875, -1.0546875, -0.390625], dtype=np.float64).reshape((2, 2, 4, 1, 1))
bias = None
grad_output = np.array([-0.80078125, -1.328125, -0.248046875, 0.419921875], dtype=np.float64).reshape((1, 2, 2, 1, 1))
expected_grad_input = np.array([3.0686187744140625, 1.9007110595703125, 1.3415966033935547, -0.01888275146484375], dtype=np.float64).reshape((1, 4, 1, 1, 1))
bound_grad_input = np.array([0.08935510399807015, 0.04543532413315484, 0.03474522016912814, 0.012958724185290078], dtype=np.float64).reshape((1, 4, 1, 1, 1))
expected_grad_weight = np.array([0.0, -0.251617431640625, -0.15171051025390625, 0.0, 0.0, 0.6951904296875, 0.419158935546875, 0.0, 0.0, -0.17305374145507812, 0.10222244262695312, 0.0, 0.0, 0.0, 0.0, 0.0], dtype=np.float64).reshape((2, 2, 4, 1, 1))
bound_grad_weight = np.array([1.8367099231598242e-40, 0.0039781412117094635, 0.002398585142354235, 1.8367099231598242e-40, 1.8367099231598242e-40, 0.010991153038537486, 0.006627018743824073, 1.8367099231598242e-40, 1.8367099231598242e-40, 0.002736027532886595, 0.001616165100821384, 1.8367099231598242e-40, 1.8367099231598242e-40, 1.8367099231598242e-40, 1.8367099231598242e-40, 1.8367099231598242e-40], dtype=np.float64).reshape((2, 2, 4, 1, 1))

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

x = placed(x, (4, 1, 1, 1, 1), 0, True)  # layout: channels_last
weight = placed(weight, (8, 1, 2, 2, 2), 0, True)  # layout: channels_last
bias = None
grad_output = placed(grad_output, (4, 2, 1, 1, 1), 0)  # layout: contiguous

def conv_call(x, weight, bias):
    return F.conv3d(x, weight, bias, stride=(1, 1, 1), padding=(2, 0, 0), dilation=(1, 1, 1), groups=2)


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

y = conv_call(x, weight, bias)
y.backward(grad_output)
got = {'grad_input': x.grad, 'grad_weight': weight.grad, 'grad_bias': None if bias is None else bias.grad}
print('torch', torch.__version__, 'torch-cpu-mixed-layouts', 'bfloat16')
ok = True
ok &= compare('grad_input', got['grad_input'].detach().to('cpu', torch.float64).numpy(), expected_grad_input, bound_grad_input, 0)
ok &= compare('grad_weight', got['grad_weight'].detach().to('cpu', torch.float64).numpy(), expected_grad_weight, bound_grad_weight, 0)
sys.exit(0 if ok else 1)
