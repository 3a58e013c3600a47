"""Known issues that depend on the tensors' memory layouts (found by torch-cpu-mixed-layouts): the reduced
reproducers as strict xfails, and the layout predicates held to what torch does with the same tensors."""

import dataclasses

import numpy as np
import pytest

import oracle
from conformance.backends.torch.layouts import Layout, apply, plan
from conformance.findings import KnownNonConformance

from .children import child, needs
from conformance import findings

torch = pytest.importorskip("torch", reason="the layout issues are in torch backends")
F = torch.nn.functional

GROUPED_CL = findings.get("onednn-grouped-channels-last-size1-strided-weight")


def _served_by_onednn(x, w, groups, transposed=False):
    from conformance.backends.torch.backend import _selected

    nd = x.dim() - 2
    chosen = _selected(x, w, None, [1] * nd, [0] * nd, [1] * nd, transposed, [0] * nd, groups)
    if chosen not in ("Mkldnn", "MkldnnTranspose"):
        pytest.skip(f"torch serves this call by {chosen} here, not oneDNN: the finding is in oneDNN's path")


@pytest.mark.xfail(strict=True, reason="known issue onednn-grouped-channels-last-size1-strided-weight "
                   "(conformance/findings/)")
def test_onednn_grouped_channels_last_size1_strided_weight_reduced():
    """A channels-last input and a weight whose memory is channels-last but whose width (size 1) has stride 1, not
    the 2 channels-last gives it: oneDNN reads the weight as if contiguous.  Wrong on torch 2.13.0 and 2.14.1, under
    every oneDNN ISA cap (AVX2 to AVX-512) and thread count, on an AMD EPYC (Zen 4)."""
    x = torch.arange(8.0).reshape(1, 4, 2, 1).contiguous(memory_format=torch.channels_last)
    w = torch.arange(16.0).reshape(4, 2, 2, 1).permute(0, 2, 1, 3)  # (4, 2, 2, 1), strides (4, 1, 2, 1)
    _served_by_onednn(x, w, 2)
    expected = oracle.conv(x.contiguous().numpy().astype(np.float64), w.contiguous().numpy().astype(np.float64),
                           groups=2)  # [13, 37, 213, 301]; torch 2.13.0 and 2.14.1 print [14, 38, 214, 302]
    np.testing.assert_array_equal(F.conv2d(x, w, groups=2).double().numpy(), expected)


