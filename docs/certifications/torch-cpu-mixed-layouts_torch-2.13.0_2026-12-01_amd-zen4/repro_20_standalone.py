"""torch-cpu-mixed-layouts: killed its process on a valid config [grad_input, float32, nonfinite data, seed 1]

backend torch-cpu-mixed-layouts: conv3d x(1, 6, 2, 1, 3) w(9, 2, 4, 1, 3) g=3 s=(2, 2, 2) p=(3, 0, 0) d=(1, 1, 1)
dtype float32, nonfinite data, seed 1, grads
convconf config: ConvConfig(ndim=3, batch=1, in_channels=6, out_channels=9, groups=3, input_size=(2, 1, 3), kernel_size=(4, 1, 3), stride=(2, 2, 2), padding=(3, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.array([0.3455841839313507, 0.8216181397438049, -0.0, -1.3031572103500366, 0.9053558707237244, 0.4463745653629303, -0.5369532108306885, 0.581118106842041, 0.3645724058151245, 0.2941325008869171, 0.028422242030501366, 0.5467129945755005, -0.7364540696144104, -0.16290995478630066, -0.4821193218231201, 0.5988461971282959, 0.03972210735082626, -0.2924567461013794, -0.0, -0.2571922540664673, np.nan, -0.27560290694236755, 1.2940638065338135, 1.0067243576049805, 0.0, -1.8890132904052734, -0.17477209866046906, -0.422190397977829, 0.21364299952983856, 0.21732193231582642, 2.1178388595581055, -1.11202073097229, -0.37760502099990845, 2.042771577835083, 0.6467030048370361, 0.6630633473396301], dtype=np.float64).reshape((1, 6, 2, 1, 3))
weight = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNollH1QVGUUxm9K1ESzsK1NFo17pxJl1MXUhmqbuJKKUsNEzVTUJPuHDDON2eDqVpZ0s7EoB7NkdEjEa83YMi7MgCPFhnE30Pgy'
    '2WVpdJG6KN8CuRsogtvm/d37z5n7nvOe8zzPOecVBEEdWtWaIdz53vJqTXeM+P17Id0KYsl8VbffddzW/ZqcE9Gt5O0O4o9vHjHu'
    'xfy6VcZ+7tfPZfvGf/hfqnXr/w5nQg951+WN4r93UZ/uFxMKGvDf5ezX/9WkbVeJG7Sr1NlTOk6djRNj5Csxg1OyLO3B1q0PUT9p'
    '+XU9TvEnjhIn7hAkvU5i+iz5T56cI2+7ZUa3kt3IJ/k+pI4wIIV161iyaBgbN9WOrVkRIK7ee5b777ZfIz7XEuG/MYZOauXCC9St'
    'DKCTvNs1op9rwRfC2O3xV4jPikMXsWrBH+jw+cpp4vuno+DaZkJf7cL+6+gRqrvB+bfuZnD86vyX88uf1hNXGiWf2hKbp/MVk0uM'
    'PrSG/eix0wMOIdI4AB+nrY18qf3nOM+JeMHxSwd+0ZsIXjV/Fzo5yj6g/7JvBXVF60Ad/J2pM9ia1/cQ39g0jN1y6C/qvHTkFPlT'
    'zFPwfv8V+ujwrkMfsab6T3BbThj9iz8FXtX2wBC2qGQcHp2t4BOPZsNDsS7zgbdh1piLra8ac5trRjflKd8Y57m9N9D1ibcHiZ/3'
    'A/op1c341dXbO8m7Zb0bHJq/l3NTMfUdz9dyTwpvIF6633qLPMXBLuxBzyX0V8wTxtyeRj9Bcc/X+6BkFQTheXBNH3XSI1HiCn3M'
    'qdoSneR/34FJ8LZUoYdSWhyD56Vz8Jd2rm3hfsZN4rTzoVnytu1m7zTrjh/594TQXzy2+gS2co578uYnmWeh50tjLzI3w0spKmNP'
    'tep4rHL+0DTxtkljTk3un+Cd9egQODaIzKk402fsb/lx9lWYK7oM/tvl7JuWHXGTb6tZYw7um57AvyzMPS3F30aevLKL6JBVAW/J'
    'HmXehMVpg+Td10p/tYSv5/BnuALEF+xnT4VQLnsh9Dp7yXfmHeLVlal/g7sjrRx9p7J5pxwHRruI6xg39vvwVfqlphXUw6eiC/5S'
    'VRM4xa9M7In2yS1Bn38pwWzo7fIYe3v0QeZAfDiPPmp788Et/7apk/yuu+mzHOnrxn92CTzFpJcNnIW17LdSIaGTVvYZfZcWPN0E'
    'vzXPsTfqGzbjvV3eTf/UHDf7KWtGHtlk8VLvzW/A5bAXspeqqR6e6iYLugn37LpCveRM+KiBILikIw28Z/LYMO+BaPEa+5eTTLzj'
    '49di4F78DO+h+uIk9aW4x27y/4XpP+6tfcTod/4x5sfh+p290AZs16j/kY35UTzp1FUeP857LJwpM+Z95Fn6JD10eop6ezN5l+WA'
    'rZY6C1fBT9Mq4CVZUy6SPy3sz/gff2ZGZg=='
)), dtype=np.float64).reshape((9, 2, 4, 1, 3))
bias = np.array([2.040919065475464, -2.5556650161743164, 0.4180988371372223, -0.5677695870399475, -0.4526492953300476, -0.21559716761112213, -2.019986152648926, -0.2319323718547821, -0.8652130961418152], dtype=np.float64).reshape((9,))
grad_output = np.array([-0.6517911553382874, -0.17471729218959808, 1.6637239456176758, 0.6591477394104004, -1.64139723777771, -0.00520326429978013, -0.6234637498855591, 0.1486315280199051, -1.6081877946853638, 0.2417718768119812, 0.23538091778755188, 1.575626015663147, 0.3166450262069702, 0.5105466842651367, -1.4931167364120483, 2.2527291774749756, -1.9156455993652344, 1.101801872253418, -0.32990407943725586, -0.8806465268135071, -0.6562849879264832, -0.6720146536827087, 0.38018909096717834, -0.11005869507789612, 1.4825711250305176, -1.8296040296554565, -0.0030809645541012287], dtype=np.float64).reshape((1, 9, 3, 1, 1))
expected_grad_input = np.array([3.57142180121237, 2.2234746646240056, 3.321184718452944, 2.0199271765016897, -2.886545110947516, -3.8283220935623516, 1.1644510778371746, -1.709310731636255, -2.398291534529923, -0.5831560479117164, 0.5592582514440125, 2.0059804473269964, -2.824176508752437, -2.430440286769322, 2.9475284456139907, -0.0010382862754161337, 3.3357941615683817, 3.560966186488984, 1.192122111673747, -4.205290103630967, -0.2865905006275493, -2.702367012713232, 2.017062633695252, -1.170822183828184, -5.766430975309301, 2.2322811084688423, -1.1707095797989755, -0.06806369624882025, 2.7957422412149073, -0.18867757473679325, 6.2658286763800355, 2.1223281058487022, -1.5588990968661882, -0.044638620972272225, 1.2682581494115515, -0.3368897612666883], dtype=np.float64).reshape((1, 6, 2, 1, 3))
bound_grad_input = np.array([9.8180432445378e-06, 9.346886211731666e-06, 8.427986737618303e-06, 1.0831739153608007e-05, 7.211065568061355e-06, 1.0270079004164518e-05, 3.4719337402396957e-06, 4.309111394493965e-06, 9.892333338542888e-06, 7.008988232556541e-06, 8.895996946409805e-06, 5.209496894923141e-06, 9.921486947196985e-06, 6.938573274754057e-06, 8.053432002560976e-06, 9.015401895886219e-06, 7.771940023643758e-06, 9.725240778039888e-06, 5.82517808389699e-06, 1.2645754030006756e-05, 4.794792277536597e-06, 1.631399725359073e-05, 1.0638357525872848e-05, 1.2600463609945863e-05, 1.4323113667493236e-05, 6.790795118192503e-06, 1.2413709294250471e-05, 1.2161717865079063e-05, 1.012178618170828e-05, 7.143298262414268e-06, 1.4191986012742864e-05, 6.161614627926333e-06, 1.1250419817673198e-05, 2.1581717891543912e-06, 6.142219038931316e-06, 4.177909546473439e-06], dtype=np.float64).reshape((1, 6, 2, 1, 3))
expected_grad_weight = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNpFlHtYjHkUx48SS1erCK1GjUgeW2mR8HvTklJGRRTWq1pTlrQJub9JVsW6FErbUzupCDU0Xdw6bxfFdDG221TKlC601SZUkuz7'
    'h6f5/f15zvM55/y+BwR+V203j2HBTLQ3ZdoggRC9A48LOwgbJ+3W6UxHBU9voWJ7AcK3R/0mSWX55YTnu9fYgRQhLc9ZaTCQidTW'
    '2Wbvq8qQZ1OirmLcPMrDRKuqGJdXBK4G/jH40w0CVn0HV8/oJjBnhWTl2FwC7SHdH7/cR0bjmk7QOjGybrHCUkEaJvZ+nKW7KQiZ'
    'fQI71aBchPvfWejvrCFQr5X0YLkcYbzz+RO7KpA1lcVrFB8h9DDPLWntPuRVRw3Vj/NG1lAcUGPSguyvwt2voj4q/Q96u94yGENR'
    'Z3d21RcPINt6acq0wA6EiXUZtnPLCWgubArb0ExG+fciymyyByqSy2C9lzEy0sYTrLMQwT/EUcOqi4DGv64dYT0I4eWVc01eI5Nx'
    'QArtTUida8stbUlFOFj91T6nC8F3hoMspQZBpzL4SaicQExa046CCkLfHrg+oQgoRb6llmTtACYmr19yc7AdKVPV0ENOaYRSP6tv'
    'YoejPqyq4fla6VOkvwRY+1rnE578wsiYYTFh5ra9nBddipR/iv1mH4Wy35iQ7v5VTUjveGKkK0xFhr9ywlkjzufcIxWBvwRB5JAQ'
    'YpBNYGFQkE/eLUJNMnAw9Eohis7JL5KdfyfMzhEbulxCwNKjqGV3Nbe/QpmaeS3COq9ZU/XLEbxLKhIsegh7v+1htpqYwP5NV58d'
    'a0TqtDmsMC9GptQw53tREkLKtTIjzccIqYV5iokFhNmjtQtMQgm4BG7blXAXmXx362BpMYKmtDd83nWEU5drdGofI2vN95FIG5CK'
    'mh0lFQAFxy22me74NDoPcIy1bBhJ/9bv4Ak227t3T5yY65PvfOZ4JQGnjvjKDRVK3sBb6lSTMcqDpk9+/V9dyLSGo3wbVyfuOr23'
    'r4FAGXnjoMP9szc+4mrHLATeae2bIc8RZEHaSy9yddeIp9sXRRMQZz1MNyhEiIre6VLHzWNIvcHJLw3h563JXhGFSAVWFBm51xPm'
    '7+J1KzpHEFpcN/VoDCrzETBHllvBKn34vaH3Vbi86Qd4OvLbCPCyH4QFKpT+WzufmdZJlPzcroumP3DcqZLUI74pBPSFar4JVQhH'
    'ZztGXeoncCauQ/cT55tYb9pyjsudzoItNZ593H+8wb48nIkQ4P4wtLuZsPF8sU/kEDK7IzXKjnL7bQxujaXfIRQITprurUSY33hH'
    'T8bVu6Bb4YbvlD50uuuSM6/IqI+V08zxbZxvcPfnripVFqjLi0nDiLLfW1aeLhEto/6JgrqpoocvCO+ZfeTuvnxkdmQui7BV3htY'
    '4J73Nn6I8H7JMhZmFhK6e+mW6NJaoiB+n6bpPUUmjcmxO/FUyfNi5ZbvXhN4NOjtGXaHsN1Zdnb7uPynumfkmjYg+7jfMKmuASHj'
    'xvv1tV+QKeicJHT/j1Aeql72a6oJBbr94U+HkVkjWXjEugV58q1rT2ZwvjrGivgt7QhynelJh2sJyC32q7ciYe44DXtKUwkzddk/'
    'LyfHIEgXTR9zPEbpk2ez0eNzO/KOXdwmUrmLtKXo2c3IIlSYCwf5pRLCXBHrPzfJUs4zYsOcZMEHwn7I5M+blEfghW27VkkZt4c8'
    'i8gl9ziviYvPpt9DyBmyGV/0ljA91VPKtLh8/Kh2bjFdgNRM/lib+jcEwueTlODnhDdnaamNkYy7a5FqIU/6kSlpjK5+y9330kTb'
    'iOUywurNiM0XbCSslnbatYurEPwM0zJ6Vyn9d1Wom6eoU3TXTBeVg1WE12OeW5PzhiSWb3JbNLYOGeHU2ccD65S8fJFZgnAcy4zb'
    'XuJ4WYZMi0jbv+QQwuXhtJOuNFLN+cOLH9EIx/b8ee2rFste/WhcvBoo9qtK6JUZ7YRtNdN2a9dkmVnxmv49fUgPCcZN8HuP4FQ2'
    'IJw5gQLRq6QmegjB4rZcv7MZ/wfWE/gp'
)), dtype=np.float64).reshape((9, 2, 4, 1, 3))
bound_grad_weight = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNpN1Hs0FGgYx3G30h2lVqkpdBLbdXfZJL+tpAxGQhhTaIYxCmUGjQnjNkYGMWyzbmMwJbc0qRjVJrZlNXs020WoLbl0caksha3s'
    'nj27077/ved8//g873vOc/nVBzfX82cwMj4nSXeVGBk5IQ7Vl9JRcft5j4OrG75ok+c/fE+H2j/nkmWltEo2YclEZw1fabg3CD9T'
    'rOp6x7yQI59razCDCRN9Rl/TEZ6qd0sa+m1amIiALw4aH7d1RlXmVbd5m4Ww+0TtdJvhA+GS4HE5/PDHXXu6HtUd3S586pMwFzCV'
    'azI7g5dC5heYoZXlAws/YrV4+gRqLLRvmZFisZuWNyNTg4VSK721rRQjGATTUtIIBiDpUQyErdro9RQHpl1IhnOBf23HRJ7KU1Ut'
    'iH5A+3veCCpBWF+IQ4ZMZZFzOtgOCg8zKyZEIfSqsvL/+VO+zHjnOW1zwHfwUN/WVpuiabL+ZqP54GguGudLstBebvT0wqJs0Oq4'
    'jNrXfFRs/OV2495ErBtMI3C7SfAT1+xJH81CqJtUkeQSjQM1efvqpLGoztZlx1ixIGuZTZ03LkXRO6vkYkIhjFdsn7x7JQ2ZZsVf'
    'K466wI7OXTFxkqbyRE89Gkn/GIoOu6HCJn4AjAyM7mpY7wdbqq6Tvy0Mls28ytCYJFXPebFS0jCYADqBI+ncTsLzSysVou+z4Gyd'
    'bdZ7kowCYUVESSkFmvmrF0x77MMnGUlQNuWIauPH+TrFi+HUo1Zbr+YNj6FTTw1bOdAn9NVrf4hGdkXu9QUbmQiorl+n9USIbvmf'
    'Dau13bHMaJ+9ODQBysfrX5OuHcGY4cIWUao9GmPjZ1mupYIzVmGfm07H6ByXvrjXplg0Oehkp+2B6TaJfElMMMZ2KJXrLIj4YXnd'
    'ncNnqVgYqKcl84nHm6GYk9dpUrhW0b4Olxep5sPochLR1+3f+wTXuI13g9jkDuOO/pvmPmwIJEkZWuPMz+8hW+z8pv9zr1lJV5v9'
    'LAs1Cklz2ZQrXN/vesY7Ho+Tm4q7DujHguk8liwo9EbZ1PGJ2TIWSGvWjqdEsMG7vplIHrdCJe+rtq7eQPiZXjO/W8aE/7URhzvx'
    'LrDeGXjhz2AG3H0efrgfEYfLjTwEupbCYicjwFxXrPLovdjqFagRoPLkKCbBSKTjp6yb3gdDUnF2l+SE6anP/znaXCIN1/FW9V3q'
    'k77h/qnY096snq/hBMOBxyE7W6LAuipI3/JtAZJ/8+V5v2cjiDxXWs0WorX5Bint7Wk0K7e45pC9UC5u1+xnJMPFh7VppUiCJ7YE'
    '3jQlBlcWcy411n+PeQk6u8Yc2Ajo9RcYJhVgpqfHMrONp1We9pT4BJPLiSqPyN9rK5HAw1Cknnht2znMpfe0axNLVX1icMT8gXV8'
    'VT/9a9S7VPNIrOq6rz3rKB26w6amw8rP+2b5mTjyxRIJKHKTvTskDMRlaL6M+jEGdXrr3/gtC8UV08crFxeFqnpresQodzgFnA77'
    'Vi+WKxLlvVz9O3lYEhkrWzQVB4ZzntVMRjxu1vU+E54tgc3VVLna6Wxwcoal5DwOdDpvxnt8LEZpUyOlqyUZxbnF1jQKH4dejrfw'
    'RgVIsJna70SOwRnbSTZ/hIZfi9y+Gr1GwomQDdx7BoBmwtbu+EKoPObBrBWbGtKwbZamg6PtfrzQuVWScz4Io5fZ4pGPZOS3iO0T'
    'j3mreruBugcZtFy4Uw1LGtqoeNrSJQr6EIYocyL5/M8eqBVZlGz09kTkTwO3kpZlglj7SvndyzgoM00VdhN09Dsd29GmewqIMLNk'
    'VLLwtLt2wW3zcBzY/0t9T2QB7APOhjn2pWNCts1k2CkcG0rfBF0snbJp6jjcqP7ulU22zFvjUfCgzX8eH06c0+97ZFhQK3dszonC'
    'Dsq9HkV/Bsrv7AzYZcfF0vrc9YR2rsr/sHwOna9ehRkwUhQ2hKPOb8ucM8tXQbTHq8wkUAtxYUV7dw9qIelY4kCjby38H7l/Ou4l'
    'xXcXSMLoEgHEsP5mrOYiVmdWvZ5dIYLBmrfnHG1/QAfdk6VBr0HX24MMQbQEJ+RBjCL/ZPwF/avnLg=='
)), dtype=np.float64).reshape((9, 2, 4, 1, 3))
expected_grad_bias = np.array([0.8372154980897903, -0.9874527626670897, -2.0830200165510178, 2.05277881026268, -0.6659250259399414, 1.4388854503631592, -1.866835594177246, -0.4018842577934265, -0.3501138691790402], dtype=np.float64).reshape((9,))
bound_grad_bias = np.array([7.421472629497141e-07, 6.87166688210103e-07, 7.093798041625428e-07, 6.117759047994874e-07, 6.915059685971732e-07, 1.5706354098324943e-06, 5.563604948715973e-07, 3.4638128186248023e-07, 9.88023552196839e-07], dtype=np.float64).reshape((9,))

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

x = placed(x, (36, 1, 18, 18, 6), 0, True)  # layout: channels_last
weight = placed(weight, (24, 12, 3, 658, 1), 0, True)  # layout: size1_strides
bias = placed(bias, (1,), 0, True)  # layout: size1_strides
grad_output = placed(grad_output, (27, 3, 1, 1, 1), 0)  # layout: contiguous

def conv_call(x, weight, bias):
    return F.conv3d(x, weight, bias, stride=(2, 2, 2), padding=(3, 0, 0), dilation=(1, 1, 1), groups=3)


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
ok &= compare('grad_bias', got['grad_bias'].detach().to('cpu', torch.float64).numpy(), expected_grad_bias, bound_grad_bias, 0)
sys.exit(0 if ok else 1)
