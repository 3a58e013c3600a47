"""torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, integer data, seed 0]

backend torch-cpu-mixed-layouts: conv3d x(1, 2, 1, 1, 2) w(1, 2, 3, 1, 2) g=1 s=(2, 1, 1) p=(2, 0, 0) d=(1, 1, 1)
dtype bfloat16, integer data, seed 0, grads
convconf config: ConvConfig(ndim=3, batch=1, in_channels=2, out_channels=1, groups=1, input_size=(1, 1, 2), kernel_size=(3, 1, 2), stride=(2, 1, 1), padding=(2, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([3.0, 1.0, 0.0, -2.0], dtype=np.float64).reshape((1, 2, 1, 1, 2))
weight = np.array([0.0, 0.0, 2.0, 4.0, -4.0, -3.0, 3.0, 4.0, -2.0, -2.0, 3.0, -1.0], dtype=np.float64).reshape((1, 2, 3, 1, 2))
bias = np.array([3.0], dtype=np.float64).reshape((1,))
grad_output = np.array([3.0, -4.0], dtype=np.float64).reshape((1, 1, 2, 1, 1))
expected_grad_input = np.array([-12.0, -9.0, -3.0, -19.0], dtype=np.float64).reshape((1, 2, 1, 1, 2))
bound_grad_input = np.array([0.0, 0.0, 0.0, 0.0], dtype=np.float64).reshape((1, 2, 1, 1, 2))
expected_grad_weight = np.array([-12.0, -4.0, 0.0, 0.0, 9.0, 3.0, 0.0, 8.0, 0.0, 0.0, 0.0, -6.0], dtype=np.float64).reshape((1, 2, 3, 1, 2))
bound_grad_weight = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], dtype=np.float64).reshape((1, 2, 3, 1, 2))
expected_grad_bias = np.array([-1.0], dtype=np.float64).reshape((1,))
bound_grad_bias = np.array([0.0], dtype=np.float64).reshape((1,))

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

x = placed(x, (8, 4, 4, 4, 2), 0, True)  # layout: strided
weight = placed(weight, (12, 1, 4, 4, 2), 0, True)  # layout: channels_last
bias = placed(bias, (1,), 5, True)  # layout: offset
grad_output = placed(grad_output, (676, 257, 1, 571, 905), 0)  # layout: size1_strides

def conv_call(x, weight, bias):
    return F.conv3d(x, weight, bias, stride=(2, 1, 1), padding=(2, 0, 0), dilation=(1, 1, 1), groups=1)


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
ok &= compare('grad_bias', got['grad_bias'].detach().to('cpu', torch.float64).numpy(), expected_grad_bias, bound_grad_bias, 0)
sys.exit(0 if ok else 1)
