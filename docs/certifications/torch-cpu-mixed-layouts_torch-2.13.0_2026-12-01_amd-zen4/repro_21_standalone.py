"""torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, adversarial data, seed 2]

backend torch-cpu-mixed-layouts: conv3d x(1, 4, 1, 2, 1) w(2, 2, 3, 1, 1) g=2 s=(1, 1, 1) p=(2, 0, 0) d=(1, 1, 1) nobias
dtype bfloat16, adversarial data, seed 2, grads
convconf config: ConvConfig(ndim=3, batch=1, in_channels=4, out_channels=2, groups=2, input_size=(1, 2, 1), kernel_size=(3, 1, 1), stride=(1, 1, 1), padding=(2, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([0.7578125, -0.0010223388671875, -0.00010061264038085938, 0.00010061264038085938, 0.00701904296875, 9.125, -0.0003185272216796875, -9.183549615799121e-41], dtype=np.float64).reshape((1, 4, 1, 2, 1))
weight = np.array([0.255859375, -0.3203125, 0.0, -9.0625, -5.53131103515625e-05, -221.0, 221.0, -121344.0, -3536.0, 0.006500244140625, 0.0, -22.625], dtype=np.float64).reshape((2, 2, 3, 1, 1))
bias = None
grad_output = np.array([-0.00156402587890625, 0.0, -0.0002422332763671875, 220160.0, 0.00013828277587890625, 0.0, -2256.0, -12864.0, 1.1444091796875e-05, -1.1444091796875e-05, 8.75, 0.0], dtype=np.float64).reshape((1, 2, 3, 2, 1))
expected_grad_input = np.array([0.00011297129094600677, -70520.0, 0.3443965449805546, -12.177734375, 7979148.361328125, 45487105.388671875, 51042.05687713623, 291048.0], dtype=np.float64).reshape((1, 4, 1, 2, 1))
bound_grad_input = np.array([2.241493867976317e-06, 1399.2063492063442, 0.006882994450265051, 0.24162171378968167, 158316.49084666363, 902521.932314915, 1012.7392237526993, 5774.761904761885], dtype=np.float64).reshape((1, 4, 1, 2, 1))
expected_grad_weight = np.array([0.00010479241609573364, -225.07830856740475, -0.0011852383613586426, -1.391299520037137e-08, 22.15087893062173, 1.5736077330075204e-07, 0.0614166259765625, -0.00010434701107442379, -117399.8349609375, -0.0027871131896972656, -3.6452547647058964e-09, 0.718597412109375], dtype=np.float64).reshape((2, 2, 3, 1, 1))
bound_grad_weight = np.array([3.366824613517542e-06, 7.231431600559179, 3.8079947352888064e-05, 4.470038618593205e-10, 0.7116748250802152, 5.055767816891625e-09, 0.001973224930973893, 3.357675958828749e-06, 3771.8822477409585, 8.954580529147829e-05, 1.17116618946374e-10, 0.02308746705572286], dtype=np.float64).reshape((2, 2, 3, 1, 1))

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

x = placed(x, (8, 2, 2, 1, 1), 3, True)  # layout: offset
weight = placed(weight, (6, 1, 2, 2, 2), 0, True)  # layout: channels_last
bias = None
grad_output = placed(grad_output, (819, 6, 2, 1, 730), 0)  # layout: size1_strides

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