CL = "channels_last"
# (input layout, weight layout, groups, transposed): the predicate's verdict must be torch's, both ways
VARIANTS = {
    "found": ((CL, (4, 1, 2, 1)), 2, False),  # the reduced case: width stride 1 where channels-last has 2
    "any-unusual-size1-stride": ((CL, (4, 1, 2, 100)), 2, False),
    "transposed": ((CL, (4, 1, 2, 1)), 2, True),
    "canonical-channels-last-weight": ((CL, (4, 1, 2, 2)), 2, False),
    "ungrouped": ((CL, (4, 1, 2, 1)), 1, False),
    "contiguous-input": (("contiguous", (4, 1, 2, 1)), 2, False),
    "contiguous-weight": ((CL, (4, 2, 1, 1)), 2, False),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_grouped_channels_last_key_claims_exactly_the_wrong_layouts(variant):
    """The key's layout predicate against torch on the same tensors: it claims the variants oneDNN gets wrong and
    none it gets right (a sweep of 8,000 random layouts, groups and ranks on an AMD Zen 4 found no exception
    either way)."""
    (x_layout, w_strides), groups, transposed = VARIANTS[variant]
    in_channels = 2 * groups
    x = torch.arange(2.0 * in_channels).reshape(1, in_channels, 2, 1)
    x_plan = plan(tuple(x.shape), x_layout, 0)
    w_plan = Layout("permuted", (4, 2, 2, 1), w_strides)
    xt, wt = apply(x, x_plan), apply(torch.arange(16.0).reshape(4, 2, 2, 1), w_plan)
    if groups > 1:  # groups 1 takes torch's own Slow2d here: right, and not claimed, whatever the layouts
        _served_by_onednn(xt, wt, groups, transposed)
    fn, exact = (F.conv_transpose2d, oracle.conv_transpose) if transposed else (F.conv2d, oracle.conv)
    expected = exact(x.numpy().astype(np.float64), wt.contiguous().numpy().astype(np.float64), groups=groups)
    wrong = not np.array_equal(fn(xt, wt, groups=groups).double().numpy(), expected)
    claimed = GROUPED_CL.applies("torch-cpu-mixed-layouts", "float32", "Mkldnn", _config(groups, transposed),
                                 "integer", "transposed" if transposed else "forward",
                                 {"input": x_plan, "weight": w_plan})
    assert claimed == wrong
    assert claimed == (variant in ("found", "any-unusual-size1-stride", "transposed"))


def _config(groups, transposed):
    from conformance.model.config import ConvConfig

    if transposed:
        return ConvConfig(2, 1, 4, 2 * groups, groups, (2, 1), (2, 1), (1, 1), (0, 0), (1, 1), "zeros", False, True,
                          (0, 0))
    return ConvConfig(2, 1, 2 * groups, 4, groups, (2, 1), (2, 1), (1, 1), (0, 0), (1, 1), "zeros", False)


def test_the_key_claims_the_certifications_row_and_a_contiguous_backend_conforms():
    """The certification's first row (float32, adversarial data, seed 757407): claimed on torch-cpu-mixed-layouts,
    whose layouts for it are a channels-last input and a weight with width stride 1; torch-cpu, contiguous, runs the
    same case right."""
    from conformance.backends import registry
    from conformance.judge.checks import check_forward
    from conformance.model.config import ConvConfig

    config = ConvConfig(2, 8, 9, 9, 3, (3, 1), (2, 1), (1, 1), (0, 0), (1, 1), "zeros", False)
    x = torch.zeros(config.input_shape).contiguous(memory_format=torch.channels_last)
    _served_by_onednn(x, torch.zeros(config.weight_shape), 3)
    with pytest.raises(KnownNonConformance) as known:
        check_forward(registry.load("torch-cpu-mixed-layouts"), config, "float32", "adversarial", 757407)
    assert known.value.issue is GROUPED_CL
    check_forward(registry.load("torch-cpu"), config, "float32", "adversarial", 757407)


# -- the other mixed-layouts findings: reduced reproducers in fresh interpreters (crashes, stale memory) ---------

@pytest.mark.xfail(strict=True, reason="known issue onednn-huge-dilation-channels-last-segfault")
def test_onednn_huge_dilation_channels_last_segfault_reduced():
    needs("onednn-huge-dilation-channels-last-segfault")
    # height dilation 2**31 - 1 with as much padding: only the centre tap of each window meets the input
    code = ("B = 2**31 - 1; x = torch.ones(2, 3, 4, 1).contiguous(memory_format=torch.channels_last)\n"
            "print(F.conv2d(x, torch.ones(1, 3, 3, 1), padding=(B, 0), dilation=(B, 1)).flatten().tolist())\n")
    done = child(code)
    assert done.returncode == 0, f"exit {done.returncode}"
    assert done.stdout.strip() == str([3.0] * 8)


def test_huge_dilation_segfault_needs_a_channels_last_input():
    """The narrowness contrast: the same call on a contiguous input runs and is right, and the key does not claim
    it (nor batch 1)."""
    from conformance.model.config import ConvConfig
    from conformance.findings import known_crash

    from .layouts import layouts_of

    code = ("B = 2**31 - 1; x = torch.ones(2, 3, 4, 1)\n"
            "print(F.conv2d(x, torch.ones(1, 3, 3, 1), padding=(B, 0), dilation=(B, 1)).flatten().tolist())\n")
    done = child(code)
    assert done.returncode == 0 and done.stdout.strip() == str([3.0] * 8)
    big = 2**31 - 1
    found = ConvConfig(2, 2, 3, 1, 1, (4, 1), (3, 1), (1, 1), (big, 0), (big, 1), "zeros", False, False, None)
    key = "onednn-huge-dilation-channels-last-segfault"
    here = findings.get(key).unreachable_here() is None
    claim = known_crash("torch-cpu-channels-last", "float32", found, layouts=layouts_of("torch-cpu-channels-last",
                                                                                        found))
    assert (claim is not None and claim.key == key) == here
    assert known_crash("torch-cpu", "float32", found, layouts=layouts_of("torch-cpu", found)) is None
    one = dataclasses.replace(found, batch=1)
    assert known_crash("torch-cpu-channels-last", "float32", one,
                       layouts=layouts_of("torch-cpu-channels-last", one)) is None


@pytest.mark.xfail(strict=True, reason="known issue slow-conv2d-grad-weight-not-contiguous")
def test_slow_conv2d_grad_weight_not_contiguous_reduced():
    """An HWIO weight permuted to OIHW with one output channel, a channels-last input: slow_conv2d's backward raises
    (float64 always takes slow_conv2d on the CPU)."""
    x = torch.ones(1, 2, 3, 3, dtype=torch.float64).contiguous(memory_format=torch.channels_last)
    w = torch.ones(3, 3, 2, 1, dtype=torch.float64, requires_grad=True)
    F.conv2d(x, w.permute(3, 2, 0, 1)).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), np.full((3, 3, 2, 1), 9.0))


