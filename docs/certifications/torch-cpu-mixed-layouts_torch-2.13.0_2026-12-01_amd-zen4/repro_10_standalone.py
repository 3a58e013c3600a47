"""torch-cpu-mixed-layouts: result outside its declared bound [forward, float32, overflow data, seed 1073741823]

backend torch-cpu-mixed-layouts: convT3d x(2, 6, 3, 2, 3) w(6, 3, 3, 1, 2) g=2 s=(1, 2, 1) p=(0, 0, 0) d=(1, 1, 1) op=(0, 0, 0) nobias
dtype float32, overflow data, seed 1073741823, forward
convconf config: ConvConfig(ndim=3, batch=2, in_channels=6, out_channels=6, groups=2, input_size=(3, 2, 3), kernel_size=(3, 1, 2), stride=(1, 2, 1), padding=(0, 0, 0), dilation=(1, 1, 1), padding_mode='zeros', bias=False, transposed=True, output_padding=(0, 0, 0))

Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),
0 when every element is within the bound convconf derived for it from the declared accuracy class.
"""

import os
import sys

import base64
import zlib

import numpy as np

x = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNpVlX1MVXUYx39hk2Yrl+ILjsFZpc0XKK4wN7baadcXcpoZamZbO1pqW45sRrYMODEm6qKNAhw45uEtoLyiSICAdNrlIgrqDfVG'
    'CJdzVQhUwERLLql1Pnetw/3n2e85z+/7fZ7n932eK4QQsUGdzn+Nst/1o2nlXc6/7KadOeuWadVnz542rXTXP4ytdY2ZcVqfZ8w8'
    'a2L6Ke7PLeUsJywhXmy/dJ+41EMXwPng6DnTKsl760y/7nvpF9OaP9U8v/byMDhxn4zAU+E7QXxtvMP0S8UrPeAVeLu5H/RRC3yh'
    'z3UTt+bxLvKZ31hoWmNFWQN5TF/lsPIY7xb2m35924e3uReb0kF+GdNumnGGb2yQe4OVOv4Y93XTryq3f8O/c0slcZGHv4Pv+7Bj'
    '4DT9eZL4G/vIU2pf3sv5UnUf9/oaSuyWPCRbWT33K70u8kuzldL/9EkD1PVKzgg8uS76psVn3gEvbxa8StZ4FXklLTtLv3aPD9CX'
    'HQPUq4zaDPz3n6zmXsukXuJD4kqw5SHcFzUe+imtznoAz9CqK9jEr6/Cv/Jb+mu8GU4/lRnBPeDPsLnAHw7zg5dfc+6/Pps/6c7T'
    'pdazcjSxmfobU68R/3FCI7yenbybcXlXMfW/4a4jzn/tIf4D9ehTdrZ1wPt+yN/kFWHvQg9FrVXEF7/zA/GzF/P+Us0ZvktXpvCe'
    '2uSECxP0VrXvD3Cih/vBDVl2nL5/M06/jXkFRdSrxV+GP2Wzjz4G2Y6A35c/Zq1PhI7zvvLQ2lq+L9wzyvfC1+m/vHZKp5VfG2rv'
    'BL89Swd/tLeBeiLbAvlkLEA/yoZMN7zr8++i26iT4MtfbUOvWo+3Db7JeYH5dM3/aYLOdhxEF1rH1Fvg2jx814KbWqxxinA8RD8X'
    'tzK/8tuhrdb61PBU8hHRCeV2i19vOob+Rfa6HnBjXg3gbv4MXYmIpMEJfX9qUzP5TEtrhyd9Du+jb3zrETa3iLmTlyY7wHlsPTrR'
    'N3jv8Z5b56Afw/0e+pRzHp2w5qMemc0cKknnwVfvLae/xoEy3kseCUK/akQ49RmJkQb5HMzwwxvu/xW+/c+7icstaAXvzOKb8CRX'
    'aBP6VlaB/oywfi/xUoqP+7HBxMs9L/zO+csc9GAkz4RPPryC9xfKDfadnJbu5P2yii8GdDmPuvScPPaBXt/KnpIWZdbTh4V29oda'
    '/b8O2W+LPh+nnhfLr1r7IspjGsF5Zl2zNX9N6gJXPh/lBPeJucyjWBrNfhRTFxzHL9ehM/3UJva8MFYH5ityL30yft6OLqTslkrs'
    'kk+ZEyWqGx0YXzjYI+rG7MBcPYilP8ohJ7zy7i3oRnXbBwP7No45V66rzL20x85+kk/n8T8hbCUd9n8Ai2YUYg=='
)), dtype=np.float64).reshape((2, 6, 3, 2, 3))
weight = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNpVkl1IU2EYx48WUYGJKUEEdgqELr2rEOKgSIhXfWIZdUildVEQJJWMOhRdBNZFBS6IWklaOmtGXyyyuRObfaytrxUV87jZkqlr'
    'OjWXo+X7k+j0Xpw/z/N/nv95nv/7ShJHE58t0dv6LNij+75WzKJS1vBSxNJR7YNArXDVpMhr+wOeCulfn5KrDQrefTeVom5UC+om'
    'Xl5W10M+vxFddWvE/7dfHLf1plfwqiWT0M35y+UjxDZnu6i3V44Pg3vuZ+mvPJdh3kT8oUB5ebZVoPK5alDwxslHLrDMERLojs0f'
    'ot7a0s9+ZwPT6B/q6RKx7DuehV9b95t5PtnS6I7UzoDhhWH6WiOv8aFpgwPcvmCAufzr/KLOyGpO9L69isHnXngOH7e44N8WfSR/'
    'IB0w+yg31fSiv/s0fssdi9nDfb3vvdkvdaU1iZ+NxW3s+3jqO/6vCfrQn7yHn1KsZoK+p3m96CleL/5HrrQTS5YpdEoXDRBvLnDj'
    '197yub2GOqfpjz/xm+9TylvdjU/NEw/Ys6TZiV+nHLwD+41j9Ck51X3gpbFn6CR3zRDX72RvpaPgF3lPLfdsdI8N/+fH+uQb9Kpc'
    'o8yXKW3DjxOxCPUv/HZ8/ZK8xf/Tqs7cxQdDzLttUwp+3vl+/Mk/go/GmUL8kOoPvyNWG3ivRoktgT9LfnbhSzQ7d29F4TvsmRMc'
    'Z570Uh991S3wqqeT96NcDP0Ad1w16N+44pr+BwZxFoQ='
)), dtype=np.float64).reshape((6, 3, 3, 1, 2))
bias = None
expected_output = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNqF1gk7lWsXB/BtlggR6qgolTclhBRJp2FtISpFMqcoJTooDdoqQjhkOA5CHYRkLkOZh/XIkGGbi23IuMm4zbx9g+f5AL/rf/2f'
    '+173otnEzLpUT0LspcDg6icrmFhCCLT/VwuMpO5NFIsMpJB8DA9u3TNGWWja+mBOzK0CvA8PN9za+Q1k3xHP+JQqkDLtVH6jkA5R'
    '4Yodo3Q6avIx2ZYt+5HBzPhX+HUWqV8ppuhI20MHLda7jV+KepHqYp2fcvQzeh/lCSpfnwuyJoN3bdunIbA+VMlTaxjHIlq4BR7y'
    'EqsyjXGW+9mpZH5b1z0+isYc7PY0s9v3uhcst7Bi7NvYCO7NfTFGJ5aBxjgvIa02CzrfC801axcw7OpPjsci3FQp/ohtas3JpPnn'
    'w+W5rlgNYHbELkX+V5NwZVWhsGHLPFSuv7eULbaEBk9n15zjpqE9/Yq4T9gEqNXQg70tGego83eaB+8IqU95fT30RD+FMJXkkTYb'
    '5KWm2BxuWSaakNf1oGoRcwnTR06EJu0n8M29ePrFj904Uk0TVt3HABOpAN3WQ/Gk/sLMPH8uXwUoxwbffWhaCF4xsYTVFAHU3Pxq'
    '7aJ04B02OxaR0wlHWuiqsduGYd7rP+VS7V60CvJTfDgyS+rnf3TV/PNhDxq/rFXo9J3DKUkP1X7iF66Mh1I42Kbwu0ewbHsACwIz'
    'RkuT/+6GRNmOBwN9bMSyms7oU75+IPPrP9j9j2N8Bv2Krtfs0eMmfJ7Ax/+yJmD6sPFzla1c1NzrSeZttgNwy7XKOVe/Dset9BVb'
    '79MhXCF4ySeimtRP8L0dFUYbw3SnrqaR9CF4UWbmn2U5B6np4rUrv/93fWn3cA1PMRg0veHbq9aIUuIG0XEebUipOXxh185o8vtF'
    'O4ofy3pRVC++1PDcEMTqPF/YJlIOlB7viy5+BGiJDZzzmmaAn394On/GEq6mmOZhVhPOjxDNLtmDpPktNYedNqY0oLKlpCd1xwC0'
    'B4UNWdkMgV+VYW3SxkpIFHcDMbE+mDFvsvjqJEh84NlvP070Q3F/kMlSRhqpT9sVxzPYEQuf9A4Ic5lNQ011rX9I/hw4P9rjM/N2'
    'HOUrWpVjiFUcX23ZmpzHSVTDZvl6e3YiRMh8TFuIRdrPybufuA4KMEDZID/7Yu0KuBz7+vP50RkMa9RTzeldQBMf0Xy/4wy0LNcW'
    '7ohlYV1iWEimhTBBub9V2TYhgbz/F3dGPM3qkbor3PfukX5Mfe/Fl3tmBS1bc1sMA9Zg75V9Y6Uic2j9dnzLwgofEX6ae/NpDTZC'
    'TbTl7GJ8K6lP7Xc/qWk0C1JzFooVP0oh/Vem9uK6CSzWD1W6ETkAxQp37OUOJ8GHX54QrjsLPEq+QXvrR1BN10fOf3qMtP/oIRHj'
    'xCAmyHKV+9GvVaKdG1hEhpdiYnMs7S+5OfS8dOeTQRo7oTktotO7uR0ntl/mvbKzD8M9/ncv8Votqe818E7yc8AA2HW+FqTNDYL8'
    '8APXq4tshPVf+dtmzCdxH3Prh/yIWTT7teeFcTYLr5jaFKxzZyNkB5V/Jlkvk58fjutvGpMTwMlNeFxlvgHGTrJQ/9givE15erDk'
    '5iCmCIcGlYeMY4eS/Rda8A/cJ/C80aVHiJhYx33BYayJ1GeWqzYkHB5EZZZAUI0dHYTS2OQa63OA+5Zd5pfYTdQhzQ2enLmlyDhf'
    'UHjHqAImLSdEnxRQCNopy8if9zgIMt/uzruaDddzUKreL6rApAvLd6Q+OrauESkSwx1X72ZgKastbZHWgV2FY9t53TiJsErf0Zf6'
    'E6jWO9N8XXKYNH/KqaGjwfy/50GHukX8u060ibTKUV+sA2rb/cl/zg/gSevQm80uv9+3L2WckZI8hHFDQxz/iXZ012HtGDYfIu/n'
    'Np0h+z0L9PlFIjrVp4BgOp15NlOBmpn/qUxFraM2FX4W1xRthyk08lh2pWOU/JLyH5dWcY/gTU2ntHWk/Wg9M6rZ3NYE7JcH1KWY'
    'jTjTmpyr6zOJGrv/OT/H2YMBP6L3nuqoBZh5HMReOgicXzS8ZISXIHq3iYePAyepL/CB//3XK+3woStAbDChFbUerpTqmOcAVTfW'
    '48cmFgasZrFveVOD9QHBH3vCm2BG2P6Xl/MiPHKe4Cz37iHtR6GCHvI46D3a9kk865ykg+hG44+vzrbggW9Ls9FrLDD91iVVbTMP'
    'LeF+V44XloBWgM6JW09T0HHVfuP7k13k8zn1kszCpiTkUjEwyN0+gxpefC+PSXbgiGD2JT2FXlg6yyh9ZsKC4gUva7/NZXCt7D2m'
    '75zHsdjqpcJ15OdHxiN8mNeiFnacFmwW02PgPonpTbbsXIT5i6gHb8+uwdU73y75yw6B8fiqV/iGBPBuHm/kKKzEbtrV5xlHR0l9'
    'Tqd02omCPhDZ4B1p4ZgFOVcuF6gdZyecDJutLPYNgilL2orFYkDmkNMNzqdV4GwVLL6rbxRpuWoS5joPyPfDDp7IE1Ffwb3JLPgx'
    'owGSLHJ0t/7Rizv9F+S03g6hwcTBGpuj/6HvgUu7q6J+501/mRZ0OxASb/PIuvfWkPo0UbH7GcJP0NV85IvAtiykF6bqby/pBeNj'
    'sYNntdNB63vRkUeusxg2qrfwoJyXYPCb+Z9n7wVac2D/xiPk76NW1M0btqp5yEU5stlw/yrsd5BRdBBgo/LyzZ1TWfmBUlqBn49z'
    'zgC3NFcvQ3IaFBbE3n706EbKhhJj321+pPmFRA/WfGPkgrPbJ9Gf/1IIjUAHCXDqQ8oLXoGCjB+ocFbHFzTbYdkuRDYmRZDKa2t7'
    'ILS5Hesf/SEbbf6dNH+UITeFcz0voS9OlXpiJEK9bFzHhZ83Ekb1Xp+Di5eAIlZkahbihBMJsaYGLoipvnrR814jSHf2Ec9UY5Dm'
    't2zxFOkO70I/hwxHgdFZYA/hf3JMfBYeTnbm7741j1omf8tFi36F8xJ+WZHXKES621oTjb8X6IqdipSpRdL8FN3k3X8n5WHgsuyN'
    'G1saUTlDyEaVbwK8D/mkcE2tIq/z2vjIcNLv/Vfd3d2tD2611NvH/L5vtCrrp2HZOaS++x6pHI2MOkg3aZBTiswE52M/BaU2VeLB'
    'Zqsor7FxLJ787vaPXjxsOVt31XV9KWg5n+m10s5GIaHZwdXUOFJ/IO7aRU+VGTSirP25YbQbj7jprOR1VONJszu6Fa/aodn7GBt7'
    'Sz+YqQSOnAtcBj6NUyVZN2ZQR3JMBXN7SftXV9EJ6PJawBnOWsDuFjR/G6rotEJHr7GQW1s9KVQa515uE7FPGHjQu8FdeRnTJrP/'
    'tjnGTtQf2jrZsPMrqV88VRkhk9SKBtKnU7byt4CN453Kh4UcVJldN2eZAj9B67ZX1Y2MOJTIbJJLNJhC3ryda0vWPag1dNtZY558'
    'ftJCFK8bX8vA4uPMtYgbn1A33D4xK4UJWlaXM8yiv0FsZ9V94ahkKH5SfkaoMBsofz45PpxcibT4HdYFvK9I/YgR5drokl9YxurK'
    'bhHmo55W9fGsHuxEirqc/mznB8gVUdUeiy/Djg0XXXnvDaDsjPH8yW9VYHfIm3JAqITUl5IOM1DPJfBL1WnLF2nC1JqLWSdsYxpg'
    '08vBmoSCeVQLK2gzM8wDS/dUa03VLlTj/nCGvegnpjhVGNoMTZH6R52nNRt3CFJH3u6N6n7MTvX+67TnxEI3SikOOIimjaLUjYJ4'
    'e5u3QFu5uTS/WoW98gm7wutn0ZG5bufHkHHy/jW1jnMLV6BvOsROdc3hV6p7zurDBVRYSNWuPjUAElKcgUc0O1AhUq80waoZXcoc'
    'cCv/FPiusA5pPyDPT7kpq7HJMA0ZJVxjj70aoD7r7c24szPAEAzheeXbDYzdDLcAvhrkjs+yM9+0AqJv/Hmk6UMoEao/F6FYT3o+'
    'U5Y92FYqmEhpm13Lkr8OsidaN2+ymwTK7ZeBL+QzQOiuxkBnzSg0xwVT/O05qOUKxUUf2HvAQN533n5jJqkvdtLjwLnORcywaEie'
    'tRhD4ds7Lriu9IFpkZbhNG8jGCj9yJDQXMIZrzTL0S1T8N5HSaOvgY24LzViPZffQ+pDZByHp9IqXvZ01fuJQtRe+H5VSIOX+Evp'
    'x5TyGQZYbP4m++vuL6gbvZpp285JFFevcgTSY1BWR6419yyT/H35R+nbgYuNwEoTLRa4zEv1O7Hhf4Kq/ciRkq37hzQLi3dwwGHh'
    'b0CxOD5xO6sWqd2Xv8ndbkNaadL6UqFV8v2nWNjCYS0fAWTs4lS5qGPdVs37V4eRtltaMji/B2iXnsSN3q/AkQ99xft1eKiMdcJn'
    't91MAYU5n1MOt9pI8+d2xW/uScvD+niRhrysRKQ453ZH/8VJMDTL+narvoequ7KbpXdNopLol3+DtFcwwuUgR0XqGsjS+ZlRNl2k'
    'fvDXGOYzZicynzVoOakvwgWFRPOFC7MoVaKnM7c1DulPDZlJbmxUc8OILlmmECGfop5eZ9uAJeqHpgVllkj7OX5K+O2YIBO3itt3'
    'dHlyUacCcxhj8t/BiGk45fWGnfpAkDUa9LIe5yXmL5X9y049muAgDkMryOteIiJgOk2av1lrO0edJwufP9ubqTbcByWaG5+JvPwJ'
    'FOv3QQ9fV6NlhdxOzvlqiC0LDX2/owscG4N+qLYugIJ7cnK9Ywv5/iPy8BozNxZkr15+ofGYnfiER8qKL0zCmcZ1gjkH21HDpNj0'
    'fNF3HJhxq0xt7MWh1c7ZPffb0eCAwGnRyjpS37tHqdTDIg77qG6PDMO5qZTeRXGVmJvAyLa3YpZ6QfravnrJvmnYPiF+wjxgDEzF'
    'j5h51U9gbM+6nBXvSdJ+rP13RpcolWNWsI3UOA87tTbBZVrm9RQO3Xq9MFq8jHXbP6oy6pqQObqxyzF7HjdcVCCKzPvgfp5674vs'
    'efL5+eOd7ys6E7kFPku/kVwApQO7OiOmx5BP18CWldcCloneMg/PV0OKqIPpZ59ZfKFtBGei2YjUk8UcR8vppPkzB9R4l9wncFux'
    'f9vTQgr1EvfTqEruKSwkJBy3qSBsU7b/In+3E+JV4o61hY4B80mc7gPuEqCxjTkm/ltOml/29LsV6oEJtNTHiMH1/aBUdzilQKYS'
    'Hc8tViy5RcP/Aag/5gg='
)), dtype=np.float64).reshape((2, 6, 5, 3, 4))
bound_output = np.frombuffer(zlib.decompress(base64.b64decode(
    'eNqF12k4ld0aB/AkjUIaCUWRoiQZI5H+jVSOTJUhKmNmRSkk85ixIjuzCG3zkNnebOM2jxmTMVHofYnjOt/P9awv69vvea57Xete'
    '//uYRSLHrbM5ONkgXlYyXI4Vwbx9GS+iwOtxo1CeyQfr/rdaJf7fPgr9jzzHnyBSzTDCxj8W6sl7XSydk7D+eJ0TvTcETReHEjxN'
    'M1Enq7l4YB0NAX/Xyb1WoeHKF2H/a7s+Efq6izMxo2ax2Jm/vBT5NAPhewLSg6k5ULC902NxKw77+ReeuCTT4WOSLMY+2wXfy4fF'
    'B6taEfJMmedCSy2hr7XZRa2Zi45DDt78MbGdeP0nt+M9Yw/M5w7pxqfTUNQQFHGlrQzhFYtum0/3YLu4gM4AVwf8bY1qX8mmEPoH'
    'OZ4/iDDORak4dvwRoSOBVtN72paKYb/nl/g9q+FyTb1xyqUEdhEMjgwNzcgNMzC99LIRtY5fFVUvZBD6nukjv/QnKQjNt7VO52qB'
    '2jBH+eE5Gow9n9b/sSnDvB5dao+0P+7vGraxG4uH8CYzMVVKHKYGecWq9c0JfdOqeUYjZW/seC4Q2PCPKzTrEtadkniN6bSCXW9v'
    'OGBhXvMk22A+tjrLdY/+LMQ/RnXGj1NLoBUbedHZiUros8y09/A0ZOG0xovW4hOlYNNS2e/jmA/zaD8z6dMF+PZzMOLYlyq8Nqe8'
    '3Xe1E3lPXJ6xNDZgX7TaeVcD4voMST77yvOyFClRi7VZT+n41HgshlZAxfQGtncHNerR45Y1/ZlSAP3HCgKmUVRcZei1uihUDAbG'
    '9l0XRkmE/l+j86Q+i0JsNcxzejuch/ndAacjThSD9d1wKqm0AFLyzc6rbO+xXURrTlU2CwkKK1dZg3KRemDl5HNhYr/7W+RX8dVU'
    'RHwaum3Dmg9Zs/rmM66F6L5o++f76nuM31x8YnwyHgfC97KTUI7XNn8iRLJJYOSLO5t1NY3Q36LESd63Nwxe23y7LKNz0Xn1dujz'
    'jkycDd8hXBubipUw/3qVvjQIhj+N1s1qw8IhiYz1MhQsCwpOtVe+I/RFdM4WHteMRRybogn//TJs8XuYb7+xBP7dM9qUczlw6Aw4'
    'kWXegEjqZDiTdC/Ell6QTu5swaSTcL2zAI3QTzia6vampBTP6Q8+PWhrx+6VHX2TO+nwemJetI1Uid6NU2+4mwox5TzMp+LZhdEt'
    'r9lXLnfCsptvWHd3HqFfWHj+p94EGRpjuyT/o9sGaSHROZJuPSS1chsGuqthR/Wty+4sQtTOu7NFX5vw3cXacqKMBoN0LVqEWAKh'
    'zydpIRNYUoHAq3Zxpkea4H+MWS18tBLf9uX87HySg5s1j4UkBrzgaRb/rZ1cgBiJ5a8xQzkw4LayYtqZSeg7HFTx3trzGbYb3CxU'
    'Y0n4a/ezI0yHDIX1OzxUF4qgyutXHH+sHo8e9ujv1K8Fp9p339B92fA0Jzuw1BHfL/cojo+zBz5Dkfx2niOVjN0dRQr8Bi2YYC9R'
    '2RZSDZaNVx0M2atQt2Jf0bDajci53LHkuTZEXuHsND9YTuhXq7rzsiIG7h/tmbg8aCjXmzTKjO2D9rWe2DMyzTi3L3js+8zae3D9'
    'PLNMSBM6VjuPOfN2QK99i8/MIPH5WgwEF6ZsTsO77vvK5y+QcW6adIl9tBrdU5NRzrL9+Fd65N6mBx44lmY8rphRAl3GsocDU5Vw'
    'Ctgv6dZJJ/RLjnmlhMg7QTiBp0OGPROijtJKCpFk9N0SoHMOfQTvmdixqEASTsRfy44vqIN6ZoOxpUEWDsS39rsapBP6d2vMP22+'
    '7AtrqY4JobEP8IvjSo5visbo8KSM6Hwhzo27+bjNlOFv7tKocQwd1ePSuYNDZGRxcwe9XF9I3D9D5ATmdVyhs1FdRfTUF9wN4L0n'
    'cq4McRIHor+odkHxk6WzEnM6vKwvz04t1uLMe0MPjqft4O8SKl350kboz5Lq6YfqEzF9wvOShnUxkrO1I1h+0zGS/ueHUeIgNqeL'
    '8dizxaC4N5VC5qHBjtVCXKCiERvnZinHvWsI/eka3bngRyQ83h4dLxxKxnJIEQ/rXSq8tzytuahXgcLpSrk9Vq9hKL87yud+MrY6'
    'Trb7FlPAVhaZsDART+j/mtvCQu+1RvOpNJ6pWRKmTj2xlR56ByYnAdtvml/gfNtSeN3zYrhE3TVTCPoAi/XXbmS3R8Llx5zq1EQM'
    'oZ+ubsM2z+aGgne3FJOO5KO/cve7Ab8Y+E8EyZfxZuHsgH/rpbJS/NS++NVpLAWD9mc1y/eXIVGFOWhwN5nQt3EpfrEgHwrqq39u'
    'im1LQO4cx10WzQYIJ9Umt6a34uOiQL2gMhnP4xUynOto4PH57bDfsRn009m/JLizCX27wBTxsNQkCMr4FBrJJoHhiLf2bCkdd7jq'
    'wqyl8mCuMSm74PcJvj+8Ln4M+wgrwZmjn1/UY+8Jvt7ura8IfT/lgAv3wsPh7kN3jxH+AI+6zi3FOzLQmDc6lzhSis130w/U+j3B'
    'FFucTndKJiTJOtSgF6EI0ru2YGMXQejfUn9NM35sge0jS3JhmZ5Q+cB3f+e2VAjp3zocd9sWFV3HL3K3FiC1J3QCR1tgdU/4YLNp'
    'AWj8qQrKbjaEvubtoLeMbi8wHM38YpNaBW6efCUrH1qDtxs1LRguZ+C6cReTGlM+NrbriP4jVQWRGjfeG515eExt+Dku5UzoF5VL'
    'vKAuhuJO0HvhuaVKcMs/U7/5LBvd3ZxLcc4ZiJkev1BypxCOuxOLtGp6sEr7xVq8rRUcJVfyqDuIz3fa5Kuz7IVO/J6XOZzi1Qv/'
    'Ozre3Jd68LvBMzz2yFofbS4QXMpIgRBVte9hLX3tvewdXQ6qhcVUUkFlXS6hv2HVu8P3QCzCFiR1uX9SEfGcxdRkZy32MnQLlBRV'
    'Y32/4IioSSz0ufgz+1pouGdGGThs1Aa7Mj5dhY5S4nz763vSv1ucIaOsvs436zPobKQ+PdUG7KFcX1LSqEDlQnxgz4fHaNM/eqTZ'
    'IQ0a8jrrNaWK4GC9fKv4gxOh/6lmSod6Ihgv/3YHT9l7wemg+p7MqECkz/MblUVnYuaPolLliQ9wn3P/cEarGDmb2s/WN+dC8621'
    '9FayPaEfyJggKBtfCh+DNK+QfDIMP6+wB4qSMfR9wKRyOQYyFZ16g2GZaFsdDn3H14SGKk52nvo67NneQCoaTCX0ry+rWybolEJl'
    'JNEhmLUZgdwx9IpJKh7/Pdc7xF0HzTeaat0LH0HZ+FDaZy2nrxinbg3dUIsZo1pLwdm3hH5dq/Evi+AoNLuxZgm0p2Nikdcr9m8N'
    'DO+R7hkMluJtobGexHFvpEtVjreM5EC7vc5xo3QeTBlElsRNiP9///QIV0axHfgbjzqtaMcigUuhjfOftfz09IfeKYVEzB/tF5ZN'
    'sseMRv7dYykxGGz2JX+5mYrCgX8f/PBWJ/Tv37iTv6ErE19Foh8cudqE416HZIMdYvDoNm3dH6Z4xI0qKepOR6Eyu/uR+XgVSG5C'
    'jE03azGb5WmXbxNGnG8vC6v2TEXBkD1Zfc6tHR4WtqtlQkWQWK/SJfqMClYpZfHA1Eyc66d4PzGtRdPS1FsGuRbcabFnPt72hdBf'
    'ttEO1eVvhbinnxLZtRWK0h4sxxhpcI9ur6rfVw1XESW1k3MkFFc+Xexnb0Trlu1V9Ws5Ivi+AZNFRRWhb59+63SLcjgYxqTHCn+X'
    'Y3Gdpa3dTxqMGsmSWoYNcPKJp397QMKrxvw9f2QrYXBG+gtrWBN+h8zJjTQS5xOT4uh8/xAbOFp1ftfckwRO7eaNwwJVyDnFIjC9'
    'Pw8yY/OeZ5oz8dDj2V89pzpkUJvYTNbmm4PnjkZHL7wnzlfaJPuSpc9oM+MoSvN+A0sBRjJDRA7Gb5cwCznawfWtfEF7cw3e8PO5'
    'BgW0YPuH+MTdNVXgz5bVIFkEEvqTJbfJvlMV4FQ/+OycWAfM792VUFitgJJrfJuoTxi+5A7uNX7XCkztMj9sNACz8cNhEYzdqM/8'
    '+V7nfj6hX7r9V651CAX1wvc0OMb74au97DN3sAdyjkY8qk3pOCcrYZxoXALmWIVWocUutJKcaIf4WvFqqr9rpyxx/+c17EhXtKsD'
    'c/fDzE73JlgaxFgm9FDxY/OWlhMhZRh2UpGrMgmGaLSYnBZnGZ4ajrDS+de+92xsk61vJaHf/ohqIPX4A0QuNPU7FtFwWPxScU7y'
    'ZyyHSnlKH00AW3/abbvKZLBfTXt2waYBm+t/KzJ+zII2SXPZYx1xvjqJWYr1Pk+wPt0cy7uWY9+s2tv820cD926noC4GKxTNsl7V'
    'Ly7Ajvd9lk7D3eiX19v00o8KByE5UbMq4nzoJZke4RUZixW7K6syR1qR9kJtuG0DBcpDB92iMqOhoiJ5SWWtL/TcPnSxc8MAou8I'
    'fwqObsOjgJc5dU4U4vkrSP9h+etCmO9sCrDr78HgL0e+ybl6ULgfeAdGVGPAU8mBvyYanJqeVRMNa/n50bz3/W/VOD7K2rRetoJ4'
    '/l1lIstcKMaSVb6J/7VGeN/Y5nCluBxbj0SRxpxSwa27Itqh8QYcNPNOjtxC/KeTg0GMtxY8eY/DHUUSCX35f6WU68QC0OfM/O5P'
    'OQ38zmMzE7Q8/NYzGiI5k6CydH79b6MsLDwcn+SsyofAxmKWa8+TURyrxHBJIpK4Ptu2xd/m9USSlXSW6dk6vGLX28Wa6w4+tjth'
    'yTbXIHHddPs3PioMJWWXLrfXIseOWSI7uwgiJynPvMRzCH1nFaq5u3sCBrni72xepYEpoM9v08NCGDJQVCiUCiRo1G5mHKLC5/hF'
    'ppmIOsQ8KQw0W7uPTUEDZ0TGifNJrrml8thavo+dFN+UokDBqRM6u6p9SnEkOcnOKysSiya0zB6XjzAoXUWbcykum3UwHnhVDTWh'
    'JNsnnMT1GVfYk7GrNw8sHO+7vSspWM+epHwqsRCknp7PzGv173/wt2CDVgz2KhjV43o22l7GfJY6HwntGGP7XaVehL4Mt+0XrjNZ'
    '2OO6/77B3Cd4kMqtEn69Bk9Z/CEBFwv8F3lLchg='
)), dtype=np.float64).reshape((2, 6, 5, 3, 4))

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

x = placed(x, (108, 1, 36, 18, 6), 0)  # layout: channels_last
weight = placed(weight, (18, 1, 6, 3, 3), 0)  # layout: permuted
bias = None

def conv_call(x, weight, bias):
    return F.conv_transpose3d(x, weight, bias, stride=(1, 2, 1), padding=(0, 0, 0), output_padding=(0, 0, 0), groups=2, dilation=(1, 1, 1))


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
print('torch', torch.__version__, 'torch-cpu-mixed-layouts', 'float32')
ok = True
ok &= compare('output', got['output'].detach().to('cpu', torch.float64).numpy(), expected_output, bound_output, 0)
sys.exit(0 if ok else 1)
