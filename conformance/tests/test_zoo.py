"""The zoo-ci slice: real networks' layers at their real size in every run (issue #32).

One layer per distinct combination of rank, transposed, grouping, kernel class, stride, dilation, padding mode and
bias in the model zoo (conformance.zoo.ci_slice: the cheapest of each, at batch 1), certified as `convconf certify
--profile zoo` certifies it (conformance.certify.model_run.check_layer): forward and gradients on random data up to
SLICE_MACS multiply-adds, the large profile's sampled positions, forward and gradients, up to SLICE_SAMPLED_MACS for
a backend that declares large tensors (Capabilities.large_tensors: a reference like scipy computes such a layer in
minutes), and the rest left to the whole zoo, at two batch sizes and in each training dtype: `convconf certify
--profile zoo`.
"""

from dataclasses import replace

import pytest

from conformance.certify.model_run import check_layer
from conformance.run.suite import require, session_recorder
from conformance.zoo import ci_slice, combination

SLICE_MACS = 3 * 10**6  # full oracle and gradients up to here: about 0.1 s a layer
SLICE_SAMPLED_MACS = 3 * 10**8  # sampled positions up to here: past it the backend's own call costs seconds
SLICE_GRID_PRODUCTS = 10**7  # the oracle's whole-grid gradient sums a sampled layer gets here: ~0.3 s (the zoo: 1.5e8)


def test_zoo_slice(backend, request):
    caps = backend.capabilities
    dtype = "float32" if "float32" in caps.dtypes else caps.dtypes[0]
    require(backend, dtype, kind="random")
    recorder, failures, known = session_recorder(request.config), [], set()
    for layer in ci_slice():
        if layer.config.macs > SLICE_MACS and (not caps.large_tensors or layer.config.macs > SLICE_SAMPLED_MACS):
            continue  # the whole zoo (`certify --profile zoo`) has them
        record = check_layer(backend, replace(layer, dtype=dtype), getattr(backend, "spec", backend.name), recorder,
                             kinds=("random",), max_macs=SLICE_MACS, grid_budget=SLICE_GRID_PRODUCTS)
        if record["verdict"] == "fail":
            failures.append(f"{layer.model} {layer.names[0]} ({', '.join(combination(layer.config))}):\n"
                            + "\n".join(record["reports"]))
        known |= {v for v in record["checks"].values() if v.startswith("known issue")}
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
    if known:
        pytest.xfail(", ".join(sorted(known)))
