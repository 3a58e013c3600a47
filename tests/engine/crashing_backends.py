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


class CrashingOracle(Crashing):
    """Correct (the oracle) except that in_channels 2 with batch 2 and no bias kills the process or hangs: certify
    must fail only the cells that draw such a config (rare: each costs a cell timeout) and finish the run."""

    name = "crashing-oracle"

    def forward(self, config, x, weight, bias, dtype):
        import oracle

        if config.in_channels == 2 and config.batch == 2 and not config.bias:
            super().forward(config, x, weight, bias, dtype)
        fn = oracle.conv_transpose if config.transposed else oracle.conv
        return Result(fn(x, weight, bias, **config.kwargs()), dtype, "oracle")


segfault_oracle, hang_oracle = CrashingOracle("segfault"), CrashingOracle("hang")



class HeapCorrupting(Crashing):
    """The oracle, except that a call with 3 input channels 'corrupts the heap' and returns right values, and a
    later call with 2 input channels in the same process dies: the crash belongs to the process's history, as
    with oneDNN's memory-unsafe kernels (a case that dies only after another case has run)."""

    name = "heap-corrupting"
    corrupted = False

    def forward(self, config, x, weight, bias, dtype):
        import oracle

        if config.in_channels == 3:
            HeapCorrupting.corrupted = True
        elif config.in_channels == 2 and (HeapCorrupting.corrupted or self.how == "always"):
            os.kill(os.getpid(), signal.SIGSEGV)
        fn = oracle.conv_transpose if config.transposed else oracle.conv
        return Result(fn(x, weight, bias, **config.kwargs()), dtype, "oracle")


heap_corrupting, always_crashing = HeapCorrupting("after-corruption"), HeapCorrupting("always")
