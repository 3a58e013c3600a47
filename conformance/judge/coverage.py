"""What a run must reach, and what it did: families, feature pairs and kernel paths, per backend.

Every checked example is described by one value per feature axis (and its family tags);
the recorder counts single features and every cross-axis pair.  At the end of a full run
the plugin compares those counts with what the backend declares:

  * every family the backend's declared space admits was drawn;
  * every pair of declared feature values was drawn together, except the pairs no valid
    config can form (`impossible`);
  * every kernel path that the probe grid reaches on this machine was served;
  * every declared direction (forward, transposed, the three gradients) summed at least LONG_TERMS products
    per element in an example of every data kind;
  * every known issue with a config predicate that this backend can show here had an example drawn inside
    its geometry (conformance.judge.recording.missed_geometries).

Feature axes, as "axis=value" strings: family (possibly several, "box" when none), check
(forward, gradients), op (conv, transposed), mode, groups (plain, grouped, depthwise),
dilation, stride, bias (yes/no), batch (1, many), kernel (1, larger), dtype, kind.
"""

from __future__ import annotations

import itertools

from conformance.model.classify import LONG_TERMS, tags as classify_tags
from conformance.model.config import ConvConfig
from conformance.generate.data import DATA_KINDS
from conformance.generate.families import FAMILIES, available

AXES = ("family", "check", "op", "mode", "groups", "dilation", "stride", "bias", "batch", "kernel", "dtype", "kind")


def features(config: ConvConfig, check: str, dtype: str, kind: str) -> tuple:
    """The example's feature values ("axis=value"), one per axis except family (one per tag)."""
    groups = "plain" if config.groups == 1 else ("depthwise" if config.groups == config.in_channels else "grouped")
    tags = classify_tags(config) or ("box",)
    return (*(f"family={t}" for t in tags), f"check={check}", f"op={'transposed' if config.transposed else 'conv'}",
            f"mode={'zeros' if config.transposed else config.padding_mode}", f"groups={groups}",
            f"dilation={'yes' if max(config.dilation) > 1 else 'no'}",
            f"stride={'yes' if max(config.stride) > 1 else 'no'}", f"bias={'yes' if config.bias else 'no'}",
            f"batch={'1' if config.batch == 1 else 'many'}",
            f"kernel={'1' if max(config.kernel_size) == 1 else 'larger'}", f"dtype={dtype}", f"kind={kind}")


def pairs(values: tuple):
    """Cross-axis pairs of one example's features, each as a sorted 2-tuple."""
    for a, b in itertools.combinations(sorted(set(values)), 2):
        if a.split("=")[0] != b.split("=")[0]:
            yield a, b


def declared(backend) -> dict:
    """axis -> the values the backend's declarations admit."""
    from conformance.model.arguments import space

    caps = backend.capabilities
    sp = space(None, None if caps.transposed else False, caps.padding_modes, None, caps.max_extent)
    return {
        "family": tuple(name for name in FAMILIES if available(name, sp)),
        "check": ("forward", "gradients") if caps.gradients else ("forward",),
        "op": ("conv", "transposed") if caps.transposed else ("conv",),
        "mode": tuple(caps.padding_modes),
        "groups": ("plain", "grouped", "depthwise"), "dilation": ("yes", "no"), "stride": ("yes", "no"),
        "bias": ("yes", "no"), "batch": ("1", "many"), "kernel": ("1", "larger"), "dtype": tuple(caps.dtypes),
        "kind": kinds_for(backend),
    }


def kinds_for(backend) -> tuple:
    """The data kinds a backend is checked with: NaN/inf-only kinds need declared IEEE semantics."""
    return tuple(k for k in DATA_KINDS if k != "nonfinite" or backend.capabilities.nonfinite)


def impossible(a: str, b: str) -> bool:
    """Pairs no valid config forms: a transposed convolution pads with zeros only, a family draws
    forward configs in its own padding modes only, and batch-blocks means batch >= 4."""
    pair = {a, b}
    if pair == {"family=batch-blocks", "batch=1"}:
        return True
    modes = [v.split("=")[1] for v in pair if v.startswith("mode=")]
    if "op=transposed" in pair and modes and modes[0] != "zeros":
        return True
    fams = [v.split("=")[1] for v in pair if v.startswith("family=") and v != "family=box"]
    return bool(fams and modes and modes[0] not in FAMILIES[fams[0]].modes)


def required_pairs(backend) -> set:
    """Every cross-axis pair of declared values that a valid config can form ("box", no family, is
    reported but not required: it is where nothing special happens)."""
    values = [f"{axis}={v}" for axis, vs in declared(backend).items() for v in vs]
    return {p for p in pairs(tuple(values)) if not impossible(*p)}


def required_reductions(backend) -> list:
    """Every declared direction with every data kind, as "direction kind": each must meet a sum of at least
    LONG_TERMS products (conformance/tests/test_long_reductions.py draws them)."""
    caps = backend.capabilities
    directions = ["forward"] + ["transposed"] * caps.transposed + ["grad_input", "grad_weight", "grad_bias"] * \
        caps.gradients
    return [f"{d} {k}" for d in directions for k in kinds_for(backend)]


def missed(backend, seen_features: set, seen_pairs: set, seen_reductions: set = frozenset()) -> dict:
    """What the run did not reach: families, feature pairs and long reductions per direction and kind (kernel
    paths: see reachable_paths; findings' geometries: recording.missed_geometries)."""
    want = declared(backend)
    return {"families": sorted(f for f in want["family"] if f"family={f}" not in seen_features),
            "pairs": sorted(required_pairs(backend) - seen_pairs),
            f"reductions of >= {LONG_TERMS} products": [r for r in required_reductions(backend)
                                                       if r not in seen_reductions]}
