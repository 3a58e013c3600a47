"""grad_input, grad_weight and grad_bias of the backend against oracle.conv_grads / conv_transpose_grads."""

from conformance.run.suite import check_examples, claimed_configs, require


def test_gradients(backend, dtype, kind, request):
    require(backend, dtype, gradients=True, kind=kind)
    check_examples(backend, request, claimed_configs(backend, dtype=dtype, gradients=True), "grads", dtype, kind)
