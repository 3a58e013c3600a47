"""A backend that returns the oracle's values, spoiled the way a finding's kernel spoils them: to test that a known
issue's hypothesis claims exactly the failures it explains, on any machine."""

import numpy as np

import oracle


class SpoiledOracle:
    """`name`'s capabilities; forward and gradients are the oracle's, then `spoil` edits the forward output or
    grad_input in place (flush: results below bfloat16's smallest normal become zero first, FTZ)."""

    def __init__(self, name: str, spoil=lambda a: None, flush: bool = False):
        from conformance.backends import registry

        self.name = name
        self.capabilities = registry.load(name).capabilities
        self.spoil, self.flush = spoil, flush

    def forward(self, config, x, weight, bias, dtype):
        from conformance.backends import Result

        fn = oracle.conv_transpose if config.transposed else oracle.conv
        y = fn(x, weight, bias, **config.kwargs())
        if self.flush:
            y = np.where(np.abs(y) < 2.0 ** -126, np.copysign(0.0, y), y)
        self.spoil(y)
        return Result(y, dtype, "MkldnnTranspose" if config.transposed else "Mkldnn")

    def grads(self, config, x, weight, bias, grad_output, dtype):
        from conformance.backends import GradResult

        g = oracle.conv_grads(x, weight, grad_output, **config.kwargs())
        grad_input = g.grad_input.copy()
        self.spoil(grad_input)
        grad_bias = grad_output.sum(axis=tuple(i for i in range(grad_output.ndim) if i != 1)) if config.bias else None
        return GradResult(grad_input, g.grad_weight, grad_bias, dtype, "Mkldnn")
