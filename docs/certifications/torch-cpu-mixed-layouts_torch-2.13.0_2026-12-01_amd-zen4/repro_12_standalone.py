"""torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, nonfinite data, seed 1]

backend torch-cpu-mixed-layouts: conv1d x(1, 2, 1) w(4, 1, 3) g=2 s=(2,) p=(1,) d=(1,)
dtype bfloat16, nonfinite data, seed 1, grads
convconf config: ConvConfig(ndim=1, batch=1, in_channels=2, out_channels=4, groups=2, input_size=(1,), kernel_size=(3,), stride=(2,), padding=(1,), dilation=(1,), padding_mode='zeros', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([0.345703125, 0.8203125], dtype=np.float64).reshape((1, 2, 1))
weight = np.array([0.189453125, -0.5234375, -0.412109375, -2.4375, 1.796875, 1.140625, -0.326171875, 0.7734375, 0.28125, -0.5546875, 0.9765625, -0.310546875], dtype=np.float64).reshape((4, 1, 3))
bias = np.array([2.046875, -2.5625, 0.41796875, -0.56640625], dtype=np.float64).reshape((4,))
grad_output = np.array([-0.65234375, -0.1748046875, 1.6640625, 0.66015625], dtype=np.float64).reshape((1, 4, 1))
expected_grad_input = np.array([0.0273590087890625, 1.931732177734375], dtype=np.float64).reshape((1, 2, 1))
bound_grad_input = np.array([0.021062276449548164, 0.062063684425200716], dtype=np.float64).reshape((1, 2, 1))
expected_grad_weight = np.array([0.0, -0.22551727294921875, 0.0, 0.0, -0.06043052673339844, 0.0, 0.0, 1.36505126953125, 0.0, 0.0, 0.541534423828125, 0.0], dtype=np.float64).reshape((4, 1, 3))
bound_grad_weight = np.array([1.3775324423698682e-40, 0.002663589837982894, 1.3775324423698682e-40, 1.3775324423698682e-40, 0.0007137463787409251, 1.3775324423698682e-40, 1.3775324423698682e-40, 0.016122652789739143, 1.3775324423698682e-40, 1.3775324423698682e-40, 0.006396075871985717, 1.3775324423698682e-40], dtype=np.float64).reshape((4, 1, 3))
expected_grad_bias = np.array([-0.65234375, -0.1748046875, 1.6640625, 0.66015625], dtype=np.float64).reshape((4,))
bound_grad_bias = np.array([0.007704847440944868, 0.002064622293307083, 0.019654281496062957, 0.007797121062992112], dtype=np.float64).reshape((4,))

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

x = placed(x, (596, 1, 22), 0, True)  # layout: size1_strides
weight = placed(weight, (6, 6, 2), 0, True)  # layout: strided
bias = placed(bias, (2,), 0, True)  # layout: strided
grad_output = placed(grad_output, (134, 1, 166), 0)  # layout: size1_strides

def conv_call(x, weight, bias):
    return F.conv1d(x, weight, bias, stride=(2,), padding=(1,), dilation=(1,), groups=2)


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
