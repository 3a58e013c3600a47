"""torch-cpu-mixed-layouts: result outside its declared bound [grad_weight, float32, adversarial data, seed 2]

backend torch-cpu-mixed-layouts: conv3d x(1, 6, 3, 7, 4) w(4, 3, 6, 2, 2) g=2 s=(2, 2, 1) p=(4, 0, 0) d=(1, 1, 1) nobias
dtype float32, adversarial data, seed 2, grads
convconf config: ConvConfig(ndim=3, batch=1, in_channels=6, out_channels=4, groups=2, input_size=(3, 7, 4), kernel_size=(6, 2, 2), stride=(2, 2, 1), padding=(4, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=False, transposed=False, output_padding=None)

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNp9V3tQFEceHgzgg4TwEJQYZaKIIC95iAge26ugkSAFRc6AmjhVSPASNSUowZwhK4JiPDgskRCiMAYLMYIBUQT02CGgosjpmiMS'
    '5HBEMOIlliBSIEEv/e3sVa9F3fyxX/VM9+/x/V69HMdJ930yVdwfz9o6uf4P4L/9pI4ix2fO0VIsaPk1mMPz+As9iv7017xxOlFQ'
    'oi8f1lRq9d85DV27yMXsmg+JHaFyNZNmHaHneIv4fdJLcqvp+96gHGoPScvqlFh5mdb51A5i67IQ30+H1sFuK3dR0TNM5Yj8NpHK'
    '17y+qENSkK6Fkydn4FzQbx/RNWnYcQPne4i1mn6fN2siXQumgw+BpzyWEkYuv/nqf7COsrVh7ZIKp69XMWvDI/9rmTfdJyeaT1Ds'
    'e/yCyjkx1bKB7t2zIFTFGT/0vHw9m6PvpY7TlyTmG6lPiqb6pc5dzhTlrLHvsW56kUj38zMyGyiKzf1qqk/cXtaM8wMXQlQK0vfE'
    '9e6eem7cB3GV1n8WQ/cJuSlxrJ+8Y88A8iDJdZKa3X9Bu5fukzbknQLP4d/8iHPO1qZs/IW6kHDYearcGf7ZlhRAnnmVNeVD8rQx'
    'B27NfBV+XGt+iHw8EjaM/HJ0O4p41j4Lh9xN0c0v8afPo6jblwiz1kworqJ6xPLGMHpO8k0so8hvCI0Bf7JuFO8tU/Pgd3BlBnjq'
    'X/6M6ievOtZKCipyK6jfsmg9Bj+szvbAD7H0HvSsiDdFfh/0e436wy8aGIOehAYBPDWNdWG9P+efCj81VJ6Ylfo64vbzpWvIz+3q'
    'EJZ/ubXjYbCC1C7ZcdtlwsanyHc53c8Xjp6RmLzl2vaNwK6lHxwCj1tzdThfbq7DujXvIurS89FN8GJZ+p4BUS8r3qyG3OF/92Hf'
    '10crwfvo1nXQ8/vXPM0HOWzgbcjbZC1SfcKUpx7wz63fAXXgrLtC3/OxuQ+oHGnF4fsGPqsZXrn9zZskBcGDKvk09sdne2N/R1Q1'
    '5N5OslApiPgtcHU0IOIyGDZI5Qg5fVbIu5Zf30N+fnXPCfx7xX+IfDp8Y6GWyRf+S0v4KX8xUoG4W1gHoN6Sy4Kx/4hdDvLSITab'
    'ypUz1sezfUJINouUFMS5i/NKCFsvCZUS4nGYwC45d/cL5NvUgCL447cE8ZNiPLvhv/uPKw2I9xGlUehvlrbP0KfWHLCEvqCE4WDk'
    'cfVx4Erbb8HjxM9s1Gw+KHyTb2ot1Ezx8LZ1+vqLmDEAuTtXO9Lv/NzF34HPdx6ZgA/T2XuN8k79RgXivb6oux5+X26F3z2e59Fn'
    '/uoZz9apOOdokMTkvUEOmXZ2KvRlLNXAv5ue3tA73Qe8y/LhX5CPjs6l4M2r/wBBvaRpKX+aRBNfMk5TI8l/+UGlIPZ9HoQ6k/+U'
    '0gU+u03NUK+zb+kMyNadcHtMR4z508+Zu4321F5ib34XdTkhYwv0FM59H+fjmpFnJIncRP3UhY4qcmoo/9JPB96F/vnRyDfpaSsP'
    'f+I6fzIg6ql+UD+vZtmiT5HBpnuQ9/zj37Vs/HyjY9i4EMd09CExv/cm6tbOfAv6S1baMOKydgTzXUiQysHzhRA36o/mpDAJee6/'
    'OwB+PHi7Vasg+vJXPfCDIva5n70FOWXxkWzf0XwcHor3K+bXsnOMO/aDmVZB8NVX6v1SH9DPW40XgZ+1gZjLJNHCHP6beUykdkqR'
    'h0woiumVvcjLWe7NqOvNMwNR5w477RDnDY9hnzQjGnUiet3ewvJGnsSkYv1WoIC8uhJYTMaZyy/Pyf897Vk22vH3Y95z7tEOarbP'
    't927jvr3uDUFdn36t3zoC9KEsno1vf+4zN5r5PId52DfGZM1FDUuq9vBR8mUQKO4D/15jaQg4hTwpVMDI1dwy8hi65HEebVgziVU'
    '9QczdkqvpanAX9H8QBXTH+V2v93IA3vTOVQuia6vhT8RvU8NiP7omtbC9j1u+0ftsOdR8Vy2/oXolbskBdE3nFZ9in2RJ9CHKMKO'
    'Z/kF6AMfnOAaIOcu7pPSkS3d0Fu8CHEUCrxEnEsMm4k8iOFw/5NG1FMht8M1gK1v7vv3TfB96JIv+l+X/yKiIPa9tU2L+TG3ZrI+'
    'n1ejzxB/OUqrIPqlW9nn6H+WrvbwY/D4HfaeJezvskHcZg82SQrq50qXvh+1rFQ3KIi8DskZDWbvvxVrA43qfcjbCuej7N5VKYi5'
    'rfnNSsXMU3LVJJ/aIZbsvoa4pOzyBy8bj92R2LmUqufREBfePxVzj8/c3Ij+7jOvhNUvv1iO/ktczr8DXoX5bSoFsW9oiQ/40uUX'
    'Ic/XveIH9AqAveRM22L0nZ26RtgVptHfD5tWfYK86SyMAL+d52pg17lqb/TvvFr0J7LUXiWNU3fCk6N+RvE93vjKePdzcdVQP/Ju'
    '/5U3JOP+rq+juoV7tQrCL7cDvwQriH6a7rkOcZu28T7qZ/myUfBsVXQK86DvgZ/R3ItLmq5m5GtiwyuM+szzQ7Xozx66dORJ+7Hn'
    'iGdp7EU2DwSL8zdYe6Xe604sD/LWSvR3wfrNbP1986An5ERW6Hkpz51t9L+qqnQZvi8mHxrdN/csSED8T5Mg9A+L4yba/9MXxcuj'
    '4ejXZgN5yMvzuhSj/4NVf69i5x8/JW8J/J2Tn4L8/XkX+haXZpsLvQ7dHrgHeMcVIO4jaU/q2f6UPdMFcRnbiP+hfN2DdK2CyCPV'
    '1bVaBREHp5MdRjzuLZqsHee+oOHtD+r77EaCurYr/w5x92lbwM4p3ssW9wneb9803PPv9Enj8SMWylXgZbLFMaIgGy8+eeiC8RyP'
    'SELcdvR7S8wc0ZzZ4c/yyR2KNpH+C5DT67I='
)), dtype=np.float64).reshape((1, 6, 3, 7, 4))
weight = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNp1VQ1QFGUY3kgRB0dATSaz6ag0kqahwETR2w/pilIQRebAiWaBBhGaJshEmTgXwUHSkfhxUshp+Qm8qJH4cUC72z1gAEkrLMJu'
    'IhcUpcSmBMqQgfgelua75tqZu2fe3e999v153nc5jhMuR0mE4ziRS29UZlDyaX2fn0Gdn99maiuB90as1K47mUrtuUsZP3tHZm3x'
    'xC7qJxTf/JLALnTF89Pcjjk/kf6GBkRq6wZdTlFe8bmrr+P8yJEIln/mqjs386ce7GsmGjrw9K6pg/+Lu430vnB/SznPOEvvhsTL'
    'GuJ+5sJvtefSC8w5oXXTSnqfbChyCWHzMaUN6Sn/UqmD8qgGoyd9riY3TVFb+bS+28rEo+tPccVzr4yf6HNhPCgbfhlKt15DxLsz'
    '6wdq69p/rQH/6Nf3kB9/sQdxlERkyhryDL/0VNXzhM2vfVGLoiH8TaNPUD9RfKiD+qnF6R+DrzXoVdT7/J5paou3frRawRfcjPf/'
    'bVBlNo+BxiT2PcLJ0GzqLw5e43EubGov+OtNAQ79D/WIgl6q6/7Ua4j6fGfaR/kEi9+sPXYlT/Nrpn1QbcO7tDybz2l9R3/aAg/B'
    '73xsNfJo2vsk4igua9H8JZzvub2WaMjqR9pcsFPWkK2jLnwyVHbUGe7/91LTSt0pr+7lrWPoh7E9gdpS6SrUQTi+OoXXEM87no3n'
    'nfCIY8ok6rw/KTBEQxv1y5rohG5vRdbNIfKwHGijfLrFiwqpTdKDK2DL3Xcxl3FLeigfCettRx6GyGn0PaByvcLUVek9VIL4lyR4'
    'oo43DGboL76gi7BzdMb3I+jHJnvT+HQnhppw3ldvA39MWbKiIeY0dJkvdJ7gHg09vZfXwOpHlecdJMycCQmdcbPxXf6NnpdMjaN4'
    'X3j2NfDWXOyBv4flLssjmS+hHqRz/RZ2bpWRMAP5n/5RJN9s/xz1HM5H3ZUGjwOKo74c+q2Ytx5FXHvm22l9VLf6HMzL/YV2zOl4'
    'eTtFruixC4gnssUf+SSm1uqZuNSSTeV6hpc8EO0VwuiU5NtzCKvvuave/XHE90rJwzQOpa/Kxu4VsTYCe4cr2W1j+6Yezg2jfuT7'
    '+F7osjr7L15DxOcWPsw7qZNgD/wE+S2zcOhnXuk87Kkcy89Wdu459+tWJl7BXfSHngxu82k80v4J5KMkPGrnndRVKCtNQ3yvXTCj'
    'r13bkjHH+1Y8w+5xdSIqi51H8kYsdKfWGEtlR17EoX749ALkt/ztw4St72drhrHXEivhp8tf6+ZszpWNfpXYC6dGvnDQVdK6AvhV'
    'HCti+6jGyJHYO+EPDqD/O47dUTTE+4O9fGSGR+fJP4K94NMwijjPNLTBr/+IN85vi25l8xInP8iFXj1WQgck9eZXiOv32g2od4yf'
    'P90XxD8I+161vJnl4B/X8xK+R6u26/Aej3dm90ji0VyrhjQfibjY2P6S4Pwq7JE+9breyRz9m//VrDTkE3X7NPpijs1AHPziQfQz'
    'uRDfGcm8ogv2H8Y2fB+8+1c70x+5NFWB94XLv1g1pLawrugG9sJbrqY5hE7OTi8nzPyK9aOz39EZZONWMguLCbv/XFKM2GM5SwOw'
    '1zYumNWT/Yo38iE+A/w/52QvtQ=='
)), dtype=np.float64).reshape((4, 3, 6, 2, 2))
bias = None
grad_output = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNpjYGBQyFmpeZABCCYbPD0ApBwCTtWDaIXJL7zsQbS97iUQzbBDdA6ITvBcn7gfSB94LXNyH4je+bXdAaRPSGOXHQMYbNgGJB5s'
    '220MVie9yg9k3oK1M2eC9Dvw/pAEm3d5mzTIXgXZ3KX7GTDBgRrr8yDxBWWX26DyO0DmMqSrFYDsZZh/J+gAqpYFZiB7L3lagdQ7'
    'uOQlwGiwvZ8120DqG0oXsoDoB3f0Q0HiDYdSN4PNca0SBrvT74gCyF0H9KIroeYvANmb8H7d1/1QGqTvwNP9hSD5hI6dmxyQ1KGD'
    'BQsXTASH64M3BaDwOfAuLA2k/sDsC/Jgf5164AuiFe7GCYDN33qCDyxv8twIFi4NIJwy9SI4vO8Zi4LjS+OpFkj+AYOeOth/Z/WU'
    'QPoUDEqE7ZH0wYCDHtdqsP9iMheD7Ul6C47HBMPZUx2gNNidU7UswPE8azcrWP3mus8gdzusipqOHN4Hotjeg/Q17IyXske2x3HV'
    'HQcojRY/O8Dxk/9xnR2S+x7sEtoPTicquk7I/l2w4MEDsP15UV/2MWAHIHUKfzfOBsdnfMMbcDiabPIG8Q/MzS4FuWtBapcA2F/y'
    'al+Q09mCY6aroOZuALvL/vsCOygNFtffJuuI7K/7Cy+A9fs3TQG7f3P4jgNQGuxf5+x9IHGF+yv1wOlhlbnkAQCAgdiL'
)), dtype=np.float64).reshape((1, 4, 3, 3, 3))
expected_grad_input = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNqFlfc7Fu77xpUZCSV6ULIiJMp4hzz3reyVlcjbLpE+QkKFx8qOjIzsjLKyV/Lct5HsmZEtMqLCOyvy7fsXuH45f7mO4zpex3We'
    'x6miciJXsjYeB/6Qod39HgAXXL6PcgZegWNavbejWr6CQ4yNTkGpgcT5couNF9eViWWNJCtZtyDUjGQVcyuCwJHCHa1KZ010X5jC'
    'RmD4BlCgNAlpucqMx9SsF+/WnILRnVNC7cWcWDq3syBDlAqr7jA8cddWgr1PamjD3bIA6f1CejwyQWlWjyRZt27jVtFzq8m8tvCt'
    'oT3Lf/7TiAKH6+TSLmA/3/pjdDzOyPSd0Qvf0ACQKTOS++kIP6bYZyCr1+rUtzXM9FohijyzCi+WJHxtgkUQttr0tBeowh1eES/O'
    'CA0y84nu6vM8q+QhClubKvU54poeTuYVe0qs4W9waPynGNxt8+ZnlCgFIinHHbmZ55FtyxeW0BPdoD6jZeuoxCTIHmGYZer2Qo22'
    '4SRHJ1qwml3lluOtCwykQx/UinlDeUXPwGrqAGS3nBaXkKAHH6Xx6lk+08MVjDGenAoFMKDjEPfKvw9BN2WjzCVlU4DIvUqqdP+Q'
    '9+OLMJ39qSp9lhgesRDAbH8ZFbN+drco0gL9GT4jj4ouo78rYHJJXOqw1XbACakkZDYiR3/t9hZYri58KxNcQn4c099y5GcrYtTO'
    '//GZbQdQ1UjUxORsIflWkcJkJ0SmaJ3M+p4fUGka3OfX4/iBrKWh3rVHx4P9/318741fOgA2R8gZFSGYdxwF/XZ6BLc+XuP4IzCE'
    'znhz5KafGQJ/7yPJudVyihlFASffJnLaudcSVHW0SGAxjiUlaZ24H9/w7e7zxvg04NqbnhDdhvWXa+cDPAt2cbDB2a8s2y9w2S36'
    'nZo+Ntii+8YyEw0DGGpOkxcXA14YZC7LJwtid24lA1n6JsDBOtJxoMcSs7ILVssNukCZy4KySR9ccJlU7s0qtmGiXETPqMnvLPR6'
    'hgHH5wSCQt7u91W5Blj0p41qYHcfiIjcrL9FOF//O7tAe/z4FP5iMOMgH5sGvdaOKym+nyN+ET+kY8q1BnR9F05Kj2HMVrQmx0bF'
    'ua8/+9rW4IgLNXqBuowCNu8ixr7o12nycthwIZV9M10O6rJyFO/QHUWM433dQVlykG3vj36ojRzOch7qfcnbjei+/GraGBYAR7y2'
    'z7EnVeKUV+jH4MQGlPx87O5PrzJEiIzLC0uvgEBMgsFvdAMPxI5WDDOFYRi6ETYOg0FihcDn6/Fr4FDe9cFdLfl6vozbMjV0/Djv'
    't7zKW48BLPYz471vvDAcUnScbl4uI05X5/LRPBqAxm8IsfP29nA/PpLH3fjyN9/eR7cf+6zOVQGWf38wUsmZQzT3vgRohxYCJAHi'
    'ra/m1MkuB8tW2rQSX3ApFNNyxiHnxIRCSY44YBjXuJBFuAANlM7ae214YderFfWGBBfI9/C1Y9TMLcw8IG56MVUXlFUQWHP+O4rP'
    'yB6JkV/Thx0l7QrG2mpkkk0O/ZXZQgUKBtVzCvYX6739FO4orupCtZDXq71buphirPk3ew4d5PGaSl3tLwCLE01dUw9uAb23NA1r'
    'zRf2/d8kdfJ6NoEDHg4w1iaFl6MmUoJkp9hprML9KjKP/TS0MeScCpTKwBdsbudighmWePDsoU8hHTYOdRF8Of2JXCrAsEiTKoIJ'
    'j4SstNTi8epheomJghE43ewTVjn3L8rdHumK0/kHz5DL7aTTPKAx+7G08k5FHDbDo9tbUwp0nzkXfymexUfd4kPEzWaA7nxusyst'
    'EVM6tbuJCNdgzQEJPcvKNRT3Y6tiAhRh4VgfVUvTG/gDjXj41h8rsB9fdimscSh6B2dTts09xh5CCjaZ/qhTLPCeY1JY764Hmmfi'
    'vlrkVowMjM+i7G0JaPfff3E8LSH44XylqEyvKzywmWIvNL4EfMfzvzP6ieGkEWMo2i4KVwZ4BWWEq1C5iOdoQW0uHnUNuS8qtgQP'
    '/ta2XZquxHbPn7+rFnwFf12ERaXlD+HMqfPqs6IiuD9q6Gah2hnMIZb2QluIAVNH7X1c32HHQ42fqi5n89dnZibzN2swKUppHixq'
    'Xb+zrz/7SSYrhjEniS+TSM0Ukceg/UBo2Y2YSOhvqfwhNkkFWcivnY0ZvUrMTRsOtgkXg3pMrJs8Cv5ANKutTcNUioz+kKLHEtUA'
    'l7NyN9n/KSKGMqy3cZ7E9T5BozVD0pC996PJQORBvGhHXRBwRhGy83WN6zF+AnRupqLjhTRI6KXSfUrxw3D3iZBsGKMpotx1058b'
    'NwAb86GDTwjb5FfsIc43cqOxwbr5mPSdUyjK8n+3ZNl48H1yEu+D7Pm6/fjWgylTIthK0JkDSOvLFBWai1wUzBsmI/r0vqKTLZNI'
    'odH8IS8hF3q1FwfOtenjyZtT8ZNt+vChyOkRf84UaJg7YKY+TgaSM9u6p1smQY8OraW8VQnxT/T4+b9Kju83bVC1rkA/Rg4xq59I'
    'wR0FYlNR8jZoY62my9u+l0wxXOEELz6v07xbXdu3pozKO4QKdrbyiCMRUo0+kvVErQx++olbhpBmFKs8zgTw4VlWmoP38nEuaLnv'
    'eYmE9uPTA0Pyqqv5QHrrK6PD7hTe8GEpaSGX4Z5l2m9Dkscx03PV+gBHNUgRdCnmzzU13BC0fPbUhjT00fhuNB96BP/UV//4uFsL'
    'sJY/zS8f7QOyCZUusWCSSMFedSxs/CWZxehdiPmcBG70MfyuG7aKCAV/CAVL/sg0bGPU+upjEKjPVqyuzgtdxpWRCKMTntoJHjuR'
    'EogXXPzSzn28j+xLWcSHQ6mI0YTdJz2NjqDVYPdogDkjMube6jORGt+337X/V2MW4+BJ9IhfNfFeqEV1GLc03L+A0m6Vp4cXBhO5'
    'urNELNlWibPUSbWi8cJ49liYvtWRRPy4Z9G44yk7aCd8fsnLd4aYefyxwc2QDHKy5e8YDrIRKJsCWn8V3Xv0tTb6SiKU4T9+I7Eh'
    'EUSnzpsK+PiTAyqNd/j5ihRI3BpjzksXkel9urGEXV9i/tn+jB7XEIBiltopWfvIK91hjYFkUdjiWKlV88eX3CdskqB/wg8rirwl'
    'tykM79vv0296u4mBu1i8JNIsoksP31vsiWso/wgszCZYmklExKT8oDTBmh3quRvcmFK8AwfZYmNvHuhBrhd8GcQZ92BFIdJJ1KSD'
    'KZ2EjivqOlDG9Hjr3og2tjSLvmwS/g1ttXY1mDeWIdk6W4u/+/hd0M6pRG4qTEFSzj6sTgWfasc/ZTFqBWe2zl1aZ4nCB8WbTdrC'
    'ebBtefGadrIOGBlb0mjCdkTDwAMSjyZLARcf05FW43QkJls07bcwua8/Feh1r+bTmNUHXLj5uvfNDGaOM1CSVCrHbJwBNt78N2CC'
    'srsnO0c7vJER3Okgdgb/6p5uMifdgQPictOTsXPgXWM5RWHYDTAWy1wpHLgJ61/VCWm6bOK+eCEqxfN+WImH+qInYQj9DcCjHx91'
    'QH/9NRM9ruugXV57KGBCi1xcVRbt1VGJ66Qv08ldeILrPoiUHMpgUuy0oiRxTiKI6Bxcojc16qx8C6976FnDKE8/9lNedehA9h1T'
    '0KSyb//1fODLvCbmjmyNvDjKDEgwwpqgvs7tiYuETe9KvEtFBRSuDUOh43CCjknOoy4VMcduZA8fTgUnnKkl79yJRDkPuLbMhJlh'
    'xTfKQ8v0y0iVbv2XQP88kk7StxPqmwfNFhkKs7tviS0zauqIxgOn/itk91ehZoj/S9CmTa7xGV9slfLGlVf6lzoF05FTUXMV1bt+'
    '2JG67sTYvA4cZ4UtOgTTQVWReLj35ncgfjn3m7/SLmLlYY53iZjbt/+UtrKyY473gCyXvYyPBIj1P90/pvfcFZnfvXzUvdoff6Sq'
    'K3D5tQ4q8/0EzW9PgfJfF03RDDse0FzT5atQwrCw8Dy2XyFaG9fHL+wtoAQx55B/8p4hR/6owSXDKDATxr6YteKLVoKvhbsxuqKn'
    'rUwcajmJAO0uWTy/tkKUnmaI5GLyQy49Kd/Ow0sg373bYrUW4CIDowfpzs8RicJ7StU6SmFls/yoWTUBvm9kFF0GVFhOQzFLncVp'
    '3//tnUhaLUiNQJ22Qx2V/+qiMTnMbMDNX+9iwRujm3wS+nTtPXH3AsAoU+uklF0+pqjWPCw0uAo/RVM/+TnpBCO2o3q6fYjI5Ykc'
    'd07ESVzYIL1RE0AiU1zLq1BMvafAQc+uzTe4ih0Ml6uXvjjh+kuJr0ENIto9cpo49KKUTGq/KhTVrAdo+KMLnvtO4pThFbuvhyRw'
    'adfpa0jPFtQ7xnK89e0Hz9x6kRSDN7lVzmN0ll0N01pPWNhTm+ybP51JF8+D8+zgVERy40vCMUWl864OUw7NADzGL8u8u9DU3mGR'
    'psk8eFcn/eyPyTwsSa2hNO0lB6JSC7k4Q8yxj09yY45NM0r6lWKXnRmPfhrWAVbNt7j5wOz/KyRNnCx0siIQY1TmS6VPGcAOwa/J'
    'XIPXYUmKYwLXoDLWlKGMf2ArAEr4HrCYJZYSE98KRFSX8MF10YQRSmlm/HwUFwzo2QH33V3F8W+1oLdzlRQU0YvUVQzET+q+2Nef'
    '/wdGjtAw'
)), dtype=np.float64).reshape((1, 6, 3, 7, 4))
bound_grad_input = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNqFlXc01//7xs2MEAkZ6W1FZWULr/tGZBTZVGSLyqYiSfaOlBDJKpKtoo+ySVa2stKQkSLKiL59Puf37+94/vM45z7XOc9znes6'
    '9/3yacsgg5EXPjlu78dIcsCXshTLYidJyGVU0BrQUQee2jJ8ed62xA8utsL6W6ZE1OrvNxvRdmAU01n5TM8O2m2Shj4f3wdM3xtc'
    'sy9JQ5SIO3/BuWkoUVKaGaFdgYlnvDmzWcvQ/+5ydF/yONBnVrAZ5pJwg3HC27npGlC4pRH+n2Wg8oE2Z8miKjafk7Ee4lRDVsMR'
    'JW3VJggQN24ni2tAnGc7mL7zBKgdC1Ej77cGzpAwkrzZHyD7703L/X/c1kAiSyZ14XlpC4Zflt1o3i+aQksehUdORkYMHBVAOd57'
    'Rm+ThYi5620P26YmCbGbcjG3VluJZSGT00zGNkRbviF9IHM0FPAOGxXtjIMbhcb6EhsNIHzhKm9WUT4I6K4ElB2rAs4BPrGEneZQ'
    'nlY9xR/9gZAd3jflZ3YQdj2uIiJPm6NHxZpxg4oNOG2UnRdlFsOEpD7zCj4xZJOPHY4cCsPfY/7PnC4bgIXNwtcJdjlgM9h4t+Qu'
    'Smzl77aWRd35MkqiOTTeRcedA67pWRwwVBQGM0VjJ1DkAJf/0y1vhLsF0vlCjrfEyJ/xXnDKpawM/RlD8LZ9SIrfngv7KiOJ8YV+'
    'iOhQvPqdvg8cBPfqRpemEEWnivd8Y56WW8ybLHaRbiY4OITad2Wswdwe8pUaS3/wbpwUKB+zRxNlzRXmfGNUnh0tLR0rA8o+t+lD'
    'f2loS/Pf/341oXdnOzIJKe/Hvb4xk8SnGucrZNVvtvTHPBphSRJfI168Nr86y86japYbl7wiPYhxvc7nbH54oM+FuqsX+hdgljDl'
    'O7O3AgaLtUqvsbsD1Vhy4BdPCnTZG0dH4Z4JgwnI1DughPcnTqERmT6y9Bwtl5nRw3t8t+33ZJcTSp/JNW1Fg0DutSvB728LNx7u'
    'eHRWSBKpKOlHmXmKIZrQKNL/RadatH9NTOefanzC8a65M8oP98q/MByPrieWKKJIrsvd0Fb6RbNgOg0NxbY7y3Ivb9nPQprDlHX1'
    'E0Tg0OYZko8mMEo4/z4+y4Y607RhfHfZ0LcnQpFZfI6Q2a/rbZ7ChrM1wrd529mQI0T2+tEb+cA6wvMifDc5KOZ9y172SESe+hqN'
    'j3k96Nd42NWg/CYUVztqKRYl4CXrj6v++T1Yxc2t7TjngMrUlLmXn9vBk/NcCYwZnSDOJEH5g4ddVd/dWp1S7w8ETNId2xVfitoP'
    'tXkPtFDhLY8Il3bfOSKk+ZiI+d/5x+zWB5HZR3Arf/fyGChS7zYpxyxQ/SE/mgCyOWpUzX71UJVReAwzboPfwRxtD7HrKhLGnEfK'
    'M3IIYBh4zMfoCQmCg3evMHiCxDumB7u1GLAj3db+zCFz1P+29jRt8Dg6xpsrpXCp4nMuxdCmiIMw38QqZpDxFWiYejJ2iUogj0xX'
    'kGKTALEks/0PSSBCJe2V3PI2UybVSZcGEXJ+UWy66rpuxS6KzWXu5+PUPsD1nV8obPXCQXu94p5RA8KS1oOrnuaMW/rjqOo2Y7Jf'
    'AlC9fUx8oR6013gsXGJWIW+AZopMaBVei4zW5XtdwVMH9x4SDJHH4Ir64SwrMjxNm36FgbOUOKJCK6yWRI0/TlkfFj7ki6NmjP0x'
    'HZWY3XlzbLulPJR3Vl6S2tyJi/du5YhTG2NKDeMynd0eXN8+LerZHwe567J8G4u1aFXgvIeStxZubkZR0hG7UY9VbnzZPQl/Ty8v'
    'x3Z2QqjrcRdbh0jsJTW7VIxI4z2/utiVIpUt+/mDN4Bt+P4tvOVvStCPGmBL6MtPzG9n4F7mwtSmpBNQrolq0ulGgxVj/+H+JgHs'
    '0zi726nKARs3NK0IBgOkvb+roSC2GeTXAz2dBmjQBeXgSeA2lO+KbdmcSITnda295z6EoLD613l2qmb0ulSb5VWQiJWLOd845gNw'
    'QpO95VeNARY8NCrUO0qNFD+VmRPIGNBP8JhPkPwnOGygk5ZfswirueHtM3xkqo9ztu3v459FzhdUzj3X1LfMb8zX35je7ZeK2nWO'
    '466j8xBiNsvcO+WM1EPU9809+YFlh+246TESIe8syVb6mQajJCTPvN5mAwndweplp3cSD5oyTPO0hYByqFahKtkGWh3WpuicfkGB'
    '6QdHk2EWfP1Bx9+YYhSCFaiG5E7zYGUN7Z2giyXA7Lj5M/PZe0JvQcwxlvozpFkpxVXPyQI/6AQKnTgEC8x8kV/t+oiSoZRdktWu'
    '2P9Twyiw7hfhol92srZsDW6RJda2cTepbOWvMqe1S0M9Bl4GyJnYTK0Rt78R3VzTd4DGYNdT7cPV0Gy3elbVPgQbdymRMufFca+W'
    '+cvkv1TqWtMNCb2ILEcYx4o+3YEZ25Kwo3/1G6E6o8FVMcSBw1wHQv4yFvIPJQUkAOulYsX14Iso1+a65vEcYOc9VLjQXEhkLSc4'
    'ck+4qJxNlVvL5+GHqjcHjcmdwgiqWicZZs+7hLkNs1fKU0mcGO66uY2cC2MLNxu0ZMPwmq5z/bVMiy37qXY5L8+7NAyOh7HKb3L/'
    'g0Uukx9Z1W/gJ27hE8YJ30FQMqe/nl0Q3xt8zdeTEMQXcZ/+7FxgwXPkTOyGo1Ogcyqd5YGeLNBy8ctQZfTBLWeacy0C1YSuzNHU'
    '900+xA0/Vdf2tB2Yw8LLPSjSAbzlJzODLKyhyvp6RqaeCXAO04txJf0GDb5vPik5OrjX4+xymJctXoh6pN+uoAM7vP1JQdwTKs4M'
    'Fi6U37VgUW23UNLAEnFtD7VfecrTLe+fLSz5ZYuaETnFi2+Uy2+DRHBMZW43Ayj1XwywZbYneO0aB3qeDBLkwSJM//zd04m/an9b'
    'FnljSfx+ZWa3RWKbs7SFry45cUQtCGRWrhBv2dwNTsRKgZSZI+e/DGLyOtkV4o13FrUS+r96w4GNco+VcAfi0nxn+rxcpEq4v6jb'
    'Zb4dYPG7p9Kg0JIwTP4Vu15kD9/7fTdzg58RE90D1nk+29D5U6HWWoUl4R5T90ZmwBI3jdJTRarKt/T3OSZco4hlEAWclrNN7MVw'
    'jrWBXVMvG553cxTRnOCBF2/nDpioUeHUY/W9ETXquPw2tVEwsQBGBk+JG6oNYbRVh9LI+iQMC30sZvEUwVZ/KdrdrSLYoj2Q4RnW'
    'BGnhq7MXFG/Aw6gi93/1JF3TGYaf4+B3Q7q/qnwc6gySxuiScqCJdpDErnweN754pY71rAPzgx9XmF6IAPuA4YbD3iNEzbz9WCNT'
    'PLw/xjmgEHMd7Efo+D6cr96yn3fqO3cq+cirPlb/8v6lRyP+07Vx17UtAU3vf52vYTVD86ZRRY+lXFygnnPQMSbHEQnpVTpzdSQf'
    'sX0q+KAbbp7x26GnJw2WIRKN/pq9SJXFOUlv2oukbz5TI6uWWE2wCM73loE8h/2PKbL9wDAqftTNRhXwXQJtrqkw8aYp2TPuTiIG'
    '+g6YqNGY4vbHThLFT77gO8fIK5JWqegu/d1a/q2QindRp/MHSQJNbrSSnfJPheuvRAb2JPJvuT/PLH5Jl/poCOacXbpWIRZIURKx'
    'v6HOFGkepjIdGLkEQTMMMxqjT/G1vplPb/slCFeZohMIiIT14Kgq4Wxn2DiyeFhRbRoknTzCHEub4bWyZFW/QwPQV97VWrdvAIfE'
    'QhmjC5GEwp7RUzqxRkjn0KT+Ly2inB+NtogQWmyqUtttzVH0VuJlhU4/SNX78YpXqgT7KCkbo7vfQLptNY3c37lOOLnE8I5XgOUF'
    'CsZjA/CV61kf29n6LfM7l7VQUlNaAKlRFYHqszzoZhnT1SZuB6dX0qa+SFrjpokp6SL7CGS2jbH+kXgOmPv0bVXBIvCNh+qvZwph'
    'nnPoGl7qJAoTTwhu6DcCRcp4T/Ijd5Bd0n1XkncevluofLmTYgkpb5TdHT54AudB/6Vrw96g5Pm59tuJ18TKhpVxVosllCW8k1uo'
    'ZgV/5ran15u4sPrCqat86uegak7YWvj5eZUqdSuz/t1LIJIvVXegaBxYd1HW0D3S2TI/4fdKa40VZyHqT2l6h8hBmAq6Y73q/gfZ'
    'SBe7qAV+QfGMt/T9Jk7wuF3+QlYqDO0+GcvJuHdgwOEHq6kbunjbZGTYLX03lPEFDMDuX6B/7AjrarcFYRNRFOMueFRl4qp/u+hf'
    'Pc+yYM/3FV1cD1S72KaSSghnl2j5pMYR5ULPfw+biYFiqlo8bXsVnn21b5oukx7bKN67ddxVg6Cr30a5t5VAcLBYephPMUGfM2xc'
    'nCqAYgTTOhrLbJnfjX2ioRqPFwm3syYm7ENf0do7N531eBbITgZ2vUp7CLXZAzIZLaFI3V9L+fIvb3W93ZSkMAAdxvp4kRwFjFcn'
    'JeRpZsHHljGXYfQCS/2Za95eEcjC2f4fLwe8spncR0U03El+Nd+CyHnvSRPL0CHsWFSsZxniw/gZfp2BZ2QwpkgaUrgfR7Rm4U27'
    'nk1IH9WccDGehoCMA0HPW9UhQFbznM6d2+BrujykQ/YYfmvYuGU9itnS3/8A0TCE1w=='
)), dtype=np.float64).reshape((1, 6, 3, 7, 4))
expected_grad_weight = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNqFlHs01GkYx7FsaXJp3VVGN5ptp4jKZTS/d0yTy6ot2pRGSYmyEckthqx2meSum3YZ99TRUGNGNL93NIRGo0SpqAYjjRpKlI7Z'
    'y2nmnB3nrPef57y/83zf5/k938/7qqj8syZly04/PBL4Ex75d6silal8/f410uT776cqy5OJSdwK6cE5OYdzFPk4krF9OaFZSS+l'
    '/Vcvpb3oq1ILbOgkTkzuHhqWpHDl+QlMEwPcwx6opJcp6zdILwHDq+48Z3rrVa6JH+Te5N+3FyUg2pZ1jPr8elS5/+0/QrdHHGMg'
    'P8fl895y8iI74mATqYe3wBakmZwNYcMB0EPpF/4dodJ/y/7oqiqyPqeHyvWmzCOc1RYiEB1Y9vBT9Adkf6HagrwEGxKTu9UlSNQD'
    'lPufd8S3m5O3Byrq102tfr7xOFoU3vFrGGMnVJrvjFi8EyNm2xcgkfUee6oZASjnSlWmCyJCX49yKwt0r6Gz6euF7U/vWhwGSwob'
    'wl3C9aHjGvIX2S/vkO8a23XR707OWr8vLLm4pVIPtrZ/dm+TxcLezyFP/TdQ4d426UNjdqPCrwyvqGsfKi9x/+v7TP895+qqdq+/'
    'SGwbb98nmbsDkc95qkif+fw4Dfy//5Oyggc1bphlr4jklXsoUtUgRb5BSqnXgewAoFR/Bj9Zieucf7XOQrvKbFzfrd8OGhd4vTkz'
    'aQSPGU9j9ewjEaW+ZX29nbfG1nQq5rzbc1A15PQU0b/1aamunxQ17at5InAsQ7QcVIWUpQxUmZ/+Hht8PH2OYs6sccmBQdVd0H3T'
    '0pNWZHNgnJP7wwLPYeg7bTSvylRnBn/591x1gkCIgt+Cs05NHf09yIlQFTOzy1lgNv9EmI6VUVU0NIR/fMjBQgVMJGnQUyR/IOuS'
    'JiXBLeRZ9RH66oe28tKQ9FuUJxWCdTDEWrNa4vgYDGxTL2zzy5uVn4p0yzis7UoYRmQYz1M3g/eHoiaM6k9Aj+wiurDme/hni+bz'
    'IYc6hOfUvFwPqZvBs89L6yKfAEuFr5ze1HNRdB/Uodk+8EuuHVfZX2V9VIfZe3/XUAUnIpzXqaxYHrz3KAk3KjZXqjeDN5pOFkay'
    'jTufJD9/0DRiFMuRId2YvQ1MI1vgMDC9PrrvANhE9XSqffACSXD1cMd3jUIXTAktZYUa1L/aITLhV8PF/BZXHL8aREd2+y78tJp0'
    '3rrs42FKIJpenRruudgBeH2msoN6noGIrRe6Mqil4HbgpzYGrRSWkUcyxRohoNhA6F1v1gfzjfhddO8JmHHsgcVpHzFo1U7Ygw8e'
    'BeydRw/dGS6FbnGWemR0GUjbVfjyfPBb6B+zqfPLkAa6sYNVPcIeQzEjXfijLDriZ6BGEw8FkMqXZMzfsbFAfg9pJg9cmncEXyKu'
    'vBHfoTJUhtzKx1mWxvujzApOTKSzD6B79vMNTwSg+M2UaGFyIWzKWaZylSBUcHAnf/yEi4EGaVFndiPTKg2+Sh1s7T2UDaTlvHT4'
    'FAfsCiPNI5/xUDsDN7fFS1YhxNjUnytOMxT63C3Yy3m1YVAtv9bN7qA1zLGrKYoLNAReK/AvE6l0cGPS4Wah9n6S72vPEG/CIHJz'
    'fCz0xQY++MZ7bLJ/w6MZPO7qL4zjmOvz5P5p7F3ahnX4Fnq3tFE/WhLgbPycGqvSSmwiKfgr0NJ5q11ri2jKgqXTGw8js+mtVi1k'
    '9NJXyd9J2rB6fuVayj5kKjZ2uaYgjGtjTXQyJDDhm7b9wZla18GcU6LE2PYVcDopXvj6+l1IZyz6QGUWI8PJ4fY1bAwwLF3e1Du5'
    'BGLMJno9tEJ52CuvcAznWHAb69a4vnMdzAN91t4/mQHz33fitKhGoFtrEeJXMYCMeWfiD1wfQLsJnyKwA36wcn5xYvvIZYC/GOHr'
    'rvESrD5IHnUUvUcvumZ7umaPguucKz9g61+gx7Y9rthiygJWu3S6ok1ZsKHOOPcUYS0vPng4VOySjaTV3uXvuPBKMUdn8Tf3uJuT'
    'kbmZViZvrWrRbSwdvX7sfhAj00106sqD8F3pW/UtQTwtYsWFkoU2aIywEiSwxIp7eLQ5xnVrSQlSQMkln9GuRtWPDVj13ZVwNeet'
    'gXPEENG3sD27O+8caHgyP82RwUYFgtEUlkCg8MEjoO5MTtFiUJJh1MCPSUXSbwT8RhB8CwQEFsUgex9sp7LjpONnkap7R41GJGzu'
    'Xx4qijc='
)), dtype=np.float64).reshape((4, 3, 6, 2, 2))
bound_grad_weight = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNqFk3s4lGkYxic06CClRYVsKoPkkLIs3/NOCKudlKUcKqJYUQ7DbkzZkMNuNQ6lI+UYqnEqVmhCNRRbM1MNaiwxYmRyXrkGe7jW'
    'd13xx7z/PNfzXe/vfZ/vvu+XQPh3TcygxUmJnUmT2H8tYTCK8P/3/yveb6uylU8N3o3RD3rdW3jmEMzuj30m1TepcBG+5PFz8L5a'
    'OZP8QacY69lW/nPFqb34facm9x722pWPJPGKS3L6xpVWkfvfyjczpjcj92VZX7+7RoG4Ea2upaJEmDu/y+3vKSsCe2D2HIugGsGD'
    'X+QxQZ0yaamRFDJdafBrckUZytjin/tvnctfTtQa+OgoxGZ5D3qJzXW3EiT4+my4Nr0O2vPOiBLvLCBvVfzDlf5rwbz5L3Ckj1/v'
    '1UGzfEUtX/V9uT3cNj/vaX50A5qj77wqu8nGOTQnEMp/3NcbGmMC9Jvn71iFlID/500nV+6NAEm8QWN7OanMFEWR2EWRCe8h167l'
    'dD+tGmqGOI5SwfYS75cjROW5X/oI65w6Lf21KYh5jna3cb0eeimfMdXanoz/73f1mV2r025gkvyj5Pr1rRrxxWQN9OipF7+ZnX9m'
    'D+u5omH0Tgn+T8xMNipqB79vwJrdE2mPC7bh+7OeD06FnDWRmJ/gqmuFnTRPcGkefRJepIlW8FwTdlUKIE50K0V9h828/CqI2TvD'
    'HbJwnZuJ9JTxoQZMSzuVZVZcAw0UnsJN9TAg9XAs24KC4Mt3MxhF/W2i9kRtK86LRok7qgo2oqi+JrgWOQB/Zrc3Fr+tQOyqNyxu'
    '6dgcfmImhjk8wFdzxH06d8t+LS8gH6xVA/vrknwk+nc2TKHUrmIneFebaVBsmoGTTN3gdzcAFioRSLm8FRL567+5B1GIB6Drha6y'
    'T500Ghba9TqO5yJ2eongnMdhibxMsBxpbcIURDd97i/f0g/SVjk1BVetEeFE9qDflglglokf5j2Nh5qwYyNKz+Ln5ZnOKkl+bTKG'
    '++J7fmvRs3U6sO6ZW2i3jCw219+5fHVT6PhUjiWeC+KZJTenmUloxofDay4TSeR7ZeNVDi9tw3nS1maVBmYT5DikqERulUID8WqZ'
    'CUJj1GW5fk3EKQaMsFpertZ9hHr6s/2IIS/hA5W5J1PqNHLi6NgW/VNZDUc66peL0TuDyNJQJwxUzFJ6ddcroWJKgzfJsBBRMzwO'
    'SrOoiL+LFqHvQ0WUNuonD3ULJKuq85S/5Q5KSJFfTCY9QT4y3V0juveR2IcnSL/MRAH2PNvHj6nI9YBMVWbPEOg/GU53Y9UiPXKZ'
    'Cpf4CtOvlwazmFr4k7w7hqXuCv4+rYor603IjBDnS16hgbjuReE/cJjtflidYoSaVWEYJLANoxsKjcCPF/VC+z4JpQY68InuJrAk'
    'TNn5XN1x1LgodoU4MB3PgWVnR53DGi7KL+VlEcLcEAS4KR0s8UI72VNU1Y9SqGP150dcxRsgvmNmsTBtArvslo81HAvB+bWdDn+F'
    'jSNEZ5/dT0uYgSyvUfuvHLthmmHx5nmOB3rwe5CL9X5DshXXzLV04z24FdtyvtA8FWmMLLxeYJ49L48Xe0zHvrN+j/un6W0/WLn+'
    'FVSKs5eZx8ojSf63ZbQw7GSW43zIkYHtq19IQYfwkWhVoylI4htHH3HV/5rA86s1XKoLUfpwtUyBseuUIzbDDdf9ZBGFhOmCtHTV'
    'k6gz0yXSv3IMavr1QgMOpSEiLFm+sp4Kxg/HNR1rWuFExEd2vv0g+CrX79FUtSRTDlydFt+3Q8VVlbtJFnKIMUWrr6ENgdaFb3Vy'
    'XcfAsURkG51ZBieNrwj5t8qA/9bIPs/UEKlbflKLW3sUuWC90w+Mi1AS6A3ZytVB/HCI70QbE1Ub7K/lODMAS1W70Sobi/juZqIm'
    'uVhU38bf0BJHIBNLFdS5GodA/FPyYo+3xbiOr4s1joZccALvVRc+RS+4CZWMaKOnYYZoU1C5YO89H3Sc6D1ZLtpG9nwZU/tk9wIg'
    'C2WNNN+wcR2vVBm/s8oIheIFec5U3dOgvsZCgyZdjfUtP+J2ZTAFgmhHfK09D6PuyOAd8k5xoKLWrh8ndQ3nR+9/47r9nRA6uNpK'
    'pjf2QZ9NzmeO8BUkePZ2X1m0GZ14TpcWKHiAp7Tah8q0OOxv+dFZoQ=='
)), dtype=np.float64).reshape((4, 3, 6, 2, 2))

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

x = placed(x, (504, 1, 168, 24, 6), 0, True)  # layout: channels_last
weight = placed(weight, (72, 24, 4, 2, 1), 4, True)  # layout: offset
bias = None
grad_output = placed(grad_output, (216, 54, 18, 6, 2), 0)  # layout: strided

def conv_call(x, weight, bias):
    return F.conv3d(x, weight, bias, stride=(2, 2, 1), padding=(4, 0, 0), dilation=(1, 1, 1), groups=2)


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
