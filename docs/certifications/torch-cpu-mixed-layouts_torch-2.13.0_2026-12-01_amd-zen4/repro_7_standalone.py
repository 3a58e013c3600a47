"""torch-cpu-mixed-layouts: result outside its declared bound [forward, bfloat16, cancellation data, seed 17]

backend torch-cpu-mixed-layouts: conv3d x(9, 6, 2, 6, 3) w(3, 2, 1, 3, 2) g=3 s=(1, 1, 1) p=(0, 0, 0) d=(1, 2, 1) reflect
dtype bfloat16, cancellation data, seed 17, forward
convconf config: ConvConfig(ndim=3, batch=9, in_channels=6, out_channels=3, groups=3, input_size=(2, 6, 3), kernel_size=(1, 3, 2), stride=(1, 1, 1), padding=(0, 0, 0), dilation=(1, 2, 1), padding_mode='reflect', bias=True, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNpdm9uOHkcVhetR6im4rkcpJK4QFwgDF0igkhLEQQKZAHYSGyjHyHaM7fGRCT7uMJ7JxKf8zsGTGR+mbBwBQrwDiFlfodX/Tav7'
    '7+6q2rUPa6+9O6X//vrjkv53vHZwLB/G/47584NjfaHzQwf/p3sH5+O+/j93cGw/PziWVwfH/lDvGwfn8fzgfPxV12/ruS90/r2D'
    'Y946OLZjOmp+ieNDvX/j4Jj+rPee9fHLOLheX+p+zaNqXVnziGca94Le9xc9f0pyeaznr+n6h7r/c73/hc4P6fl7ms99/X9O6/i5'
    '1vlK733o84znkutfdf22nvtC59/TvLckt2M6an6Jo+TeNySvP+u9Z3189qW+1P3IS+vKmkc807gX9L6/6PlTGo/5/V3reCp57er8'
    'gc5/p/cd1nzu6qjxy9saV++Lu3pe+lA/1Twk//4rPXfP7ytf133XdZQ80lXty47WLT0f0sO4GCaf/IHkyz7s6Xpo/BsaV/Iq7+v8'
    'tMbTfBL6/XeN81TP7+r8gc5/p+cPa55a/5D+lre1Hr0vJL+QPtRPNT+tq/9Kz93z+8rXdd91HaWH6arksSN5S85D64+LxewrfyC5'
    'YMd7uh4a/4bGlb2V93V+WuNpPknrLFthdjW0r+2R5vNFmPwDO31P8+46vqnnpH+Fecq+EnZ7RON03af/u/R73NG5xi+39B7sez3s'
    'ufSJriNX+Yuh/aiygyJ7GtLn9JbkovmmW8XsJ2mfy1Yxvzy0r+2R3v9FMfkHdvqer3O8qeekfwU9l39O+P0jLtei/7vkPu7oXOOX'
    'W3oP8WG92HPpE13HLhVvhvSsyg6K/PGQPqe3tN+ab7oVZj/1vM43dd4X+ix5V9lvu6l56v5yRe+XP2xaX9f1dEnPH/bn+3qYPOvJ'
    'Yv54XNLzvF/xqsqvDtl71zorcfie+6ek+6v0uP9R88affab3y79n9l3yref13KbO+8IfSt5V9ttuah26v1yRPik+NL2/63rSOuth'
    'f76vF7PHejIsng/JNfF+xauquDwUL7rspBKH77l/Srq/So/7HzVv9v8zvV/4IOM3iOc6z1p/Uhwab+g5+bch/1OJp9qH8Q1dJ75r'
    'vLrSvD7WdR3HrWJ+vH6kdaDv2reQ3Rb5xyb/OIS3+tlieKH9TdeJ2x/punBIE47r22H+ccifx6WwuNKfIh/NV/aTFIfGG5qn4sNg'
    'PeAx7cP4hq6DD6WvdSU5fazrOo5bYTigah0Jf6l9C/n9ovk2+cchvNXPhuHN9jddB/dJ7k04tgnH9e1i/nEID8SlYrikK45n4jn+'
    '8V9aH35P/7fDYfZdfqDr2MEqDIdm2VH9RTEckzV+vbnAa9qXclTzUBwviksh3JOkV4n9v1MsLnIf+DP2w+SVpN95x3FI035n+ZX8'
    'feSjdRNf/6V9JW7q/3a4mH2XH+g6fnRVDIdm+eH6izAckzWfenOB92XX5ajmwToVl0LrSdKrxP7fCYuL3Ef+EvvF7C1Jv/OO49gm'
    'f5Hll/L3Nb72oWkfgrh+x/dr5kngxSuOU/s77n+I01X6ndddr8AnDXxPfvVDPSccU7SufsnnX584HqnyM/14WPxAP9CDrPk34YCk'
    '+RTi0zOPf2XX5RH3XF7s18yTyDeuOE7t77j/Aecx77zuegU+aeSH5Fc/1HOaf5Fd9Euu//WJ41n2oR8vhj/QD/xI1vyb5J80nwK+'
    'eebxrymeDPnPjh997Di7Sl75S43L/B45Dpv4lLxf6+rYv/S9kR+E42HyjkYeQhxcK8YLtFMu10w81f9x3vPiynPEN+IIePCTMP6A'
    'vKPp/6H424nDjz1Pq9Kv/KWeR78fOY6f+JS8X3bRsf99X/8Ix8PkrcivEwfXwniBdsrtMhNP9X+cd16l8hzxDRxCPvFJMf6AvJX8'
    'IcmfZeG0eFfyQc9W7ldjc8Ez6H3pguf12D95N3zEzOfwj7+XfL9kHnr+kePncmOBF7gufW6XnRcZiodjtcjL/1RMPycfRDy75vln'
    'Ujyc83pX69E+t5XH5dhc8FTSx3TB83rsn7wbPmvmc8zn97LPL4vv0yPHz+XGAm9yXfrcLjuvNhQPx2qRl/8pTD8nH8R+XfN4gnwq'
    '+TP6tl08jxGOHDcdr7ZDnl/328V4Le6v2o8mPiLJrzT05keaB3httcjTz7l88BP9qufRxOUsfx3ar3SqmD/Kr4vh/WC9a2HxBPuq'
    '5M/4q+3wPGaP9TpebYc8v+63w3hR7q/ShyY+i3k09OZHmgd4f7XI08+5feEn+lXnYYjLWfE+ZO/pVJg/yq/D8H6w3jXf3xrF8Eg6'
    'HBYfwAN1x3mcvLDPhD3sLXjjNc8/SzieDulD0rEJvzb4K+yD/A0eQ/aapV/luu9zJZ7AI2ws7Jk49trlm575/GuE4ZF0uFh8AA/U'
    'Hedx8sK/J/zp3oI3XnP+ooTj6ZA+JB2b8GuD/8S/kr/Bg8nfZ+lXue5+ooJH4BE2FvGAOPba7TOhJyfC7DmtL3hF8JzsoRNn992/'
    'd/QaXh0/dUL/w9tfLsZ7zPgvf1zf8/Eb/MzlsHgJL1HgY5jvz/T89oIHX3mczRvF5BrkjRvuD9OJYvac1he8IvmA/GkHp+07v9jx'
    'i9Rl8FOSf6fuczmMN5v4UXGzvufjN/iZy8XiJbxWgc9jvj/T89sLHnzlcTZvhNllkDduuD8knwXXTRzZi+Fk3tsvFotjedf1rD8I'
    'iwOB3LY9vhLHK3zA/WI8/bjh9RDwOzgsYxfheQb+aPzS+Sf8ThHPNMjbxOsleHXqVa88nyUvmDiyh+Fk9LJfDItjedf1rD8oFgcC'
    'u9t2fAYOrPAB98PqPOOG10PA7+CwjF8Nz1PxR+OXzj/hd4p4pkHeJl44watT75Q/GPCXzA8/zP6eKPY8PF45EVaHqOAy/Jj2Ib/w'
    'OF//qeO28xudfXjuelDA4S8cp4zXHm/jU693Ms+muk0V3uuHwvwhdQby+QjPXwb8N/pNHGd/T4TpHzxeOVGsDlHB9fgx7UN+scAR'
    '/9Rx2/mxjh0/dz0o4PAXjlPGa4+3Ib2gXs48m+p+VflCP1TMH1KnIp+P8PyXOsf/eSntH7zx1eL2877HVfIf+FfqILNuTr6HXW8X'
    '8+cDvA7vxDq33P7wO+Tn/dv6X7xO3XTcSt23rBXLQ7Pk0l6G5bNJ/qJQN+heJ/s/r6n9gze+Gu5/33dcRv4Df08dZNbN4Quw6+0w'
    'PDDA68gBO9ly/43fYT392/pfvE7d9LyHum9ZC+MxsuyqvSwm76R4U6g7KT7lr7zul8VDlEfOJzIe8a4ed/+Q/uD1iUS9B/ldD6vL'
    'gE/BScTTWMR36lFjwTvNuvVPnbeor8L4c+reyJ9xqRPl/WJ1AfxABh9/5XXjLB6rPHI+EX0l3tXj7h/SH7w+kagXYn/Xi9X1wKfg'
    'JPBYLPAh9aix4J1m38NPnfeqr4rx5/RNYL+MS50x74fVlYgjmT6Ml857FeG1dryYPk29kHzaQ+djBnhQ+1sklzhTLD+EZ4GXHe/6'
    'vNp5z7foC6AvIm36Ef+Yjob5zUR/BnV04YMhv5DkJ6hbg4vIC+GR4LHgTYtwbTsepk9TL2Rf7aHzMYN8QvtbZFdxJoxfgGeB1x/v'
    'ul63855v0RdAX03a9CP+MR0t5jcT/RnU1YUvh+JKUpyh7wFcRF4Ij0S+PXELfgh/trvgH3fcnxEH5v/UY3TehVPiJ8X0uVM3+I7j'
    '8Zmnfc3jB30K4M0G/33D8/rJGyqfG+prGk+dXx7sw2nn35DfjGvwVR87zsnEw90Ff73j8ZA4MP+nnqfzLpwSPwnzh526wXccj888'
    '7WuOP+hzIV9p8N83PK+fvKHyuaG+pvHU+eWBHZ92/hb7I67hR8gLqP/Ba1P3os8s3vJ4Wj53e6277v/gw/IZr4eC7zv+adGPAr85'
    '85J959cYF7lRT4APyf/We38cVs+gjp3fLBaXif/wLNSH8CPkldSPqYtQ96LPLN5yPFY+d3utux4/4VPzGa+Hkh92/NOinwl+fOa1'
    '+87PMi52Rz0KPi3/W+/9cbF6Bn0Q+c2wuAx+hKejvti+pXFU36c/kTrT5Gueuh8GT2byPXhW8oCTxeeztsBT4DPp66w/g2MfL+zl'
    'zAJvHnF+F95jxivlleWI4yj8bBc/Ftj5r3UfcoC/+ZbuV38I/a3UmSZf89TjOPlIhi+ApyePPBmuz2sLPAW+l7xm/wLyf7zwt2cW'
    '+coRrw/Am814pbyyHHEchZ/t4leDOPFr3YccwI3wRMrf6QsiTs049s2wfJy8Fj/S3qFeK3mH8xDUi+K3GkfyqLcX+0Jf4dli+0P9'
    'hnyZ/DyBF9Ez8v/7i/oHfSj4P+I2dVvFw0E+S3604e+jr4w4NePYN4vl4/Ai+JGm+jv17B7OY1FvjN9qHOlnvb2wa/oKz4bZN/U/'
    '+Bby80S+gZ499/2e9Q/6UPB/xG3qtpLzgA+RvAP8ID5pCA9k8R+hvKnTZyG8Tt819hxrHgfAkQP/98D5HuIzfeHwQXFykU9sFrNj'
    '6tT5SRgvS92R/pJZ59E+9r1i9ZfZR3fZ/Ttyy+Ai8IP4yCE8kMV/hPKmTp+F8j369rHnWPM4QB4ymO8D53vAd3xXAB8UJxf56GZY'
    'HKDPIT8pxutTt6a/ZNYJ5Qf6Xlj9ZfZhXnZ8gN3l08XyR+wAXmb2aRJHrri+opeT5wRHf1As3531FvANfUv0W6AP4Ig952c7fN0/'
    'dD88xrnF/9Q7ryzqF1ueP078ijx+U4y/po8dOcA/sE54mdnnSxy54v4OvzZ5cnD0B2F8yazXgW/oe6PfAn0Ah+45v9/he/+h++HB'
    'zi3+l33nK4v6xZbnjzP/wZ5+E8Zf8x0EcqCuyDrxk1l8Thvu1/jeBR6Wdcb6Al/CA4TbCfUe+I/Jp+47Pzrjbguzc9ZLXRjeNR0r'
    '5j/q7IvQuEecB4pjrr/9rvNwacfXgf4QZ7P4nDY8LvK9Czw+dhLri/wEHiDcz1IvhD+bfPy+8+sTt7VicQJ7oa8A3j6xXvr9Z1+N'
    'xj3iPFAcc/3td53HTeThK6+PVuT0tuet9LvRdwVemPmW9iHoTyK/u+D1zcT3BvAmyFf6ST8u/Aj9Ze2ux5fZZ3PN64j47RAvRD8J'
    '343RF8L3WfQB1e96vZn8bvadUvfDzt523oN+SfquwAsz39J6kQtyahe8vpn4XgXeDfuUftLPDb9Gf1m76/Fl9mld8zo0cT/EC9FP'
    'wndj9IXwfR99QPW7GvezRX5Hn9FRr3PMvB1cQf+H8rzB92fyi/O7og89D+b7FPx8oe6jvt/Zh0I+h19mfsT3rzw/rXwPR18yfdWz'
    'fqJxwbNv+L7V/bD6Av6T/ul6DPnovqNeJ5t5O7iC/iHxBIPv8RRX53dpH3oezPdN4IRC3VB947OPiXyOuA5/sel1BPiNyveU9LXT'
    'Vz3rJxqXfOgNt/u6X6w+hf+kf7oecxwDPqE+VnRfI9585PEBvM93V8TjpnjZhAczfln5X7vqfhweGbugDp9XLuekusf8PmbL/QD1'
    'ysR3nyv3Z+R1+L100e0J/zB5gCeOY8An1FeL9Kwx7kceH8gX+e4KPNeEt5pwbCauiz9oVx0HwCPjV6nD55XbaVLdY35fteVxhHp3'
    '4rvhlfsz8jr8Xrro/pj4MnmAJ+U/sJzIrQ=='
)), dtype=np.float64).reshape((9, 6, 2, 6, 3))
weight = np.array([-7072.0, -18560.0, 11072.0, -18176.0, 33024.0, 15168.0, -7072.0, -18560.0, 11072.0, -18176.0, 33024.0, 15168.0, 8512.0, -4576.0, 17920.0, 8320.0, 17664.0, -8640.0, 8512.0, -4576.0, 17920.0, 8320.0, 17664.0, -8640.0, 3072.0, -1004.0, -242.0, 11392.0, -10816.0, 11392.0, 3072.0, -1004.0, -242.0, 11392.0, -10816.0, 11392.0], dtype=np.float64).reshape((3, 2, 1, 3, 2))
bias = np.array([-0.369140625, 0.9921875, 0.416015625], dtype=np.float64).reshape((3,))
expected_output = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNpjYACCBdf3M1BCH3hvTxG94BaF9Kj7R90/6v5R94+6f6S5HwDWEqY4'
)), dtype=np.float64).reshape((9, 3, 2, 2, 2))
bound_output = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNodlHs41Pkex2lYe6RZItqVNrGVXCPaRqW3ayiRODpDpFptSWLL/Toauc6MGcMYxlzMuB3XtjzNJo9sYrdiXZaQ7YKQS6WDZavz'
    '2/33+3k+z/P+vN+v95eeuFPbyLIW9iPllco3pPhzqiJsNqEa+w7sHRkXytB5d7Z1o3cJForepiu/qYBtjBdjR4oM9ZVNu+XfS1Gx'
    'pKKe9VUhoqVTbgbtEtjmeJTeCGOhhWqw/traIpRVJEfdH6bj5CjDx4fFhb2OR3ryfTpIV/gPf1HJxylGvV6xRQ7OlTHlNfUsLNaO'
    '7u/xCcGQzfX1+noc2ItAWuJy0Fkdxbi+lIrVyFq2oX42blGj7Id9meh/9UZdPTYPpkbu2kaqmVj5/fHWp20iZMko8+YyHtSDrbWN'
    'yDwgxkDx2v1iUEdJr3WH2aAR8/keJuIdwu3+W8OCoPwnhl8HA82X7jnJz7Ix1PvU5XhQMczOuHveucdHTxqZwm6XwfaYzYyCDgsD'
    'ruRani0fU+7hJvcak9Gf9vGLDv9MOB4j878uzoRp9D3L91I6LLKfvhqM4EBHy6DxYgEH2Zu6wvSicyDmsEQJiEXprq7wgb2l8BRv'
    '84y/ng9xMv3fSdsEWCT8dgqohgLlm/0RfkJoKpS9jL6RjzgiL1cNEfqtNQTk2RpcYJb4Fk3z8FXUuivVeUIYtI+khtoUwILQva9V'
    'gPmio2ds13Dw6ZuxcXseB3erhpZHKFx4K7+t2XtZiBYX/xztuwyMXjb8mTKTgRSHQ3PTE3RwnTzs1KhM6GYOcCM5WShUlata2qeg'
    '9Tcrw+mJRIKXp7s94+lo65HTNNTEmK4pcXJT4EFVM9FcsTcfsSoqlN5dJXgTWO0ceYiDgwRPV+KqUGeV/pgTKQaFpG/EZknQRnCS'
    'vyIg9o3qaed52CAQ6K75lgnPTmNKrzEfd/7O4zULJkZWJa6sQtSFjdsocQnOjm2+71IlhNqgk063VwGuPrvoIzVjY7/Ox7EPdZdh'
    'PbzxyCkxHQ9oe3dMNGbgwHxTcvD/stBWMEj1liZj3jDSbIbPAvXWgoaPXw3Ig2zVxohKZDxPtlj8swJhZrUufZNSwq/4TS5HZHjV'
    '5+hdHV6NdqIPHbM8pOZ1up6UlYGnd6d8+GAxOg+5todWFkHh1F+FN0O5sCMlKfMuFGJdQ9BB/S4RxBe3HI26KcHEJE777slHhK9b'
    'FucTE/Y/lv8SPZKE+MQgkVQjFc6Er/IPmaAROQyZ/63bak1VOx9dabEsigkbjjqLrw6/zUDAcWFId0I0zr8Tb/YKKEW6XKWh4pIQ'
    'Z0ynAlVGK/Hd6K6YlsU6XNXtWzVwL0M3wctcUAWe80yEy+ESOCtNqCsoicDQK0sODhPBNXc10KVIhPeBexomvy38hyOTOC4MNvzc'
    'NDGbimaqd5CK5Drm3AsTvDW5SHtk94TeUwBVj6sJp+e5UJ8ZcyPNcPHYdcK/IyQFBao22a0nmPiiwbP92ZE0+I2GKDleSwYtL87X'
    'YiMX3WQ349nDeTjNOKykJS7F94TfnBgh9miv/rB2axXIttOG86lCWJ1tpK42i9Dt78+Y3CnAu8AnfY2RMlCJO5u2CHFXLdQ44EUx'
    'whPaVBv9OZA5l3fFxIihq2Dh8a5FgB+XHy41OXKJ/2R3sAaZA4W25i+Xs3OQReiXpZdis+KjsYRbqVDKWF+3uJKCtZovDinW0XEi'
    'JPbGW0kibA68nnQ1Y6K++fMrknomnHO2eUzLc7G9ccNH6y4G6sNKU6I6JYg1jzTXjysDW/5ka7+mADXE+4MxIRJu23f+dLsMNSnu'
    'diZ+fJg/cMh9qSqFn3L1cry7DOSG6JBpIteAc4Hz5j5sTBn8R3uql4elD9JEv1YOLNfI9dQoPGT+S++H9uNMgluVgX36YngQ/VhY'
    'KETnBMN+dZqGTVp1pgOrsZBdzJbNXSrEMfFnryX8AvSv2ESK4uJh4Jn2665xGqLfq2WI17LwWfHMCt0hF1ZzuUl6vwmwc+7OOv2z'
    'Urh/53pzk60A424uxjnn+fCPq+k+ea4ErTRSiZGaBL+nFS2++1SE7UN6Q1kXZDDPzmi6ZcpBgq7loCiiGE5KJu0PQ4VwGFGm60oK'
    '8Edf5uc7RsSIfKb48aaSEM52jjEtXmKUvJC835Fd+k9PTUnp0Cq5/UfZiSTIt7xcl7JIwzD5ceWjllw4kAIbOtri8Xx1IUB5ORN/'
    'HbbWstuejmDJUa+UM5n4P+WhLNE='
)), dtype=np.float64).reshape((9, 3, 2, 2, 2))

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

x = placed(x, (216, 1, 108, 18, 6), 0)  # layout: channels_last
weight = placed(weight, (12, 1, 4, 4, 2), 0)  # layout: permuted
bias = placed(bias, (1,), 0)  # layout: permuted

def conv_call(x, weight, bias):
    x = F.pad(x, [0, 0, 0, 0, 0, 0], mode='reflect')
    return F.conv3d(x, weight, bias, stride=(1, 1, 1), padding=0, dilation=(1, 2, 1), groups=3)


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

with torch.no_grad():
    y = conv_call(x, weight, bias)
got = {'output': y}
print('torch', torch.__version__, 'torch-cpu-mixed-layouts', 'bfloat16')
ok = True
ok &= compare('output', got['output'].detach().to('cpu', torch.float64).numpy(), expected_output, bound_output, 0)
sys.exit(0 if ok else 1)
