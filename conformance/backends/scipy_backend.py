"""The oracle's scipy cross-check run as a backend: float64, forward and transposed only.

It dilates by zero-inserting the kernel, so an inf input meets inserted zeros (0 * inf = NaN)
where no tap exists: it declares nonfinite=False and is checked on finite data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import oracle

from .protocol import Capabilities, Result


@dataclass
class ScipyBackend:
    name: str = "scipy"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(
        dtypes=("float64",), gradients=False, accuracy={"float64": "exact-inputs"}, nonfinite=False))

    def forward(self, config, x, weight, bias, dtype) -> Result:
        fn = oracle.conv_transpose if config.transposed else oracle.conv
        return Result(fn(x, weight, bias, **config.kwargs(), implementation="scipy"), "float64", "scipy.signal")

    def grads(self, config, x, weight, bias, grad_output, dtype):
        raise NotImplementedError("the scipy backend declares no gradients")
