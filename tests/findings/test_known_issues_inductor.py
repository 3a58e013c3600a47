"""torch.compile (Inductor) findings' narrowness: the neighbouring cases their keys do not claim compile and are
right (the reduced reproducers are conformance/findings/reproducers/inductor_*.py).  Each compiles in this
process, from a fresh Dynamo state, under the Inductor settings of its backend (no subprocess: compiling warms
up once per process)."""

import contextlib

import pytest

torch = pytest.importorskip("torch", reason="the findings are in torch.compile")
F = torch.nn.functional


@contextlib.contextmanager
def inductor(**config):
    """A fresh compile state under these Inductor settings (torch._inductor.config), restored after."""
    import torch._inductor.config as inductor_config

    torch._dynamo.reset()
    try:
        with inductor_config.patch(**config):
            yield
    finally:
        torch._dynamo.reset()


def frozen_conv(module, x):
    """The module compiled with freezing (its weights become constants), in inference: the module's output."""
    with inductor(freezing=True), torch.no_grad():
        return torch.compile(module.eval())(x)


def test_inductor_freezing_float64_conv_1d_compiles():
    """The known issue's narrowness: 1-d float64 compiles with freezing and is right (the key claims ndim >= 2)."""
    m = torch.nn.Conv1d(2, 4, 3, groups=2).double()
    x = torch.randn(2, 2, 7, dtype=torch.float64)
    torch.testing.assert_close(frozen_conv(m, x), m(x))


def replicate_conv_grad(x, w):
    """grad_input of conv2d(F.pad(x, 1, 'replicate'), w): compiled, then eager."""
    def f(x, w):
        return F.conv2d(F.pad(x, [1, 1, 1, 1], mode="replicate"), w)

    with inductor():
        torch.compile(f)(x, w).sum().backward()
    compiled, x.grad = x.grad.clone(), None
    f(x, w).sum().backward()
    return compiled, x.grad


def test_inductor_replication_pad2d_grads_with_one_channel_compile():
    """The known issue's narrowness: one input channel (channels-last strides are then contiguous) compiles."""
    x = torch.randn(1, 1, 5, 5, dtype=torch.float64, requires_grad=True)
    w = torch.randn(4, 1, 3, 3, dtype=torch.float64, requires_grad=True)
    torch.testing.assert_close(*replicate_conv_grad(x, w))


def test_inductor_conv_backward_compiles_with_static_shapes():
    """The key's narrowness: the second shape compiled alone, with static sizes, runs and is right (the key claims
    only the lowering error's text, which needs symbolic sizes)."""
    with inductor():
        f = torch.compile(lambda x, w: F.conv3d(x, w, stride=(1, 2, 2)), dynamic=False)
        w = torch.ones(2, 1, 1, 1, 1, requires_grad=True)
        x = torch.ones(1, 1, 2, 3, 3, requires_grad=True)
        f(x, w).sum().backward()
    expected = torch.zeros(1, 1, 2, 3, 3)
    expected[..., ::2, ::2] = 2.0
    torch.testing.assert_close(x.grad, expected, rtol=0, atol=0)
