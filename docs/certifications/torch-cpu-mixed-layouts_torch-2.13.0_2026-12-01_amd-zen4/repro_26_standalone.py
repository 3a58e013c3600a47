"""torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, nonfinite data, seed 1]

backend torch-cpu-mixed-layouts: conv3d x(4, 2, 1, 1, 1) w(2, 2, 2, 1, 1) g=1 s=(1, 1, 1) p=(1, 0, 0) d=(1, 1, 1)
dtype bfloat16, nonfinite data, seed 1, grads
convconf config: ConvConfig(ndim=3, batch=4, in_channels=2, out_channels=2, groups=1, input_size=(1, 1, 1), kernel_size=(2, 1, 1), stride=(1, 1, 1), padding=(1, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([0.345703125, 0.0, 0.330078125, -1.3046875, 0.90625, 0.447265625, -0.53515625, 0.58203125], dtype=np.float64).reshape((4, 2, 1, 1, 1))
weight = np.array([0.189453125, -0.5234375, -0.412109375, -2.4375, 1.796875, 1.140625, -0.326171875, 0.7734375], dtype=np.float64).reshape((2, 2, 2, 1, 1))
bias = np.array([2.046875, -2.5625], dtype=np.float64).reshape((2,))
grad_output = np.array([-0.65234375, -0.1748046875, 1.6640625, 0.66015625, -1.640625, -0.005218505859375, -0.625, 0.1484375, -1.609375, 0.2421875, 0.2353515625, 1.578125, 0.31640625, 0.51171875, -1.4921875, 2.25], dtype=np.float64).reshape((4, 2, 2, 1, 1))
expected_grad_input = np.array([3.3926334381103516, 2.7338504791259766, 0.4116089940071106, 3.4693594574928284, 3.992431640625, 3.4903335571289062, 2.2722702026367188, -2.8701248168945312], dtype=np.float64).reshape((4, 2, 1, 1, 1))
bound_grad_input = np.array([0.08268210422470268, 0.07564540118335246, 0.043968945860387756, 0.10835829341554062, 0.09543661292330669, 0.11281503624175164, 0.14360702940192344, 0.06860856136002857], dtype=np.float64).reshape((4, 2, 1, 1, 1))
expected_grad_weight = np.array([-0.11652010679244995, -2.3948745727539062, 0.4129669666290283, 1.6048431396484375, 0.5032882690429688, 1.3808135986328125, 1.821746826171875, 0.05219459533691406], dtype=np.float64).reshape((2, 2, 2, 1, 1))
bound_grad_weight = np.array([0.02248926925273073, 0.09695848472687865, 0.016719310389839176, 0.12325827409381307, 0.11787414550781232, 0.07260774311266437, 0.08943627237790978, 0.0724370083828203], dtype=np.float64).reshape((2, 2, 2, 1, 1))
expected_grad_bias = np.array([-3.012054443359375, 4.4189453125], dtype=np.float64).reshape((2,))
bound_grad_bias = np.array([0.20861050377973145, 0.3503368547570845], dtype=np.float64).reshape((2,))

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

x = placed(x, (2, 1, 1, 1, 1), 0, True)  # layout: contiguous
weight = placed(weight, (4, 1, 2, 2, 2), 0, True)  # layout: channels_last
bias = placed(bias, (1,), 0, True)  # layout: size1_strides
grad_output = placed(grad_output, (4, 2, 1, 1, 1), 0)  # layout: permuted

def conv_call(x, weight, bias):
    return F.conv3d(x, weight, bias, stride=(1, 1, 1), padding=(1, 0, 0), dilation=(1, 1, 1), groups=1)


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
