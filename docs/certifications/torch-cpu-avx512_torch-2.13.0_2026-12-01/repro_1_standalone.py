"""torch-cpu-avx512: killed its process on a valid config [grad_input, bfloat16, random data, seed 8738311]

backend torch-cpu-avx512: conv3d x(4, 3, 4, 7, 4) w(3, 1, 3, 3, 2) g=3 s=(2, 1, 1) p=(1, 0, 0) d=(2, 2, 2) nobias
dtype bfloat16, random data, seed 8738311, grads
convconf config: ConvConfig(ndim=3, batch=4, in_channels=3, out_channels=3, groups=3, input_size=(4, 7, 4), kernel_size=(3, 3, 2), stride=(2, 1, 1), padding=(1, 0, 0), dilation=(2, 2, 2), padding_mode='zeros', bias=False, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

# oneDNN reads its ISA cap once, before its first use: set it before torch is imported
os.environ['ONEDNN_MAX_CPU_ISA'] = 'AVX512_CORE'
os.environ['ATEN_CPU_CAPABILITY'] = 'avx512'

import base64
import zlib

import numpy as np

x = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNptmmuvF9UVxreXNmn6JfY3mf1Rpl+hL/quzU7T+L6X2KS2ydjaVBvUgoii6GxBEEHkDgocGDnIVYEDyAFUaPT/+02zJj1vJv8z'
    'M/uy9lrPetazJqUf/q53P17SifHHS/tmdZ3urv5fnl9d27XV/+s9ro9W/x8+4/fEe/dX13yIcV9cXfNRft9hnitx3P6PjHN8dS0f'
    'ru5PZ7je4/3L3L/M+pyPfWTeb7yfL61+py9X1+E66zzMe8+01fzf8dwJ5nm2rMa/yHOnWe827h9hHPbdP7sap97HLmeZ/ybjbrCu'
    'tHqu3Gb9HzHe2+yL59IrcZ66ffW7so/KPsptrltZB3YdXmecV/n/Z9jxXd7HftMXq2vfGF87fslv/eB7fm/w/EXs8Zh9sY/pRhfO'
    'p2KHxvPpOOOvc/8qdmTdhf3m3VyfWp3D9D37ucR7nEc6xH5Ocr7ar/H+N6xrP3ZiHT3nUrFf2sROH/KbfST2P2yy7n36M899y3q+'
    '5vcDfuuXt3j+O8a7Mga/qsd4z/i6EteV8feMXxXW1Tx35pm+Yl88107G80ofdMEP6l3mxY71nPHPfom3wvM99hnw2+Er1rUR159d'
    'x+e8/zXjPxrDtdyJuFGI03qB97HXhJ0Hzi/9mf1hh3rQcboQj4N2OsxzT6/8qOI/hXXWUzx3nvGNk6da9APXt4/x+V3Am//Zh//r'
    'd/qNdtXvwdHp6dU8E/cL/jXoN4+inxXON/F8j90TcVSfRHxwnsK87X5c14znxuEF9sG+0gIvK/bJnN8gjuAHw9n4fNvN85/z/zdY'
    'D3avH/Dee+I0+wJv3Ld4Wm84XhfWOccJfpxvxzht+2L+yOD8dNH45f4W1sn4/XmeA3cLOFzIkwP7q8YDeFu0+wX3EeOnJ3/WvYz/'
    'yy7E0fAC94mDup/74HU7F+Mnm49n/MIv1/lN/GT8zXyYrrIe4mH6D/Y6wHzkxeFnJeBgPeh6u5B/K+Ok5xnnCOtlHwO/69EYT9p/'
    'YN31Hd7DjgP42h7w+6K4x9W8tIPfPF/XxOGYXyfsXskf4uUc55xDeZMr+6172C92KvKft7o439Mxz/fERdaf8Yeec6mvYf+EnddY'
    'D/5TzG/nI+8p14wLzlO/12+xX76DPY3Pm9w/HfGxN86+j/Yw3+jn5eOYhyp2LeS/aT3GYbmpneM4Pf6XGKc9Mm9w/03sB78wP1Xw'
    'MX0c+cO0JebDyr77y+IS9uEcB+I4Yz/tk1wf59HeZf5nSvDfwnk2+G2RrzwSb6N/6ufiZflOfoVd9jIvvGB6h/X9Sv7c/V9+UuQp'
    '5ocT8bkJ+1X2I680v5QW84H+0+ANE36eXb/4ax4yf2CH9gXj8v8enq1fZewrj5s4n/4J455yX5wH+T2fkRfznPuBrwwb5lnWs7ML'
    '9/OBMfDP4RTrPMf+zcPgbDmw4D/USfp3b17A38orjM/7WfyXD448vxbXm7UXcWLdVY6aD3n/QuRDBT/Lr2J3zkf+nLBf+yryAHnm'
    'JC+w/nP+6/F8M/jftrIfcehqzENJP+K8hrtxnQP+PdwcA79Lrpv4yaexL+OU1/GT7fz/XsS9/l/8Bler/Mx8hV/JX+Rn8vG0dwzn'
    'kDmv+nYX6rs5bj7hferMCi5M4F3a2UW7sL7+GHZ4kf+/3oV8bR2VwbN8L+Zp+XShjhKnGnaZhsU812N+Ew/Lc9jTeoXzT7vjOQxv'
    'Gc+8R95s+G/bNJ44B8bL8ML2rXUw85GvmvHM+vovYj5rG5EfTGdi/pyuxvnLT0rgA9k8c6yLeZrn5jzFeVkPp1vWBXE9+SXG5f/5'
    'feyM3zT4RYMXZ9+z3nxknbCok8k/hXiqP23UC2PA38w84tKEvYYLCxzH72b+cyzqA/Vx5AUJnMn450Rc5h3Y4wXxceEf6ing28T6'
    '0lzXyw8iThR52J8irmbzsrjB/nreb+uRP7fNqF/U8zFPFOqIRr5QF8nEc5KPwLvKh+Z77I/d5WHF+MePyifqFcxzK+pV8tDKOOoT'
    'xp/1adnDvDe74B/pwUI3kg9hv976y7zvc7N+EP2pbSzqC/BVPqC+0FOnyW/Eb/ldVcfZiPuYcfiB9Snv65fylZ+jt5kfietKvT3z'
    'ROs2/CbJ98GDAp6X12JeM98W7Fes4+5aL0d8MY8b5wN43t+I9Ww5H+sBeWHaqh4ivkW7lSnmlaZfisM7x6ALzPoMeF5Zn348bB0D'
    'PiRwaQK/Mjwm/yLqP+qvcz32XtR7ysvyYNahv6i33Y74N8cb+GN+cN3qb8ZTFa+sC/Bf+az1eL4b/TThp5O4wXom8lnhHHr5wqV4'
    '7pm6Rv/vr0f9Tx3JOqWqs+yP9rTOtY43jr0//Jr78uKLEe/6N5j3lTHqGfvGgCvipflSXpDE3yvGFfPcWdj/XtQr3G9j/b31C3ae'
    '4MNF3HN/73Ol7pEHqN9X/Q+eOWzGuruQD6bnxsD31eMn8pD1T09czLraSeOBed6K8TNtRn2qP2K90YX6L+Onxrv1uP2HXv6nznAy'
    'jls/4X3z/hVxqQs8cdAO8lfiLRt/xxd1Ovr88Dj6ZX2J9e2Neap+GnG/x+8KekO6HHXZAfw0njyX4f6CF2yJfmK9Yf9F/qh9xJ2J'
    '+r/ejDwmGefmla/jOVi3V/TB6fQY/Eq/UD8v63HchA4zeH7gr32V9F4X8Kea9z+NOkKv7g8+5Cdj4N3WeUUeYh46v9A9bsX+gLgy'
    '65H4iX6RrkS9XV0mkf96dUN5lnbU7peiDlD+pp4d/UAcbOIT51rFp3ML3Vh+ti3qS/2uWN/26hlXF3rZyVhXzX2ozxb1lXqF+pT9'
    'CvMe/KM87CLfsJ/w0Rjiavj9GOxmX6NtU8cdw/lbF8+8yX6U/UvjgP3VnQud8WzEEfcvH9Yvsv5lf0H9Zz3qYfIW+dt0fKEr8H91'
    '6Gy/jfMYxPkFL7IPqj406wDq9PZB3uxC33Ja5Ilpe9ST7D/IMwu6TgKfBvkn8WMfSV2qFxcfcl99SH6yHtcv/7E/1MPrmv1g7SPP'
    'myIeqbNVeJL4WK2jxMtTYzinTDyK1/N5PYn93oxds31d7NHUGw+aT9TTu9BntO+jDtRORz82zuuBqGc063r8U3tm+5h/jf48bJGX'
    'cLVvar2mbmlf/ET0s3om8jfX3czn5M1mnluLPGjuX8BbxHH7EOJokffYH/rG/N5F/kccqlvZh5x+y7qOmVdjv7UdXODH7lh32k+z'
    '3p7QK4v3H8Z+ud8F+H47PobznLbFPqF9GO3d/H7gbtRVrC/EAXm8dYbnaN0/+9+ZLuSftiv2m+w3mP+a/buHC13l2qJfSX0+/Vud'
    'dgx9IPF1uBPxLKvj/nMM/Vf7eMOrsW6d1Jetk+Tx+KXfHUz7Y5+0/CbWL+lwzNuTvNI6X70dnGvyfetx8CHZB8Gu5XT0nx67DB9F'
    'HcW+hPqKfKXuiHWxdY58vV6L/Rh1PueTD6lvqpO3tdiPla86z3Qn1l3975bPx7ohH4p8WF1ff+vtw/h9DX6WzAfWAfIO+7ry+sML'
    'veIvsa7yuxZ5et0V9YLpH5GPyyPyH6KuO/ej0f2s4wb8vbCOWVfdtA+EXbbHukqeNfsx+aj3OwR1Q3U2+3gvW09xXzyFZ8tDjUNx'
    'f8Bu4pf9MPuH5qV6JtY9TXx/owv507xUsMuAXtP/HXs6j/mbej4fif0rdS/7CHP/Y0/sWyb1s92xnyz+JeszdbVvo+5rXaJeZRzL'
    '1/odUW/SLwfyYTnWBV02He1CfTSIm4t8Y56XP/Q3os7fq3/cj7jsd1LaQ349f591L34nM8cn9Ws/xu+8rB/8fiT7/YE6z9n43Yv5'
    'Yv4eQ95sf1dd8VbUtQb2ZX6t2mlXjEf7p+q81jXlRPzuIz2O3z2pw6vf+72C9vG7Gft76qt5Lfqp9vA7ln6Kced3L+qGeS3mk/RB'
    '/P5Enc/+WP9wDP1o6612KNYrc39GvQb/HdzfzqiT1d1RB7df4PvuX91w5rXrsS/p92TF7ycW9by4bV/d/eSrCz58e/wvKVMP/g=='
)), dtype=np.float64).reshape((4, 3, 4, 7, 4))
weight = np.array([0.1318359375, 2.203125, 0.09326171875, -0.2470703125, 0.376953125, -1.484375, 1.046875, -1.1328125, -0.0133056640625, -0.74609375, -1.015625, -0.72265625, 0.6875, -0.7890625, -0.27734375, -0.5234375, 1.3203125, -0.74609375, -0.6953125, -0.890625, -1.4140625, -0.75390625, 1.4921875, 1.2421875, -0.88671875, -0.8984375, -0.65234375, 0.287109375, 0.2353515625, -0.05615234375, -0.388671875, -0.1953125, -0.6328125, -2.671875, 0.5859375, 0.94140625, -0.8125, -0.326171875, 0.6328125, 0.51171875, -0.2421875, -0.099609375, -0.255859375, 0.7421875, 0.84765625, -1.0546875, 1.484375, 0.32421875, 0.310546875, -1.90625, -1.2890625, 0.0673828125, -1.046875, -0.7578125], dtype=np.float64).reshape((3, 1, 3, 3, 2))
bias = None
grad_output = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNpVkTkOwjAQRQ2i4xK+SXIUH4TCp6BOSc8BEolISCwFgRSIAhPEKhAIxCIKhMg8F3Hz9Wf582es1P8VcQnhWdDzZApPBaNvUKJ2'
    '4FHQrOh/Ceo9fEdfI5S6DXxBvi397opOR+LmIFw9yXcl7ojrGfUZvC9o716P+gx0+CKfzME1OjlYE5/2JTwc4fcWV+boEz49omPZ'
    'V9UTQSV6ekB/U+K2h68Hc+/eL3O5ZzTxe1X/x26pL8hzF3thr5x69BT3Nk/6WtQv+ecxffg33Mmk7PvB/4D4EP138AMhI3wy'
)), dtype=np.float64).reshape((4, 3, 1, 3, 2))
expected_grad_input = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNrlmvt3jWcWxx/3KB2XGjWt0VNrdLXRpei0ZRh518yydNJBlGqNDoeYTrB0XOYSWp2HVpuOW1CXcT2lIVoxSRqXRsjrkoiI+yUh'
    'KQcR0gRBNIgwq+/nmx909T8455e9nuv7vvv77L2/ez/HmBD4FZzP9OSqq8hRxRE/CGdeRcRD40nHHxq3w0960r27+4d+m+gzjjfe'
    '5oLXH9xbxfzED5h/ZDz7FZ2mHXvAk2FDzntyWHE549uDjM+9zPpXGTfNjiPra/3MPNpRe2g/8YD5lzO8duDp7zNDAT7jFvCdbYuR'
    'MUXoo9WliIfGn93/0LjpeAgZTPSkv+0d2hnS7/QK5t/eTX/pJp2Ho8gk9G5GlHjzAgeqmd9U+E3WedlzyZP2sdOZP4W/icll/Sv1'
    'OT8F23mfU6GBn7ukyPtOf7j0dIe2G0vbOXwGO1tRid66nUVeoG0yTyAXc+4r+n7nyeRo7Mn5Cju1b1ylXbmb53wNHjFx2GtO1EXW'
    'Dzzk9Re8epj3GuryHhdOsK7bKj0/zZO+zdkaz+K9NyRo/IuIkMCvxT7vu4P9dN67foMcvQe91NsPfi3lx57ZhgyXHU1Zil6rD2AH'
    'L9xEj1HG9fprhO+4K+D3chX6bdYMe9lymf4G4Hv5cj2vPyepgSft23qviDLhGRRet3hu7yKNF2aCZ4nGL4aG/T3JdzrBLPS64j4y'
    '/Sw49MaubNY/aVv0aT+Mx14SmL84/Rz7VN/3ZN5o7CkwJp/+ovmcg/bfst+/Fnv93c639HCaWetvU494svNrsidbrOcFWF+6k3mF'
    '77NPU/y283gq885zXuzyuaGB38pSvn82ccQmPobdDMc/+p9FX3bNe+hlEP7RvJTg9cdWNfLmr2lV5vWPj65h/th1+LeD51i3cTn9'
    'OSvQa82b4N+jube+55vYYcxTHv42to3iYJni7Wvg7VyDx9iiePb78jryo/X0LyiV/18dEv7TxguPMPyau6Mc/ZbfRi8H05Ctwcf9'
    'cDOy/xWvf/Uo9Ok2x5+6g+CxnVfi39zyKPrDPkb/iUng2u+Ch1P2JU/fbsJf4RtRBeg/ZiB+2L5AnLN9vmO/bzbAb1PhxXa8/MH6'
    'o+zfGj/uzskNDf45EfswDvHHbSAe+jbn2gz6CpkrO/rz/5g3RvMC7yJn7SWOdsMfB/uAo226iHVpeToP8ArbmngVtZnnFmRV8x4v'
    'kjfEH7kBDr9NZ79W1yN+An/jzIePur8rQDY6SP/Y/SGBn38aPMVGgpebTdvMoO1cgXcEMg6j99fFI2/RjhoJvwwm4TefPxpUfiH+'
    'Wr+E+YEc5Ihj9Cdt8mRxBno3s4i3G5L0PguPgEcWfDS4J4X+1zfq+fEaz4S31Dmq91tJf6eUkMAveEffOeAMssVqZKzOcU/Ot/MW'
    'eZUZlov8ADswv95CHMvC3zl9yRd9ZU2Io0Mvis/vZZ+ZDT2+4rxC3A0+rfiWSDwt/r3yyOHir9nYmW1HnuBmXROe8BybzXmwo0uE'
    '51nheSM04t+f8E/2ZZ37tsf47gHwRCeInTg58EubTt5uc6Xn3M+9/rdmkV+4fcHL35J45W+nuPj3GuF3kv0G1vXwcSfTP34Q9YLk'
    'VOKgk1ZYy4P1vMbkE1vJX2wceJkJdeivUp4xhXzVDkgNCfuz9zKlD/ybmam61THijzM7Hb0vlB0NF5+fC280dZO99u215GdTOjX0'
    '+v2LwN+dTZxz/0K/bbKYfbbtIo59JBx/la+4C+9IPI8/sH7wtp01ryt5vX3jLvOXwrPMAtVjDomPxmSFhv39WzzvJcWnX9xCdlU+'
    'MQGeadOuKI+7JvuiPjpyr1cPdVKShLsfP5nTT3Hv5ifg+Fwc/rKa+mmgo3cerN2Hn4vqqTrKFeJhxSbVyeLLVT9F+gay3j9Nddgk'
    '/Ks5g/26pkj1hGBI4GeWw9dNnuxwlOokEbvoHyz9TBff66I4Ey25Fr3F7sK/mnwXfMLk916Uv50iOUH5exqyeR/qnr6+qruuhef6'
    'bjLfNw8/4N+G/BH+xv2MOGoaERedUuEXdy408Ct/wHf676H/53WP4N5TXRR78j8a5pAX03aH0Y5KIA4ebl8f/xZJfctexc8GH9mJ'
    '3aUQp1yzEX/6DPp2P8G/2krqobYDdW7nGvzTtyQRfD+tzctlz8PwF3YofCu4WPcTM6axft3XoZH/3SvTPYL8n0980JxSXZT8Ofhz'
    '/KoZrbpwF85/XDp5f7zwjg1v4+E0fkJrD08nDnt0wsHPPwm78Ldr77V9s/Hf5nN4k+uvVp7AfnbFDuQ+7od8S3KEZ2Pi7+nNjK8u'
    'FZ67hGdlSNifcxy9OQM4r3YX9Rdbn/s1uw77cRuLzy0DV/sceYRzRvc/VfA+cyof/7Ye+7K9vsWvnYNf2C7iqYuol5gEeI2Zz/2C'
    'O484F1Op+8dlpXreaeUVxElbSB3I3BDOm6j3mEi9X9XRkLA/pwX5mjNxi+rKdeHjNcoXxqmOXKz7uwno1ebJT5bBP9wI6i7FV7Gz'
    'd7reY15P8Zit8EjzX/ydNQtYt0n54DHV5zKo5wV7Sf/NwNtOUruDeM1m1cfGyM5WUVcwc4jfNrwkNOLfHN377eIezkzFD7kjdP+S'
    'qvroVNnDBdlnPjx9a0dwGbOUPM95Ev35x8ofb5mhfOQ/rGuofNzy3CYP0PPCSPoDw6ljuxNVnysRv7ovex6nuudu7N48Tv3HfAq+'
    '9m/iSf4QqX9WqO5SeQo97FSdcx9+z9TyuETinXlKei0UPjlrkCt1vzNUvL6V+GgkdU8z+YjOg+7Rp2K/wWTy/GAtn52CDBYKpxOy'
    '9/26P/4R/naL+GYb8g7nN6rz9QiN+qe5Trzy5d8EH9WBnSfQV2DpZPFJ6iHOddqmlu+npNDvg4e6v1Qcu4sefScnsn4W/DDwmV/1'
    'a/GMn5GPOwX8z8LtgB/3d+feKthpqOLwduZd767nL2d+nQ06N4qL6bLzwQmh4T9r+B9KYJTsrI3i3Hvi7xPfQR/vqz4zdzD6W74V'
    'O1mWTf6dTRxs3p97At+j3K+7vcHPXIMnBf6wgP0egc+6PeAbZiR+2B/JPa4zCHt3yvS/p38cFZ66h1yHf7Dvwq/MCdV56uQJz5LQ'
    '4C/HdR9w+ota/ol+eu0Qn9D9TMaX6Cda/4+Ixl6m/xG8DnfCjmLuUL9MFp/wdaDt65Ctelq1JP6tshC7bT74NjKHONzWva3n1COv'
    'jFZ+UYHfdSuSxZt1//cA3uS4qsdPOhsa+UML+cv+62v5J3XKseAa7K441R192RLydlsCb81tTB0yUIO/9Ed5erNhjbiXD5ykHhA4'
    'qbpleIbkLPLGHfCSuO+5b5hzjDqduTGfeUPA2w4BbycPP+/k6X9QifofYfQdcN2h/xP6b2T+HwsDsNY='
)), dtype=np.float64).reshape((4, 3, 4, 7, 4))
bound_grad_input = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNrlWvdDVFcTVSLYsMcWUZFYEnv7jDVHFCxYY0FFE+yioiIgEkClijRZQKQsIOzSl7YsRapLF4zYNdi7YjcYNdbvzt4bf/E/2Owv'
    'j923vPt2zpyZM+e+Zs3odf6nZlp6vDTwj+dbdqbg4I0Ltwem5eCb0INPeh5QoEvDmI6hv+Xh3/PRqez1SPrl/Myl7PW/GPQe79LP'
    'VBKAlY/uGAdWV6FhVecT52tSYBtwxiGyth4rT01dMjHbBHPo+7njMCnhe2c9Ixnm0vt7IbCd/DD9fVUybPuZqvWkOfh0qce2pIhE'
    'pEZv1PUOrMaiYdvLP2QkYxZ9v6sUPQb3bhgjieP/bxoCo/hWf/bY5se//7kSS2h5Dw90fHXxY+2tEjTTcvzW7exyf3duLIzDCUAF'
    'Fl31/OfXYXLosk+P/piJf8/Po3gtDf5yPo7wbBOKQZfnq9wrDuMa4dakRlH3RS2s9WXobqqutnKuws2eB8xmvvbleIfuEfkQIfLB'
    'Dw0vvL5t/j4Lmc8W1A+oKkcsfZ6agIT3IXazR5ajw09r9i5rmwUZfRwZ9xX+Zi2s/fPOBSGIwTdi7gmE5dOFPGHos+HRnYZSrcfv'
    'DsV3vhxO7Ocaz8xEnqJqXnigHDE3WWCVmTBflxO98WQ8jrGod7lYhMWU310SILVff2rq2GI8YOHv5ZeLiVc2m9tYF8B3eeLPfcqV'
    'UMe4JdsPVmHMjmtHoqQx8CPaOuUg70NGt59e+mIA0UpPBnviqWUqQijuNWkYdIzdwMBQTPB1DTjzIRRRP/d5dbHrfmzTk50NCogW'
    '628Q67tgDbv8nNSD4nwAdhCfp28T5621Hr9bx1mgn0gwgv3skK1S7GHs2q7jhkmdskZdPuiHE2kMyMnBWMfC3W1TMnZRfBa7o7kJ'
    'I8L+cJ73Nqkwpzo3TYnLbX/UGWekxgDCoUctDp0NmvKNMhq2FN9rKrgyGM2WHYMe1eG35xHGYF6fyfjXuqnIwiQHd1ia3L9Vh/al'
    'EqPVpieRacEIv0eK5uz01fXZAs9EgVcJKiivusnFeZnAM0OcT9d6/LpQP3FNwz328z19AvBEnwGjqMQwVrb8tibgejAjVDcPWEw6'
    '2ab9sZ8xo28Hp8cZUjhWsEI51xzv4hhAXnXAzNf6nh+TETKSAdd4Fkup773JRPYtBmjMEWw7vfLNoN0r0IfKp0IOiQY3S87HfQ1Q'
    'suULzPLQTlMvqzD5NbuRdmFiPYVYbyNqazyuF444gEtUd52nI3WT4eDejWqMyGZ/bHPECda2D/pHw1OTJ0u1Hj9L9vMb5ih5/j4J'
    'Qu1t1qB8L+Mn6jPuRYhkB9lgb2ymNpg8DR1Ye/OvVmIt5bnMGmO/+aXxeP45jGLxq3ucjThWfm+E1aAz6R8Hb/xOfG6TjE7UBlet'
    '4/j0Wg8DdtmzowxxiHB8fAGfWR6UbM/CXvY1/RtVyGX0ddRJRP3H2oL+++XQYeVgvp0lvKg+m0QhhHhfaY7NrEwuuZyPuRPZDUzc'
    'iViqmyZKOLDLnnphpfX4rSZePVfCcQQJuWN48jI2/9kmFV4x+TD0nBq3qZ51d8Ej4ufsbFynfrlxL76j+NeqNPqzamU0IqiuBUgx'
    'kXBnfS7BnRFmZAlmU1wvd0Nn4rl6Hq+juvbwmsKA75iKEgb3gD1K7LQd7rN0ainPE1slCq3YjfUoRC7x09iZ87pEidPEr/V28CB+'
    'IQWSOWsj3oVLEUF5NjqC81IeAjnl0dMgrcevmOJ0MAm/U32yzoET4dhKgSEzSJDk4xqToa3tbPHpLwZgi2Q8Z3QqH7qLxzVIgUtM'
    'tf5xSYY/mOxf0TwFSaTjk9K4PtyZg8mMTiZVvyKC+uCaEJEP1iIfZPAhXeN6FDqsbc5wrMQ9yg/zLDxk8r/AqgAOy/ykI/PdMJD6'
    'acf8r/DvrZy7Z/KLOPjS+9WxKKHfM+MQ0o+yhuoerPX4nST5n+mHjZT3y/OxnMnQHe38UUljW1I+AmmsGJuDdJLlEYcxs5EJHscc'
    'OJBuvHcYvimBLUvmpOAXmitaV+ID9cO8RDhQ3SwvxQziX2E6Pu1niRErQQrFdXAkrpBuMtmDCjat/aaKhYI+b5OPBW8GPQh+7Acf'
    'wuN4HO/HdqFQnGNC6uNusb69WN9cnPfifFwQLs6vx3u6jzG7tR6/DW+n+bqaOiKhG2tMu+PRSHm/3orXx6BDOE/jXl4csvofTgk8'
    '5cH72B9BiFlRdqttox3cKG5hUvSjeSC7kOvS+Snox8plx4azuEF8upgGCyaHpIYSjGZpscmmHjmkK3WVfJ77JMNlwrPyGAqY3nFv'
    'X4YJ9LntJXxHekeVyvXkNaGv7HIFnmHifCTyWbm8MC1DnE8QeB7VevzColgDqXNDDM3HZn5IYOXo4ckIPp/XyYUu3QPPliW79ukk'
    'C10aigtMvqzdXAafytF/v3ybodGfJm1TcJb4vFKNFLpOhBKjiUYO4civZoXtdoXALwZnKC9Kj+McHe9XQI/0yYV8rDG3eTutfzmc'
    'qJ7nyL7oYL7eGZiSz5DnjpusHCitM3CXjv41cKH5dUEU/qK+HRKPZRHvHE8XOWo9fpo5LNwLbz+zV6AEepazOmUFZeEI4belQOhS'
    'Nz4P908XulSB8Kdjh4xfdREmFM/2udhHulGRjeFsPOziU49NxOt/5JxfkTIEkP6YUg9r4lFvS9SRzjXzQQc5u1CzWoxw6Weq/i4H'
    'TRR/uzi82+qfd64hHn2J1+NisJfwCTyOJTRnXg+F8/VCTKgpgwXhJFXDid6/CcE48gvaHsUl8oMe+Gs9fiNpbl9ciCZHNqAtk+AN'
    'xc2lGFFkK2YGYTnVvZsqRJO+bJeDLaTX3XO53lDlotOrix9nt0/T+JK9UrKwiua+OjVaEp9u52jmgilDFvL+t3AhhtGctjQNjt82'
    '7yUPTYOalb+mvAJMUTOCqiQIJx35rAgtyMZcmA4r6suzVLjA4AmzV6GayaBfdirA+7YCzTX5loqWTo8/3TXIQlkBK/QPZNDosmeJ'
    'Wo/fuD4EgBKBLI1X7vbCVcrbSyq8IB7ID2AI1a9eqZjLxq5X5qmYSnx7nY5rn+6u6jwpAztIHz7PxB2qY++SuB/tnI+e1Jf6Mr5S'
    'vewYiqGkZ6eGinyQi3yIxw+kK7eUcz71ksOayd0maQGsI7salG5PRCvyYTsVIJPBV2lW8BX+g2jsMVXChsG36q8cXDFmBPSU4yjJ'
    '6bQkrcevI+kR/yr8RfwbVMHn7wtVsOtHBnSF8EUD4ZXHBMPk08IXDeR1y+407pI+WVgGNyYHu448gfcLmQBszMI0NpY5OlYgl/qe'
    'jjfk5EffrUEt8cfYHhdp7miZi2LySYcqUEZ6d0cJDEj3bAjAC7qfUwnoSH5BpA3UHgzgKUqx/gKxvgQ1dL1aK9TRnF8vFbp5Joro'
    '+z5OWo+fxme+m427xKcTWXhBsv+DDOv9CbBY4Ys6ow/tEzkWC190K3SoXkWlwYb40kING4J/cwUek95ZeBOPWPsLmHcdTjRHLNrP'
    '/a1hNbhH819gktA1D2FE/JOUwpvmhWbVGEWfzziBcOLnvWvCz/OEm5Q10F1VAk+JwPMMkmjuuLwXf7NxdM18pcDzgMCzSOvxyyV/'
    'sjoSPw5hAHV1gpsrG6y2qGDO2sqoR8G4pdH/3lxvWDiijuIzO47jlBKEOprbG4thR3XzQTzHQVLD9xNX53J9WSrn+mboIZhT/ZQk'
    '8zj3jMBTjV6sxzw2jvw4uhBexGPDcuyj+7ibJ9ZTivXi+Nw49iAeU55d3Qt/mv99K3CW+LygBNHUPzvHiTocofX4JdHch1jOg+R9'
    'sJo9dHHf58dhbzvcZ4NZMjqQj/nMH0rNvtIeXCU/Zkwe9zczEvn7pkrYk9+YlcZx/qcWLgy24a0rUEr7A3oZGEr8S49BOu0zGGxG'
    'C9K9ySv4PmtKPRwI/w5qVLRpbzkrIpfrX1k4xpN+XZvM+2BjOHRpvkyM4z5bq2Bo/HdJ0Zf959/Iz21Scb37VPv3H/zpd57M5H5j'
    'RiqMqP/8T4kBf7+Mzb+eBg+qW7rZ3FeZnofxpEdcVXw/qftRtCI/OuAImtj4se/3SDRRHUtUYTjpFZcsdCMf4Jd52EEw91qEbyne'
    'WSn4gXRRUSZesv87pp8JV1auDfVTMYGub58FB5r/ohS8PjsrkUz7DAzXN9RfbyUjlfKgOIPrpHPRGErzh14EDhD/x4fC8EHw8sT6'
    '/4D/SXLldjyW0z6tVxz30d4KP9QgHnP9CMAk7n9MSef7E4MVqCGdUMN0Cs3tXjLM1+yrHkE70kMuClygetYhCSkU954hiCeeh4WJ'
    'fJCJfEiEAcW/ex5yJUar1x3I5n6bRQYMKP4OKdxXK8yDBfGqS/FX+Gv82XVy5NH/m8RynBtD4U1+w1rt9z/1Nc9JsPpJzxvUFvL8'
    'Xx2LGtq37V/E+TjbGO2JZ1dkGEFx8zDGU9IVTO8XjWZEPRGPZixctq9Z/WMy5oF7FAxJ73ybj2mUHtsnYCTpklIp1yPrBiKA6p31'
    'AbQjPZIRCs0+VpASIeRzG+/Dr7QvMiYCKvLZVhhxP07XU6zfXKy/DsOI5w9t+XM4Iw+iJ8nmtou4j35K+/ffDcnfMPcXc1sSGiku'
    'zi5YQvolMgyfp5OfORwPSTd6S7CKnofZ1QejqZ9Fu+IQ+TA3Y7BlH2uYKwoQRPs5Swqwn/L/9XmuIxTjMZN49SgSBcT3NhbwpDpn'
    'VYxIwqt1HBKINw1FmE54f8rl+/xnzkCX+uSf43gdeBwu8Jwm8IznOsjHG3Po+nUygWewwDPjP6M/NX7GIOsv+lOzj7bVE/psTH6q'
    'LxNHW1QxeWgwvFAcfTGrbwenrSvzUUf74qGJeEj46x7jc8dT4aPcLxHHAOGnlYtjMFab27wtt6zifW6bGk9o7shNhTu7j9dny8Q6'
    'deIYyZ8zuyGeT7vhwOeN7VL0pzl+3nE+/73Zzf2hSQn/Gf2p2WfotvOL/tTs44yPxDLS+w8TxHEXZIGMWKdOi2Osxh81OFSGcorb'
    'mHTcJ55+n4DtjD9XFp1CDPmmxdXieJjXyW88xHExPpBfp1DDjPYLH1TDktXNeqMcnKF8Qgj3RR3KxTEYr76TPx1bVCiOvnyfaXkI'
    'BtNzcN+Xcf9Nxx+f21nO6nT6KP4PGPvKXQ=='
)), dtype=np.float64).reshape((4, 3, 4, 7, 4))
expected_grad_weight = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.64414519071579, -3.328465461730957, -1.6062126159667969, 5.237046241760254, 4.602375030517578, 1.30523681640625, 0.16312789916992188, -2.57539963722229, 0.5523014068603516, 0.8875417709350586, -0.10322260856628418, -2.1854286193847656, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -2.2509323358535767, -0.9652687311172485, -9.248219966888428, 1.4324016571044922, -5.8335511684417725, 7.2996320724487305, -1.3964688777923584, 3.689418911933899, 4.464734792709351, -2.19371497631073, -3.8979623317718506, 0.2906777262687683, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.6800193786621094, -5.228302001953125, -4.873288154602051, 7.974915027618408, 0.5012822151184082, -3.5993781089782715, -3.6405696868896484, -5.450974464416504, -7.746603012084961, -0.6309351921081543, 4.3192548751831055, -2.932040214538574], dtype=np.float64).reshape((3, 1, 3, 3, 2))
bound_grad_weight = np.array([1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.595742687518462, 1.1854223358682736, 1.3182112128187564, 1.1086064210701811, 1.141274159088795, 1.4326845639711847, 1.348368591044372, 1.5606934580451994, 1.4447218824774668, 1.353945009636156, 1.5986733436584468, 1.169192854976241, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 2.1838932687585997, 1.5432712020296033, 1.6864003392008986, 1.520403857871051, 1.8613337046140195, 1.3937685665114097, 2.179570621226256, 1.91490508261181, 2.399845971689595, 1.6217571388591414, 1.9460699135090875, 1.8449131518731379, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.1938614500538858e-39, 1.7145599596428143, 1.8979042433040993, 2.021651123509262, 1.6280642876893405, 1.3963993080766681, 1.5309414760374915, 1.698468839967405, 2.616048655984721, 2.3486523483738746, 1.9463466091073431, 1.6924216282832152, 2.259476558470622], dtype=np.float64).reshape((3, 1, 3, 3, 2))

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

x = placed(x, (336, 112, 28, 4, 1), 0, True)  # layout: contiguous
weight = placed(weight, (18, 18, 6, 2, 1), 0, True)  # layout: contiguous
bias = None
grad_output = placed(grad_output, (18, 6, 6, 2, 1), 0)  # layout: contiguous

def conv_call(x, weight, bias):
    return F.conv3d(x, weight, bias, stride=(2, 1, 1), padding=(1, 0, 0), dilation=(2, 2, 2), groups=3)


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
print('torch', torch.__version__, 'torch-cpu-avx512', 'bfloat16')
ok = True
ok &= compare('grad_input', got['grad_input'].detach().to('cpu', torch.float64).numpy(), expected_grad_input, bound_grad_input, 0)
ok &= compare('grad_weight', got['grad_weight'].detach().to('cpu', torch.float64).numpy(), expected_grad_weight, bound_grad_weight, 0)
sys.exit(0 if ok else 1)
