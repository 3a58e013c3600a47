"""Backends that kill their process or hang, to prove isolation turns them into case failures."""

import os
import signal
import time

from conformance.backends import Capabilities, Result


class Crashing:
    name = "crashing"
    capabilities = Capabilities(dtypes=("float64",), accuracy={"float64": "exact-inputs"})

    def __init__(self, how: str):
        self.how = how

    def forward(self, config, x, weight, bias, dtype):
        if config.in_channels == 2:  # only this case misbehaves; the next call must work again
            if self.how == "segfault":
                os.kill(os.getpid(), signal.SIGSEGV)
            elif self.how == "abort":
                os.abort()
            else:
                time.sleep(60)
        return Result(x[:, :1].copy(), dtype)

    def grads(self, *args):
        raise NotImplementedError


segfault, abort, hang = Crashing("segfault"), Crashing("abort"), Crashing("hang")
