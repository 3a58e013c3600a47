"""What a run must reach, and what it did: families, feature pairs and kernel paths, per backend.

Every checked example is described by one value per feature axis (and its family tags);
the recorder counts single features and every cross-axis pair.  At the end of a full run
the plugin compares those counts with what the backend declares:

  * every family the backend's declared space admits was drawn;
  * every pair of declared feature values was drawn together, except the pairs no valid
    config can form (`impossible`);
  * every kernel path that the probe grid reaches on this machine was served.

Feature axes, as "axis=value" strings: family (possibly several, "box" when none), check
(forward, gradients), op (conv, transposed), mode, groups (plain, grouped, depthwise),
dilation, stride, bias (yes/no), batch (1, many), kernel (1, larger), dtype, kind.
"""

from __future__ import annotations

import itertools

from .config import ConvConfig
from .data import DATA_KINDS
from .families import FAMILIES, available

AXES = ("family", "check", "op", "mode", "groups", "dilation", "stride", "bias", "batch", "kernel", "dtype", "kind")


def features(config: ConvConfig, check: str, dtype: str, kind: str) -> tuple:
    """The example's feature values ("axis=value"), one per axis except family (one per tag)."""
    groups = "plain" if config.groups == 1 else ("depthwise" if config.groups == config.in_channels else "grouped")
    tags = config.families or ("box",)
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
    from .arguments import space

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


def missed(backend, seen_features: set, seen_pairs: set) -> dict:
    """What the run did not reach: families and feature pairs (kernel paths: see reachable_paths)."""
    want = declared(backend)
    return {"families": sorted(f for f in want["family"] if f"family={f}" not in seen_features),
            "pairs": sorted(required_pairs(backend) - seen_pairs)}


def probe_configs():
    """A grid crossing every feature that steers torch's kernel choice: whatever path one of these
    reaches is reachable on this machine (spatial rank, transposed, dilation, grouping, 1x1 or larger
    kernel, stride, batch 1, 2 or 16: NNPACK serves float32 batches of 16 and more without oneDNN)."""
    for ndim, transposed, dilation, grouping, kernel, stride, batch in itertools.product(
            (1, 2, 3), (False, True), (1, 2), ("plain", "grouped", "depthwise"), (1, 3), (1, 2), (1, 2, 16)):
        groups, cin, cout = {"plain": (1, 2, 3), "grouped": (2, 4, 4), "depthwise": (3, 3, 6)}[grouping]
        yield ConvConfig(ndim, batch, cin, cout, groups, (7,) * ndim, (kernel,) * ndim, (stride,) * ndim,
                         (0,) * ndim, (dilation,) * ndim, "zeros", True, transposed,
                         (0,) * ndim if transposed else None)


def reachable_paths(backend, runner=None) -> set:
    """Kernel paths the probe grid reaches on this machine (empty if the backend reports none, or declares
    `probe_paths = False`: a compiled backend's paths are lowerings, and probing would compile the grid; a
    backend with one path reaches it on any call).

    A backend whose process needs its own environment (protocol.process_env: a oneDNN ISA cap) is probed
    in such a process; the others in this one, or through `runner` (its isolated process, already running)."""
    from .backends.protocol import process_env

    if not getattr(backend, "probe_paths", True):
        return set()
    owned = None  # a process started here for the probing, closed after it
    if runner is None and process_env(backend):
        from .isolation import IsolatedBackend

        runner = owned = IsolatedBackend(backend.spec if hasattr(backend, "spec") else backend.name)
    runner = runner or backend
    try:
        # an isolated process walks the grid itself: one request, not one per config
        walk = getattr(runner, "run_in_process", None)
        paths = set(walk(grid_paths, timeout=600) if callable(walk) else grid_paths(runner))
    finally:
        if owned is not None:
            owned.close()
    return paths


def grid_paths(backend) -> list:
    """The kernel paths `backend` reports over the probe grid, for every dtype it declares (in its own process)."""
    from .data import draw_inputs

    caps = backend.capabilities
    return sorted({backend.forward(config, *draw_inputs(config, dtype, "integer", 0), dtype).kernel_path
                   for dtype in caps.dtypes for config in probe_configs() if caps.unsupported(config, dtype) is None}
                  - {None})
