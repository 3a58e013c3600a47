"""The model zoo: the convolutions published networks run, as data with provenance (issue #32).

Each `data/<model>.json` was written by scripts/zoo/extract.py, which builds the model from its package's own
definition (torchvision, MONAI, diffusers, transformers; random weights, no downloads) and traces one forward and
one backward pass with the tracer `convconf certify --model` uses (conformance.backends.torch.trace).  A file
records the package, its version and the exact constructor call, the input shape, and every distinct convolution
in the one-line form reports print, with the modules that ran it, the memory format it met and the gradients the
backward pass computed for it.  `models()` loads them; nothing here imports a framework.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

from conformance.model.config import ConvConfig
from conformance.model.config_text import parse_config

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


@dataclass(frozen=True)
class ZooLayer:
    """One distinct convolution of a model (a zoo model's, or a traced user model's): its config (at the traced
    batch, or `at_batch`), the modules that ran it, how often, the dtype it is certified in."""

    model: str
    config: ConvConfig
    names: tuple
    calls: int
    dtype: str = "float32"
    memory_format: str = "contiguous"  # the layout it ran in: contiguous, channels_last or strided
    grads: Optional[tuple] = None  # the gradients the model's backward pass computed for it; None: not traced

    def at_batch(self, batch: int) -> "ZooLayer":
        return replace(self, config=replace(self.config, batch=batch))


@dataclass(frozen=True)
class ZooModel:
    name: str
    family: str
    source: dict
    input_shape: tuple
    layers: tuple

    @property
    def cite(self) -> str:
        s = self.source
        return f"{s['call']} ({s['package']} {s['version']}, torch {s['torch']}), input {self.input_shape}"


@lru_cache(maxsize=None)
def models() -> dict:
    """name -> ZooModel, for every data file, in name order."""
    found = {}
    for file in sorted(f for f in os.listdir(DATA) if f.endswith(".json")):
        with open(os.path.join(DATA, file)) as handle:
            d = json.load(handle)
        layers = tuple(ZooLayer(d["model"], parse_config(entry["config"]), tuple(entry["names"]), entry["calls"],
                                d["dtype"], entry.get("memory_format", "contiguous"),
                                tuple(entry["grads"]) if "grads" in entry else None) for entry in d["layers"])
        found[d["model"]] = ZooModel(d["model"], d["family"], d["source"], tuple(d["input_shape"]), layers)
    return found


def select(names=None) -> list:
    """The named models (all when None); ValueError naming an unknown one and the known."""
    known = models()
    unknown = [n for n in names or () if n not in known]
    if unknown:
        raise ValueError(f"--zoo-model {unknown[0]!r}: not in the zoo; it holds {', '.join(known)}")
    return [known[n] for n in (names or known)]


def combination(config: ConvConfig) -> tuple:
    """What a layer is, for choosing a slice: rank, transposed, grouping, kernel class, stride, dilation, padding
    mode, bias."""
    groups = "plain" if config.groups == 1 else ("depthwise" if config.groups == config.in_channels else "grouped")
    k = max(config.kernel_size)
    return (f"{config.ndim}d", "transposed" if config.transposed else "conv", groups,
            "1x1" if k == 1 else ("k>=7" if k >= 7 else "k2-6"), "strided" if max(config.stride) > 1 else "stride 1",
            "dilated" if max(config.dilation) > 1 else "dilation 1", config.padding_mode,
            "bias" if config.bias else "no bias")


def ci_slice() -> list:
    """The zoo-ci slice: for every distinct combination (`combination`) in the zoo, its cheapest layer at batch 1
    (fewest multiply-adds; the first model in name order on a tie), in combination order."""
    best = {}
    for model in models().values():
        for layer in model.layers:
            key = combination(layer.config)
            if key not in best or layer.config.macs < best[key].config.macs:
                best[key] = layer
    return [best[key] for key in sorted(best)]


__all__ = ["DATA", "ZooLayer", "ZooModel", "ci_slice", "combination", "models", "select"]
