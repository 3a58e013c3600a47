"""The kernel paths a backend can reach on this machine: a probe grid over the features that steer kernel choice.

Coverage asks each backend's kernel paths to be met by the drawn cases; which paths exist at all
depends on the machine (oneDNN's ISA, NNPACK's batch rules), so they are probed here, in the
backend's own process where it needs one.
"""

from __future__ import annotations

import itertools

from conformance.model.config import ConvConfig


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
    from conformance.backends.protocol import process_env

    if not getattr(backend, "probe_paths", True):
        return set()
    owned = None  # a process started here for the probing, closed after it
    if runner is None and process_env(backend):
        from conformance.run.isolation import IsolatedBackend

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
    from conformance.generate.data import draw_inputs

    caps = backend.capabilities
    return sorted({backend.forward(config, *draw_inputs(config, dtype, "integer", 0), dtype).kernel_path
                   for dtype in caps.dtypes for config in probe_configs() if caps.unsupported(config, dtype) is None}
                  - {None})
