"""torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, cancellation data, seed 0]

backend torch-cpu-mixed-layouts: conv3d x(2, 4, 1, 2, 1) w(2, 2, 2, 1, 1) g=2 s=(1, 2, 1) p=(1, 0, 0) d=(1, 1, 1)
dtype bfloat16, cancellation data, seed 0, grads
convconf config: ConvConfig(ndim=3, batch=2, in_channels=4, out_channels=2, groups=2, input_size=(1, 2, 1), kernel_size=(2, 1, 1), stride=(1, 2, 1), padding=(1, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([2064.0, -2160.0, -2064.0, 2160.0, -8768.0, 5920.0, 8768.0, -5920.0, -11520.0, -20736.0, 11520.0, 20736.0, -38144.0, -3584.0, 38144.0, 3584.0], dtype=np.float64).reshape((2, 4, 1, 2, 1))
weight = np.array([5664.0, 13440.0, 5664.0, 13440.0, 14848.0, 7328.0, 14848.0, 7328.0], dtype=np.float64).reshape((2, 2, 2, 1, 1))
bias = np.array([0.189453125, -0.5234375], dtype=np.float64).reshape((2,))
grad_output = np.array([33536.0, -41984.0, 6848.0, -9280.0, -7424.0, -3536.0, -33024.0, -3792.0], dtype=np.float64).reshape((2, 2, 2, 1, 1))
expected_grad_input = np.array([212926464.0, 0.0, 212926464.0, 0.0, -87607296.0, 0.0, -87607296.0, 0.0, -119806464.0, 0.0, -119806464.0, 0.0, -298303488.0, 0.0, -298303488.0, 0.0], dtype=np.float64).reshape((2, 4, 1, 2, 1))
bound_grad_input = np.array([10885710.924901122, 1.8367099231598242e-40, 10885710.924901122, 1.8367099231598242e-40, 2971882.7509881253, 1.8367099231598242e-40, 2971882.7509881253, 1.8367099231598242e-40, 1894173.3438735069, 1.8367099231598242e-40, 1894173.3438735069, 1.8367099231598242e-40, 4716260.67984187, 1.8367099231598242e-40, 4716260.67984187, 1.8367099231598242e-40], dtype=np.float64).reshape((2, 4, 1, 2, 1))
expected_grad_weight = np.array([-45920256.0, 154742784.0, 45920256.0, -154742784.0, 226009088.0, 1199624192.0, -226009088.0, -1199624192.0], dtype=np.float64).reshape((2, 2, 2, 1, 1))
bound_grad_weight = np.array([3045172.015936252, 3699030.6932270885, 3045172.015936252, 3699030.6932270885, 5402607.681274896, 31546869.800796784, 5402607.681274896, 31546869.800796784], dtype=np.float64).reshape((2, 2, 2, 1, 1))
expected_grad_bias = np.array([-19408.0, -39248.0], dtype=np.float64).reshape((2,))
bound_grad_bias = np.array([2067.2509960159346, 1265.5936254980068], dtype=np.float64).reshape((2,))

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

x = placed(x, (8, 1, 8, 4, 4), 0, True)  # layout: channels_last
weight = placed(weight, (4, 1, 2, 2, 2), 0, True)  # layout: channels_last
bias = placed(bias, (1,), 0, True)  # layout: contiguous
grad_output = placed(grad_output, (4, 2, 1, 330, 737), 0)  # layout: size1_strides

def conv_call(x, weight, bias):
    return F.conv3d(x, weight, bias, stride=(1, 2, 1), padding=(1, 0, 0), dilation=(1, 1, 1), groups=2)


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
