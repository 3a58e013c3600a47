"""torch-cpu-mixed-layouts: raised RuntimeError on a valid config [grad_input, float32, subnormal data, seed 0]

backend torch-cpu-mixed-layouts: conv2d x(1, 2, 1, 28) w(1, 2, 1, 2) g=1 s=(2, 2) p=(1, 1) d=(1, 1) nobias
dtype float32, subnormal data, seed 0, grads
convconf config: ConvConfig(ndim=2, batch=1, in_channels=2, out_channels=1, groups=1, input_size=(1, 28), kernel_size=(1, 2), stride=(2, 2), padding=(1, 1), dilation=(1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([7.862305193407072e-20, -1.2172366610501275e-20, -5.211972446359016e-22, -5.569354204327998e-23, 1.48712713082027e-22, 1.6242880399609243e-20, 0.0, 2.6771872181411717e-21, 3.520122996034242e-20, 9.063902647883692e-20, 0.0, -1.0281461467105737e-22, -0.0, -2.996451106098259e-20, 5.519633248105004e-21, -1.0202271191818583e-22, 9.760374991162703e-21, 8.278012504479321e-22, -3.176152923585654e-22, -0.0, -4.3915975148023504e-20, -1.0815440146623682e-19, 2.0635244439824689e-22, 4.9468252141962375e-21, 2.3821667499359204e-20, -3.170915896916945e-22, 3.238444409887781e-22, 3.781548258752798e-22, 2.9956501888740514e-22, 4.701327217237162e-20, 3.623486029330964e-22, -4.0912954398209144e-22, -1.1804808673072687e-22, 1.830665957624434e-22, 2.612146547797817e-20, -8.33449141119629e-22, -1.375183406284147e-20, 6.3142581643229614e-21, 5.37004005770549e-20, -6.631286039297063e-21, 1.55686554989575e-20, -2.673410581267306e-20, 1.000523582579972e-22, -6.174442830375192e-21, -2.5071971593969063e-21, 5.219302163237095e-22, -1.5262522335820804e-21, 1.6292933712397938e-21, -2.144908206970019e-21, 2.085644956996821e-20, 3.9105894036633505e-20, -6.542541030238774e-21, 7.050774450302635e-21, -0.0, -1.0939418364574042e-20, -8.710593532643764e-22], dtype=np.float64).reshape((1, 2, 1, 28))
weight = np.array([8.889315839846719e-21, 4.822417734744402e-21, -9.675777219520665e-23, 7.460238016924659e-23], dtype=np.float64).reshape((1, 2, 1, 2))
bias = None
grad_output = np.array([-1.8624477170404326e-20, -0.0, 8.790614068256445e-23, 2.6176216110358657e-20, -1.278163304390252e-22, -2.2091842199229024e-20, -5.497934398283888e-22, -5.9013011682029335e-21, 9.335873817177446e-20, -6.606669580476011e-20, -3.0999490106284023e-21, 3.510215195889834e-22, -3.563465200258425e-22, 4.9333252065467173e-20, -0.0, 1.862101875370874e-22, -5.0916307736831743e-20, 5.975688454402319e-20, 1.0027613944182572e-19, -4.722809517797819e-21, -8.021382364958676e-20, 3.883932458292192e-21, -2.8772461807246633e-21, -7.00383001183569e-20, 6.339666099280907e-21, 1.7284546360057857e-20, -6.614521697453834e-22, 1.8968878342084754e-20, -8.743599573892407e-20, 0.0], dtype=np.float64).reshape((1, 1, 2, 15))
expected_grad_input = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], dtype=np.float64).reshape((1, 2, 1, 28))
bound_grad_input = np.array([2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45, 2.802596928649634e-45], dtype=np.float64).reshape((1, 2, 1, 28))
expected_grad_weight = np.array([0.0, 0.0, 0.0, 0.0], dtype=np.float64).reshape((1, 2, 1, 2))
bound_grad_weight = np.array([2.2420775429197073e-44, 2.2420775429197073e-44, 2.2420775429197073e-44, 2.2420775429197073e-44], dtype=np.float64).reshape((1, 2, 1, 2))

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

x = placed(x, (56, 1, 56, 2), 0, True)  # layout: channels_last
weight = placed(weight, (4, 1, 2, 2), 0, True)  # layout: permuted
bias = None
grad_output = placed(grad_output, (30, 30, 15, 1), 5)  # layout: offset

def conv_call(x, weight, bias):
    return F.conv2d(x, weight, bias, stride=(2, 2), padding=(1, 1), dilation=(1, 1), groups=1)


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
print('torch', torch.__version__, 'torch-cpu-mixed-layouts', 'float32')
ok = True
ok &= compare('grad_input', got['grad_input'].detach().to('cpu', torch.float64).numpy(), expected_grad_input, bound_grad_input, 0)
ok &= compare('grad_weight', got['grad_weight'].detach().to('cpu', torch.float64).numpy(), expected_grad_weight, bound_grad_weight, 0)
sys.exit(0 if ok else 1)
