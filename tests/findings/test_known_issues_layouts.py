"""Known issues that depend on the tensors' memory layouts (found by torch-cpu-mixed-layouts): the layout predicates
held to what torch does with the same tensors.  Their reduced reproducers are conformance/findings/reproducers/<key>.py,
run by test_reproducers.py."""

import dataclasses

import numpy as np
import pytest

import oracle
from conformance.backends.torch.layouts import Layout, apply, plan
from conformance.findings import KnownNonConformance

from .children import child
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


# -- the other mixed-layouts findings: their narrowness, the contrasts run in fresh interpreters ----------------

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


def test_bf16_long_kernel_bug_needs_onednns_blocked_route():
    """The narrowness contrast: contiguous tensors of few channels (x64:gemm:jit) give the exact gradient; the key
    claims a channels-last weight, and plain tensors only from 16 input or 32 output channels on, where oneDNN
    takes its blocked jit_bf16 kernel (and the 17-channel case goes wrong: the reproducer's third case)."""
    from conformance.model.config import ConvConfig

    # one child: the contrast's gradient, then oneDNN's kernel for each channel pair below (its verbose log)
    pairs = ((15, 31), (1, 17), (16, 1), (1, 32), (8, 32))
    code = ("b = torch.bfloat16; x = torch.ones(2, 2, 1, 1, 1, dtype=b)\n"
            "w = torch.ones(1, 2, 2, 1, 1, dtype=b, requires_grad=True)\n"
            "F.conv3d(x, w, padding=(1, 0, 0)).sum().backward()\nprint('GRAD', w.grad.float().flatten().tolist())\n"
            f"for cin, cout in {pairs}:\n"
            "    x = torch.ones(1, cin, 1, 1, 1, dtype=b)\n"
            "    w = torch.ones(cout, cin, 2, 1, 1, dtype=b, requires_grad=True)\n"
            "    F.conv3d(x, w, padding=(1, 0, 0)).sum().backward()\n")
    done = child(code, OMP_NUM_THREADS="1", ONEDNN_VERBOSE="1")
    assert done.returncode == 0 and f"GRAD {[2.0] * 4}" in done.stdout.splitlines(), done.stdout[-2000:]
    config = ConvConfig(3, 2, 2, 1, 1, (1, 1, 1), (2, 1, 1), (1, 1, 1), (1, 0, 0), (1, 1, 1), "zeros", False, False,
                        None)
    issue = findings.get("onednn-bf16-long-kernel-grad-weight")
    cl_weight = {"input": plan((2, 2, 1, 1, 1), "contiguous", 0), "weight": plan((1, 2, 2, 1, 1), "channels_last", 0)}
    plain = {"input": plan((2, 2, 1, 1, 1), "contiguous", 0), "weight": plan((1, 2, 2, 1, 1), "contiguous", 0)}
    here = issue.unreachable_here() is None
    assert issue.applies("torch-cpu-mixed-layouts", "bfloat16", "Mkldnn", config, "random", "grad_weight",
                         cl_weight) == here
    assert not issue.applies("torch-cpu-mixed-layouts", "bfloat16", "Mkldnn", config, "random", "grad_weight", plain)
    assert not issue.applies("torch-cpu", "bfloat16", "Mkldnn", config, "random", "grad_weight", plain)
    wide = dataclasses.replace(config, in_channels=16, out_channels=1)
    plain16 = {"input": plan((2, 16, 1, 1, 1), "contiguous", 0), "weight": plan((1, 16, 2, 1, 1), "contiguous", 0)}
    assert issue.applies("torch-cpu", "bfloat16", "Mkldnn", wide, "random", "grad_weight", plain16) == here
    # the route the predicate names is oneDNN's own choice: its verbose log, kernel by kernel (the first call is
    # the contrast's, channels-last-free: x64:gemm:jit)
    kernels = [line.split(",")[6] for line in done.stdout.splitlines()
               if ",exec," in line and "backward_weights" in line][1:]
    if not here or len(kernels) != len(pairs):
        pytest.skip(f"oneDNN's bfloat16 kernels here are not the jit_bf16 ones the key names: {kernels}")
    assert [k.startswith("jit_bf16") for k in kernels] == [
        bool(issue.layouts(dataclasses.replace(config, in_channels=cin, out_channels=cout), plain))
        for cin, cout in pairs]
