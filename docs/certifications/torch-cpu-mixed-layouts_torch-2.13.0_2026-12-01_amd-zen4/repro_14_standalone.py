"""torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, bfloat16, cancellation data, seed 80]

backend torch-cpu-mixed-layouts: conv2d x(7, 2, 3, 1) w(2, 1, 1, 2) g=2 s=(1, 2) p=(0, 1) d=(2, 1)
dtype bfloat16, cancellation data, seed 80, grads
convconf config: ConvConfig(ndim=2, batch=7, in_channels=2, out_channels=2, groups=2, input_size=(3, 1), kernel_size=(1, 2), stride=(1, 2), padding=(0, 1), dilation=(2, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([15808.0, 6752.0, 9536.0, 19712.0, 19328.0, 41728.0, 2176.0, 1840.0, 14208.0, 4768.0, 15168.0, 16128.0, 6944.0, 11008.0, 15232.0, 8384.0, 15040.0, 4192.0, 13504.0, 860.0, 34048.0, 8384.0, 21888.0, 7040.0, 28032.0, 33536.0, 7520.0, 14720.0, 7584.0, 2064.0, 13952.0, 6016.0, 13888.0, 9984.0, 4896.0, 13248.0, 3888.0, 4896.0, 4160.0, 13824.0, 12480.0, 22912.0], dtype=np.float64).reshape((7, 2, 3, 1))
weight = np.array([9280.0, 9280.0, -11776.0, -11776.0], dtype=np.float64).reshape((2, 1, 1, 2))
bias = np.array([1.7265625, 1.0234375], dtype=np.float64).reshape((2,))
grad_output = np.array([-24064.0, -6880.0, -664.0, 6432.0, -16896.0, 19456.0, 3568.0, -8704.0, -25088.0, -10944.0, 11456.0, 8896.0, 14528.0, -8448.0, 12416.0, -3216.0, 23680.0, 1592.0, -16320.0, -5120.0, 3760.0, 5280.0, 8256.0, -6144.0, 3264.0, 19200.0, 17408.0, 7232.0, 11840.0, -26240.0, 4416.0, 1616.0, -5504.0, 3856.0, -9728.0, -3376.0, 5248.0, -5024.0, 3488.0, 13952.0, -22912.0, -9152.0], dtype=np.float64).reshape((7, 2, 3, 1))
expected_grad_input = np.array([-223313920.0, -63846400.0, -6161920.0, -75743232.0, 198967296.0, -229113856.0, 33111040.0, -80773120.0, -232816640.0, 128876544.0, -134905856.0, -104759296.0, 134819840.0, -78397440.0, 115220480.0, 37871616.0, -278855680.0, -18747392.0, -151449600.0, -47513600.0, 34892800.0, -62177280.0, -97222656.0, 72351744.0, 30289920.0, 178176000.0, 161546240.0, -85164032.0, -139427840.0, 309002240.0, 40980480.0, 14996480.0, -51077120.0, -45408256.0, 114556928.0, 39755776.0, 48701440.0, -46622720.0, 32368640.0, -164298752.0, 269811712.0, 107773952.0], dtype=np.float64).reshape((7, 2, 3, 1))
bound_grad_input = np.array([3530654.8616600586, 1009429.2490118518, 97421.66007905082, 1197521.4545454476, 3145727.999999982, 3622353.4545454336, 523494.7035573092, 1277045.3754940638, 3680895.494071125, 2037573.8181818065, 2132898.9090908966, 1656273.454545445, 2131538.9723320035, 1239485.2173912972, 1821667.6679841792, 598760.7272727238, 4408785.454545429, 296401.45454545284, 2394460.07905137, 751203.1620553316, 551664.8221343842, 983039.9999999943, 1537117.090909082, 1143901.0909090843, 478892.01581027394, 2817011.8577074935, 2554090.7509881277, 1346466.9090909013, 2204392.7272727145, 4885410.909090881, 647912.7272727236, 237098.49802371406, 807543.3992094815, 717917.0909090867, 1811176.7272727168, 628549.8181818145, 769983.2411067149, 737118.1027667942, 511757.15415019466, 2597608.727272712, 4265797.818181793, 1703935.9999999902], dtype=np.float64).reshape((7, 2, 3, 1))
expected_grad_weight = np.array([0.0, 173855232.0, 0.0, 1180194048.0], dtype=np.float64).reshape((2, 1, 1, 2))
bound_grad_weight = np.array([1.056108205816899e-39, 257797323.48717973, 1.056108205816899e-39, 330493465.1623935], dtype=np.float64).reshape((2, 1, 1, 2))
expected_grad_bias = np.array([-16904.0, 13320.0], dtype=np.float64).reshape((2,))
bound_grad_bias = np.array([19139.931623931643, 22659.52136752139], dtype=np.float64).reshape((2,))

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

x = placed(x, (6, 1, 2, 2), 0, True)  # layout: channels_last
weight = placed(weight, (2, 2, 2, 1), 0, True)  # layout: channels_last
bias = placed(bias, (1,), 4, True)  # layout: offset
grad_output = placed(grad_output, (6, 3, 1, 1), 0)  # layout: contiguous

def conv_call(x, weight, bias):
    return F.conv2d(x, weight, bias, stride=(1, 2), padding=(0, 1), dilation=(2, 1), groups=2)


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
