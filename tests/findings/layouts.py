"""The tensor layouts a torch backend gives a config's call (what layout-dependent known issues match on)."""

import numpy as np

from conformance.backends import registry


def layouts_of(backend: str, config, gradients: bool = False) -> dict:
    """role -> Layout of backend's tensors for `config` (the layout policy's plan on zero-filled arrays: the uniform
    policies do not look at the data)."""
    arrays = {"input": np.zeros(config.input_shape), "weight": np.zeros(config.weight_shape),
              "bias": np.zeros(config.out_channels) if config.bias else None}
    if gradients:
        arrays["grad_output"] = np.zeros(config.output_shape)
    return registry.load(backend).layouts(arrays)
