"""The oracle's scipy cross-check run as a backend: float64, forward and transposed only.

It dilates by zero-inserting the kernel, so an inf input meets inserted zeros (0 * inf = NaN)
where no tap exists: it declares nonfinite=False and is checked on finite data only.  It
declares the general convolution (every GENERAL_FEATURES entry, rank 4, and the transposed ones):
oracle.conv_general's scipy evaluation against its shift one, the cross-check of the general definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.model.config import GENERAL_FEATURES, TRANSPOSED_GENERAL_FEATURES
from conformance.backends.protocol import Capabilities, Result


@dataclass
class ScipyBackend:
    name: str = "scipy"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(
        dtypes=("float64",), gradients=False, accuracy={"float64": "exact-inputs"}, nonfinite=False,
        ndims=(1, 2, 3, 4), general=GENERAL_FEATURES,
        general_transposed=TRANSPOSED_GENERAL_FEATURES))
    # one kernel path ("scipy.signal") serves every call: nothing for reach.reachable_paths to probe
    probe_paths = False

    def forward(self, config, x, weight, bias, dtype) -> Result:
        return Result(config.oracle_forward(implementation="scipy")(x, weight, bias), "float64", "scipy.signal")

    def grads(self, config, x, weight, bias, grad_output, dtype):
        raise NotImplementedError("the scipy backend declares no gradients")