def test_slow_conv2d_grad_weight_key_claims_only_the_unusual_weight():
    from conformance.model.config import ConvConfig
    from conformance.findings import known_raise

    config = ConvConfig(2, 1, 2, 1, 1, (3, 3), (3, 3), (1, 1), (0, 0), (1, 1), "zeros", False, False, None)
    text = "RuntimeError: slow_conv2d: grad_weight must be contiguous"
    cl_input = plan((1, 2, 3, 3), "channels_last", 0)
    odd = Layout("permuted", (1, 2, 3, 3), (1, 1, 6, 2))  # channels-last memory, out-channel stride 1 (not 18)
    assert known_raise("torch-cpu-mixed-layouts", "float64", config, text, "grad_input",
                       {"input": cl_input, "weight": odd}).key == "slow-conv2d-grad-weight-not-contiguous"
    for layouts in ({"input": cl_input, "weight": plan((1, 2, 3, 3), "channels_last", 0)},
                    {"input": plan((1, 2, 3, 3), "contiguous", 0), "weight": odd}):
        assert known_raise("torch-cpu-mixed-layouts", "float64", config, text, "grad_input", layouts) is None
    # and torch agrees: a canonical channels-last weight's gradient is right
    x = torch.ones(1, 2, 3, 3, dtype=torch.float64).contiguous(memory_format=torch.channels_last)
    w = torch.ones(1, 2, 3, 3, dtype=torch.float64).contiguous(memory_format=torch.channels_last).requires_grad_()
    F.conv2d(x, w).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), np.ones((1, 2, 3, 3)))


@pytest.mark.xfail(strict=True, reason="known issue onednn-bf16-channels-last-grad-weight-uninitialised")
def test_onednn_bf16_channels_last_grad_weight_uninitialised_reduced():
    needs("onednn-bf16-channels-last-grad-weight-uninitialised")
    # width stride 3 > input width 2, kernel 2, padding 1: tap 0 only ever meets padding, its gradient is exactly 0;
    # MALLOC_PERTURB_ fills fresh memory with garbage, so stale values show every time
    code = ("b = torch.bfloat16; x = torch.ones(1, 2, 1, 2, dtype=b).contiguous(memory_format=torch.channels_last)\n"
            "w = torch.ones(1, 2, 1, 2, dtype=b, requires_grad=True)\n"
            "F.conv2d(x, w, stride=(1, 3), padding=(0, 1)).sum().backward()\n"
            "print(w.grad.float().flatten().tolist())\n")
    done = child(code, MALLOC_PERTURB_="165")
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == str([0.0, 1.0, 0.0, 1.0])


