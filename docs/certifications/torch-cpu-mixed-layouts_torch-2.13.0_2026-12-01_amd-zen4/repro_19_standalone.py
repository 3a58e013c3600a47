"""torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, subnormal data, seed 3]

backend torch-cpu-mixed-layouts: conv3d x(1, 2, 1, 2, 3) w(1, 2, 3, 2, 2) g=1 s=(1, 1, 1) p=(2, 0, 0) d=(1, 1, 2)
dtype bfloat16, subnormal data, seed 3, grads
convconf config: ConvConfig(ndim=3, batch=1, in_channels=2, out_channels=1, groups=1, input_size=(1, 2, 3), kernel_size=(3, 2, 2), stride=(1, 1, 1), padding=(2, 0, 0), dilation=(1, 1, 2), padding_mode='zeros', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([-7.568702604860203e-23, -0.0, 1.1752582143153417e-20, 6.6174449004242214e-21, -2.713152409173931e-22, -2.7925617479790214e-21, -3.58996385848014e-22, -1.7470054537119944e-20, 1.6940658945086007e-21, -1.04638347487958e-22, -2.746239633676052e-22, 8.893845946170154e-21], dtype=np.float64).reshape((1, 2, 1, 2, 3))
weight = np.array([1.5881867761018131e-22, 4.044582323139284e-20, 7.940933880509066e-23, -1.6609786700064796e-21, 2.2896359355467806e-21, -1.6623021589865644e-20, 1.613002194478404e-22, -8.68539643180679e-23, 8.205631676526035e-22, 8.555032767268433e-20, 5.360130369343619e-22, -0.0, -7.899574849881414e-23, 4.5528020914918643e-20, 8.004461351553138e-20, -5.161607022330893e-22, -0.0, 1.5021599923962983e-21, -5.029258124322408e-22, 6.187310981896647e-22, -0.0, 6.352747104407253e-20, 1.2904017555827232e-22, -1.6609786700064796e-21], dtype=np.float64).reshape((1, 2, 3, 2, 2))
bias = np.array([1.285696946211877e-39], dtype=np.float64).reshape((1,))
grad_output = np.array([1.164670302474663e-21, -1.3446648037662018e-20, -0.0], dtype=np.float64).reshape((1, 1, 3, 1, 1))
expected_grad_input = np.array([-2.983224300701103e-41, 0.0, 3.23161846648732e-40, -1.54466881345605e-42, 0.0, 1.1678946888607147e-42, 0.0, 0.0, 5.378954220234027e-41, 6.912955649130404e-42, 0.0, -1.025435183731293e-41], dtype=np.float64).reshape((1, 2, 1, 2, 3))
bound_grad_input = np.array([6.4467732330171175e-40, 6.428484731059385e-40, 6.6146685110216175e-40, 6.430093996920799e-40, 6.428484731059385e-40, 6.429157592197e-40, 6.428484731059385e-40, 6.428484731059385e-40, 6.482749177924613e-40, 6.432467503861353e-40, 6.428484731059385e-40, 6.434392588084997e-40], dtype=np.float64).reshape((1, 2, 1, 2, 3))
expected_grad_weight = np.array([0.0, 0.0, 0.0, 0.0, 1.0177368002929085e-42, -1.5803283561269557e-40, -8.898245248462588e-41, 3.7550594948512123e-41, -8.815043152143302e-44, 1.3687883399524813e-41, 7.707141553786494e-42, -3.2524137356979004e-42, 0.0, 0.0, 0.0, 0.0, 4.827298047290954e-42, -2.2779507836064226e-41, 1.4070350299131468e-42, -1.1959241613933719e-40, -4.181124292929173e-43, 1.9730282377693424e-42, -1.2186917581924893e-43, 1.0358398248289048e-41], dtype=np.float64).reshape((1, 2, 3, 2, 2))
bound_grad_weight = np.array([2.2958874039497803e-40, 2.2958874039497803e-40, 2.2958874039497803e-40, 2.2958874039497803e-40, 2.2960893358546e-40, 2.3272431253015057e-40, 2.3135426524586344e-40, 2.303337918820517e-40, 2.2959048941147646e-40, 2.2986032538306384e-40, 2.2974165987025157e-40, 2.2965327241354348e-40, 2.2958874039497803e-40, 2.2958874039497803e-40, 2.2958874039497803e-40, 2.2958874039497803e-40, 2.2968452011813855e-40, 2.300407147568047e-40, 2.2961665775668264e-40, 2.3196160579456803e-40, 2.295970362765116e-40, 2.2962788778064806e-40, 2.295911584341808e-40, 2.2979426416974566e-40], dtype=np.float64).reshape((1, 2, 3, 2, 2))
expected_grad_bias = np.array([-1.2281977735187355e-20], dtype=np.float64).reshape((1,))
bound_grad_bias = np.array([2.899071099233458e-22], dtype=np.float64).reshape((1,))

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

x = placed(x, (12, 6, 6, 3, 1), 0, True)  # layout: contiguous
weight = placed(weight, (24, 1, 8, 4, 2), 0, True)  # layout: channels_last
bias = placed(bias, (1,), 0, True)  # layout: permuted
grad_output = placed(grad_output, (3, 3, 1, 1, 1), 0)  # layout: permuted

def conv_call(x, weight, bias):
    return F.conv3d(x, weight, bias, stride=(1, 1, 1), padding=(2, 0, 0), dilation=(1, 1, 2), groups=1)


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
