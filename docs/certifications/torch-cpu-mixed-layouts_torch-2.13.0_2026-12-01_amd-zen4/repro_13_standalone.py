"""torch-cpu-mixed-layouts: killed its process on a valid config [grad_input, bfloat16, subnormal data, seed 2]

backend torch-cpu-mixed-layouts: conv1d x(1, 4, 1) w(4, 2, 1) g=2 s=(2,) p=(3,) d=(3,) nobias
dtype bfloat16, subnormal data, seed 2, grads
convconf config: ConvConfig(ndim=1, batch=1, in_channels=4, out_channels=4, groups=2, input_size=(1,), kernel_size=(1,), stride=(2,), padding=(3,), dilation=(3,), padding_mode='zeros', bias=False, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([-5.4263048183478615e-21, -7.312276614968765e-22, 2.514629062161204e-22, -7.146840492458159e-21], dtype=np.float64).reshape((1, 4, 1))
weight = np.array([0.0, -4.731473103803318e-22, 5.889525961377557e-22, 1.0270274485458392e-20, -9.68793933422106e-21, -1.0746730518288936e-20, -4.701032857261367e-20, -8.271806125530277e-22], dtype=np.float64).reshape((4, 2, 1))
bias = None
grad_output = np.array([7.361907451721946e-23, 2.5278639519620526e-21, 7.113753267956038e-22, -8.999725064576941e-22, -8.427977825180288e-20, -2.69660879692287e-22, -3.1896084420044747e-21, -4.499862532288471e-22, 0.0, 2.5305109299222223e-20, -0.0, -8.040195554015429e-22, -1.9852334701272664e-22, 1.075334796318936e-22, 7.246102165964522e-22, 6.776263578034403e-21], dtype=np.float64).reshape((1, 4, 4))
expected_grad_input = np.array([0.0, 0.0, 0.0, 0.0], dtype=np.float64).reshape((1, 4, 1))
bound_grad_input = np.array([1.8367099231598242e-40, 1.8367099231598242e-40, 1.8367099231598242e-40, 1.8367099231598242e-40], dtype=np.float64).reshape((1, 4, 1))
expected_grad_weight = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], dtype=np.float64).reshape((4, 2, 1))
bound_grad_weight = np.array([2.7550648847397363e-40, 2.7550648847397363e-40, 2.7550648847397363e-40, 2.7550648847397363e-40, 2.7550648847397363e-40, 2.7550648847397363e-40, 2.7550648847397363e-40, 2.7550648847397363e-40], dtype=np.float64).reshape((4, 2, 1))

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

x = placed(x, (975, 1, 264), 0, True)  # layout: size1_strides
weight = placed(weight, (2, 1, 701), 0, True)  # layout: size1_strides
bias = None
grad_output = placed(grad_output, (16, 4, 1), 1)  # layout: offset

def conv_call(x, weight, bias):
    return F.conv1d(x, weight, bias, stride=(2,), padding=(3,), dilation=(3,), groups=2)


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