@pytest.mark.xfail(strict=True, reason="known issue onednn-bf16-long-kernel-grad-weight")
def test_onednn_bf16_long_kernel_grad_weight_height_reduced():
    """The keyed re-run's case: height 2 under a 4-tall kernel, stride 2, padding 1: one output row, taps 0 and 3
    meet only padding; a channels-last input puts products on the wrong taps."""
    needs("onednn-bf16-long-kernel-grad-weight")
    code = ("b = torch.bfloat16; x = torch.ones(1, 4, 2, 2, 2, dtype=b).contiguous("
            "memory_format=torch.channels_last_3d)\n"
            "w = torch.ones(2, 2, 1, 4, 2, dtype=b, requires_grad=True)\n"
            "F.conv3d(x, w, stride=(1, 2, 1), padding=(0, 1, 0), groups=2).sum().backward()\n"
            "print(w.grad[0, 0, 0].float().flatten().tolist())\n")
    done = child(code, OMP_NUM_THREADS="1")
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == str([0.0, 0.0, 2.0, 2.0, 2.0, 2.0, 0.0, 0.0])


@pytest.mark.xfail(strict=True, reason="known issue onednn-bf16-long-kernel-grad-weight")
def test_onednn_bf16_long_kernel_grad_weight_reduced():
    needs("onednn-bf16-long-kernel-grad-weight")
    # depth 1 under a 2-deep kernel with padding 1: each tap meets the input once per image (batch 2): all 2
    code = ("b = torch.bfloat16; x = torch.ones(2, 2, 1, 1, 1, dtype=b)\n"
            "w = torch.ones(1, 2, 2, 1, 1, dtype=b).contiguous(memory_format=torch.channels_last_3d)"
            ".requires_grad_()\n"
            "F.conv3d(x, w, padding=(1, 0, 0)).sum().backward()\nprint(w.grad.float().flatten().tolist())\n")
    done = child(code, OMP_NUM_THREADS="1")
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == str([2.0] * 4)


def test_bf16_long_kernel_bug_needs_the_channels_last_route():
    """The narrowness contrast: contiguous tensors (x64:gemm:jit) give the exact gradient; the key claims the
    channels-last weight only."""
    from conformance.model.config import ConvConfig

    code = ("b = torch.bfloat16; x = torch.ones(2, 2, 1, 1, 1, dtype=b)\n"
            "w = torch.ones(1, 2, 2, 1, 1, dtype=b, requires_grad=True)\n"
            "F.conv3d(x, w, padding=(1, 0, 0)).sum().backward()\nprint(w.grad.float().flatten().tolist())\n")
    done = child(code, OMP_NUM_THREADS="1")
    assert done.returncode == 0 and done.stdout.strip() == str([2.0] * 4)
    config = ConvConfig(3, 2, 2, 1, 1, (1, 1, 1), (2, 1, 1), (1, 1, 1), (1, 0, 0), (1, 1, 1), "zeros", False, False,
                        None)
    issue = findings.get("onednn-bf16-long-kernel-grad-weight")
    cl_weight = {"input": plan((2, 2, 1, 1, 1), "contiguous", 0), "weight": plan((1, 2, 2, 1, 1), "channels_last", 0)}
    plain = {"input": plan((2, 2, 1, 1, 1), "contiguous", 0), "weight": plan((1, 2, 2, 1, 1), "contiguous", 0)}
    here = issue.unreachable_here() is None
    assert issue.applies("torch-cpu-mixed-layouts", "bfloat16", "Mkldnn", config, "random", "grad_weight",
                         cl_weight) == here
    assert not issue.applies("torch-cpu-mixed-layouts", "bfloat16", "Mkldnn", config, "random", "grad_weight", plain)
