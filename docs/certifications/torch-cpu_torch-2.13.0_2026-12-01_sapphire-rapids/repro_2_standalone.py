"""torch-cpu: result outside its declared bound [grad_input, bfloat16, subnormal data, seed 0]

backend torch-cpu: conv3d x(1, 1, 1, 1, 29) w(1, 1, 2, 1, 1) g=1 s=(2, 1, 2) p=(1, 0, 0) d=(1, 1, 1) replicate
dtype bfloat16, subnormal data, seed 0, grads
convconf config: ConvConfig(ndim=3, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(1, 1, 29), kernel_size=(2, 1, 1), stride=(2, 1, 2), padding=(1, 0, 0), dilation=(1, 1, 1), padding_mode='replicate', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([1.1170246991916086e-20, -3.5734202462290796e-22, -1.8846483076408183e-20, -5.997059441009451e-23, 5.823351512373315e-21, 1.2904017555827232e-21, 7.115076756936123e-20, 3.143286327701505e-22, 1.0249098661777034e-19, 1.0257039595657543e-22, 4.605741650695258e-21, -5.320425699941074e-21, 3.578714202149419e-20, -6.749793798432706e-22, 3.621065849512134e-20, -9.423241538204091e-21, 5.124549330888517e-20, 2.597347123416507e-22, -2.202285662861181e-20, 0.0, -9.719372197498075e-23, -1.5153948821971467e-21, 8.41738991333961e-21, 1.9852334701272664e-22, 1.7867101231145398e-21, -4.5263323118901674e-21, 1.556423040579777e-20, 7.877406409464993e-20, 1.522012327097571e-21], dtype=np.float64).reshape((1, 1, 1, 1, 29))
weight = np.array([2.415367388654841e-22, 8.238718901028156e-22], dtype=np.float64).reshape((1, 1, 2, 1, 1))
bias = np.array([-0.0], dtype=np.float64).reshape((1,))
grad_output = np.array([-3.3087224502121107e-21, -1.0852609636695723e-21, 3.490702184973777e-22, 8.97490964620035e-23, -4.367513634279986e-21, -6.776263578034403e-21, -3.348427119614656e-21, -7.030373462210693e-20, 7.115076756936123e-20, -4.003554164756654e-22, -5.373365259144468e-21, 4.9763185651190145e-21, -3.7553999809907456e-22, 4.367513634279986e-22, 2.8852059765849605e-21], dtype=np.float64).reshape((1, 1, 1, 1, 15))
expected_grad_input = np.array([-3.525141449317118e-42, 0.0, -1.1562463953760147e-42, 0.0, 3.7190242290295594e-43, 0.0, 9.561946181272682e-44, 0.0, -4.653186713098596e-42, 0.0, -7.219489688201458e-42, 0.0, -3.5674431467089234e-42, 0.0, -7.490220551509012e-41, 0.0, 7.58046417261153e-41, 0.0, -4.265421153673713e-43, 0.0, -5.7248297136909995e-42, 0.0, 5.3018127397729454e-42, 0.0, -4.001035544974929e-43, 0.0, 4.653186713098596e-43, 0.0, 3.073923343804527e-42], dtype=np.float64).reshape((1, 1, 1, 1, 29))
bound_grad_input = np.array([3.674552421885694e-40, 3.6734198463196485e-40, 3.673791331105311e-40, 3.6734198463196485e-40, 3.673539333041866e-40, 3.6734198463196485e-40, 3.673450567431877e-40, 3.6734198463196485e-40, 3.674914846066829e-40, 3.6734198463196485e-40, 3.675739361078909e-40, 3.6734198463196485e-40, 3.674566012792487e-40, 3.6734198463196485e-40, 3.697484811946987e-40, 3.6734198463196485e-40, 3.697774751291895e-40, 3.6734198463196485e-40, 3.67355688796314e-40, 3.6734198463196485e-40, 3.675259149038906e-40, 3.6734198463196485e-40, 3.675123239970982e-40, 3.6734198463196485e-40, 3.673548393646395e-40, 3.6734198463196485e-40, 3.6735693462943665e-40, 3.6734198463196485e-40, 3.67440745221324e-40], dtype=np.float64).reshape((1, 1, 1, 1, 29))
expected_grad_weight = np.array([5.5539797921979145e-40, 5.5539797921979145e-40], dtype=np.float64).reshape((1, 1, 2, 1, 1))
bound_grad_weight = np.array([1.2707322421193957e-39, 1.2707322421193957e-39], dtype=np.float64).reshape((1, 1, 2, 1, 1))
expected_grad_bias = np.array([-1.545132025218428e-20], dtype=np.float64).reshape((1,))
bound_grad_bias = np.array([1.241191574636883e-20], dtype=np.float64).reshape((1,))

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

x = placed(x, (29, 29, 29, 29, 1), 0, True)  # layout: contiguous
weight = placed(weight, (2, 2, 1, 1, 1), 0, True)  # layout: contiguous
bias = placed(bias, (1,), 0, True)  # layout: contiguous
grad_output = placed(grad_output, (15, 15, 15, 15, 1), 0)  # layout: contiguous

def conv_call(x, weight, bias):
    x = F.pad(x, [0, 0, 0, 0, 1, 1], mode='replicate')
    return F.conv3d(x, weight, bias, stride=(2, 1, 2), padding=0, dilation=(1, 1, 1), groups=1)


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
print('torch', torch.__version__, 'torch-cpu', 'bfloat16')
ok = True
ok &= compare('grad_input', got['grad_input'].detach().to('cpu', torch.float64).numpy(), expected_grad_input, bound_grad_input, 0)
ok &= compare('grad_weight', got['grad_weight'].detach().to('cpu', torch.float64).numpy(), expected_grad_weight, bound_grad_weight, 0)
ok &= compare('grad_bias', got['grad_bias'].detach().to('cpu', torch.float64).numpy(), expected_grad_bias, bound_grad_bias, 0)
sys.exit(0 if ok else 1)
