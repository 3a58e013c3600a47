"""The strategies reach every ATen kernel path that a probe grid reaches on this machine.

The probe grid crosses every feature that steers torch's kernel choice (spatial rank,
transposed, dilation, grouping: plain, grouped, depthwise; 1x1 and larger kernels; stride;
batch 1 and > 1) for each dtype.  Whatever path some probe reaches is reachable here, so
the configs the suite draws must reach it too.
"""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings

from conformance.backends import registry
from conformance.config import ConvConfig
from conformance.suite import claimed_configs

# configs the suite draws per dtype under the ci profile: forward per padding mode + transposed, 40 each
DRAWS_PER_DTYPE = 200


def probe_configs():
    for ndim, transposed, dilation, grouping, kernel, stride, batch in itertools.product(
            (1, 2, 3), (False, True), (1, 2), ("plain", "grouped", "depthwise"), (1, 3), (1, 2), (1, 2)):
        groups, cin, cout = {"plain": (1, 2, 3), "grouped": (2, 4, 4), "depthwise": (3, 3, 6)}[grouping]
        yield ConvConfig(ndim, batch, cin, cout, groups, (7,) * ndim, (kernel,) * ndim, (stride,) * ndim,
                         (0,) * ndim, (dilation,) * ndim, "zeros", True, transposed,
                         (0,) * ndim if transposed else None)


def path_of(backend, config, dtype):
    from conformance.strategies import draw_inputs

    return backend.forward(config, *draw_inputs(config, dtype, "integer", 0), dtype).kernel_path


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "bfloat16"])
def test_strategies_reach_every_reachable_kernel_path(backend_name, dtype):
    backend = registry.load(backend_name)  # in-process: torch path queries are safe and fast
    if getattr(backend, "unavailable", lambda: None)():
        pytest.skip(backend.unavailable())
    if dtype not in backend.capabilities.dtypes:
        pytest.skip(f"{backend.name}: dtype {dtype} not declared")
    caps = backend.capabilities
    reachable = {path_of(backend, c, dtype) for c in probe_configs()
                 if c.ndim in caps.ndims and (caps.transposed or not c.transposed) and caps.excludes(c, dtype) is None}
    if reachable == {None}:
        pytest.skip(f"{backend.name} does not report kernel paths")
    seen = set()

    @settings(max_examples=DRAWS_PER_DTYPE, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(claimed_configs(backend, dtype=dtype))
    def draw(config):
        seen.add(path_of(backend, config, dtype))

    draw()
    missed = reachable - seen
    assert not missed, (f"{backend.name} {dtype}: kernel paths {sorted(missed, key=str)} are reachable (probe grid) "
                        f"but the strategies reached only {sorted(seen, key=str)} in {DRAWS_PER_DTYPE} draws")
