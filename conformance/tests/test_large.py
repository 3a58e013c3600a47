"""The `large` profile (`--hypothesis-profile large`): configs past 2**31 elements and bytes (conformance.judge.large),
checked at sampled positions, for backends that declare `Capabilities.large_tensors`; each reports its time and
the peak memory of the backend's process in the run's summary."""

import json

import pytest

from conformance.judge.large import LARGE_CASES, check_large, fits


@pytest.mark.large
@pytest.mark.parametrize("case", LARGE_CASES, ids=lambda c: c.key)
def test_large_case(backend, backend_name, case, request):
    why = backend.capabilities.unsupported(case.config, case.dtype) or fits(case)
    if why:
        pytest.skip(f"{backend.name}, {case.key}: {why}")
    summary = check_large(backend, case, backend_name)
    request.node.user_properties.append(("convconf_large", json.dumps(dict(summary, backend=backend.name))))
