"""The torch backend variants: names and modifiers, ISA caps and threads in their own process, per-tensor
layouts, the call text, Inductor's lowering as the kernel path, and reproducers of crashes and raises."""

import os
import subprocess
import sys

import numpy as np
import pytest

import oracle
from conformance.backends import registry
from conformance.backends.torch.call import call_function, call_source
from conformance.backends.torch.compile import kernel_path, lowering
from conformance.backends.torch.isa import ISA_CAPS, cap_unavailable, cpu_flags
from conformance.backends.torch.layouts import LAYOUTS, Layout, apply, choose, plan
from conformance.judge.checks import check_forward
from conformance.model.config import ConvConfig
from conformance.run.isolation import IsolatedBackend
from conformance.report.standalone import COMPARE_SOURCE, literal
from conformance.judge.verdict import NonConformance

torch = pytest.importorskip("torch", reason="the variants are torch backends")

CONV = ConvConfig(2, 2, 4, 6, 2, (6, 7), (3, 2), (1, 2), (1, 0), (1, 2), "reflect", True, False, None)
TRANSPOSED = ConvConfig(3, 1, 2, 4, 2, (3, 2, 4), (2, 1, 3), (2, 1, 1), (1, 0, 0), (1, 1, 2), "zeros", False, True,
                        (1, 0, 0))


def test_modifiers_combine_onto_any_builtin_and_unknown_ones_are_named():
    backend = registry.load("torch-cpu-channels-last+avx2+1thread")
    assert backend.name == "torch-cpu-channels-last+avx2+1thread"
    s = backend.settings
    assert (s.layout, s.isa, s.threads) == ("channels_last", "avx2", "1")
    assert backend.process_env() == {"ONEDNN_MAX_CPU_ISA": "AVX2", "ATEN_CPU_CAPABILITY": "avx2"}
    assert registry.load("torch-cpu").process_env() == {}
    with pytest.raises(registry.UnknownBackend, match="unknown modifier 'avx3'.*modifiers: avx2, avx512"):
        registry.load("torch-cpu+avx3")
    assert not registry.load("torch-compile-cpu-freezing").capabilities.gradients  # inference only


@pytest.mark.parametrize("spec, aten, isa_text, f32_impl", [
    ("torch-cpu-avx2", "AVX2", "AVX2", "jit:avx2"),
    ("torch-cpu-avx512", "AVX512", "AVX-512", "jit:avx512_core"),
])
def test_an_isa_cap_takes_effect_in_the_backend_process_and_is_read_back(spec, aten, isa_text, f32_impl):
    if cap_unavailable(ISA_CAPS[spec.rsplit("-", 1)[1]]):
        pytest.skip(cap_unavailable(ISA_CAPS[spec.rsplit("-", 1)[1]]))
    backend = IsolatedBackend(spec, timeout=120)
    try:
        info = backend.runtime_info()
    finally:
        backend.close()
    # oneDNN's own verbose lines, not the cap we asked for: an ignored or lowered cap would show here
    assert isa_text in info["onednn_isa"] and info["float32_impl"] == f32_impl, info
    assert info["aten_capability"] == aten, info
    # below AVX512_CORE torch stops sending bfloat16 to oneDNN at all
    if spec.endswith("avx2"):
        assert info["bfloat16_impl"].startswith("not oneDNN"), info


def test_a_cap_this_cpu_cannot_honour_is_unavailable_with_the_reason(monkeypatch):
    from conformance.backends.torch import isa as torch_isa

    monkeypatch.setattr(torch_isa, "cpu_flags", lambda: {"sse4_2", "avx"})
    assert "lacks avx2, fma" in registry.load("torch-cpu-avx2").unavailable()


def test_an_isa_cap_cannot_run_in_a_process_whose_torch_is_loaded_without_it():
    why = registry.load("torch-cpu-avx2").in_process_unavailable()
    if os.environ.get("ONEDNN_MAX_CPU_ISA") == "AVX2":
        assert why is None
    else:
        assert "ONEDNN_MAX_CPU_ISA=AVX2" in why and "isolated" in why


def test_a_thread_variant_sets_its_thread_count():
    backend = IsolatedBackend("torch-cpu-1thread", timeout=120)
    try:
        assert backend.runtime_info()["threads"] == 1
    finally:
        backend.close()


def test_layouts_are_chosen_per_tensor_from_the_data_and_keep_every_value():
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(60):
        arrays = {"input": rng.standard_normal((2, 3, 4, 5)), "weight": rng.standard_normal((3, 3, 1, 2)),
                  "bias": rng.standard_normal(3), "grad_output": None}
        chosen = choose(arrays)
        assert chosen == choose({k: None if v is None else v.copy() for k, v in arrays.items()})  # reproducible
        assert set(chosen) == {"input", "weight", "bias"}
        for role, layout in chosen.items():
            seen.add(layout.name)
            t = torch.from_numpy(arrays[role])
            laid = apply(t, layout)
            assert torch.equal(laid, t) and laid.shape == t.shape
            assert (laid.stride(), laid.storage_offset()) == (layout.strides, layout.offset)
            assert str(layout).startswith(f"{layout.name} strides {layout.strides}")
    assert seen == set(LAYOUTS)  # every layout, channels_last included (4-d tensors), is drawn
    assert plan((2, 3), "offset", 5).offset > 0
    size1 = apply(torch.ones(1, 3, 1), plan((1, 3, 1), "size1_strides", 3))
    assert torch.equal(size1, torch.ones(1, 3, 1))


@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (1, 4, 2, 1), (3, 1, 1, 2, 2), (2, 1, 3, 3), (4, 3, 1, 1),
                                   (2, 3, 4), (1, 1, 5), (5,)])
def test_planned_strides_are_torchs_own(shape):
    """The numpy-side plan gives the strides torch's own operations give: channels_last as .contiguous(memory_format=),
    permuted as permute().contiguous().permute(inverse), strided as a ::2 view of a twice-as-wide buffer."""
    t = torch.zeros(shape)
    if len(shape) in (4, 5):
        fmt = torch.channels_last if len(shape) == 4 else torch.channels_last_3d
        assert plan(shape, "channels_last", 0).strides == t.contiguous(memory_format=fmt).stride()
    else:
        assert plan(shape, "channels_last", 0).name == "contiguous"  # no channels-last for other ranks
    for seed in range(8):
        order = [int(i) for i in np.random.default_rng(seed).permutation(len(shape))]
        inverse = [order.index(i) for i in range(len(shape))]
        assert plan(shape, "permuted", seed).strides == t.permute(order).contiguous().permute(inverse).stride()
    wide = torch.zeros(*shape[:-1], 2 * shape[-1])
    assert plan(shape, "strided", 0).strides == wide[..., ::2].stride()
    assert plan(shape, "contiguous", 0).strides == t.stride()


def test_a_layout_says_whether_it_is_channels_last_with_unusual_size1_strides():
    canonical = plan((4, 2, 2, 1), "channels_last", 0)
    assert canonical.channels_last and canonical.noncanonical_size1() == ()
    permuted = Layout("permuted", (4, 2, 2, 1), (4, 1, 2, 1))  # channels-last memory, width stride 1 (not 2)
    assert not permuted.channels_last and permuted.noncanonical_size1() == (3,)
    assert Layout("contiguous", (4, 2, 2, 1), (4, 2, 1, 1)).noncanonical_size1() == ()  # not channels-last memory
    assert Layout("permuted", (4, 2, 1), (2, 1, 1)).noncanonical_size1() == ()  # no channels-last at this rank


@pytest.mark.parametrize("config", [CONV, TRANSPOSED], ids=["conv-reflect", "transposed"])
def test_the_call_text_computes_the_config(config):
    rng = np.random.default_rng(1)
    x, w, b = (rng.standard_normal(s) for s in (config.input_shape, config.weight_shape, (config.out_channels,)))
    got = call_function(call_source(config))(*(torch.from_numpy(a) for a in (x, w, b))).numpy()
    fn = oracle.conv_transpose if config.transposed else oracle.conv
    np.testing.assert_allclose(got, fn(x, w, b, **config.kwargs()), rtol=1e-12, atol=1e-12)
    assert call_function(call_source(config)) is call_function(call_source(config))  # one code object per text


def test_mixed_layouts_conform_and_the_report_shows_them():
    backend = registry.load("torch-cpu-mixed-layouts")
    check_forward(backend, CONV, "float32", "random", 7)
    result = backend.forward(CONV, *(np.ones(s) for s in (CONV.input_shape, CONV.weight_shape, (6,))), "float32")
    assert set(result.notes["layouts"]) == {"input", "weight", "bias"}
    assert "strides" in result.notes["layouts"]["input"]


INDUCTOR_FORWARD = '''
def call(self, args):
    arg0_1, arg1_1, arg2_1 = args
    cpp_fused_convolution_0(arg0_1, arg1_1, buf0, buf1)
    buf2 = extern_kernels.convolution(buf0, buf1, arg2_1, stride=(1, 1), padding=(1, 1), dilation=(1, 1), \
transposed=False, output_padding=(0, 0), groups=1)
    cpp_fused_convolution_1(buf2, buf3)
    return (buf3, )
'''
INDUCTOR_BACKWARD = '''
def call(self, args):
    buf0 = torch.ops.aten.convolution_backward.default(tangents_1, primals_1, primals_2, [6], (1, 1), (1, 1), \
(1, 1), False, (0, 0), 1, [True, True, True])
'''


def test_the_kernel_path_of_a_compiled_call_names_inductors_lowering():
    assert lowering(INDUCTOR_FORWARD) == "extern_kernels.convolution + cpp x2"
    assert kernel_path([INDUCTOR_FORWARD, INDUCTOR_BACKWARD]) == (
        "inductor: extern_kernels.convolution + cpp x2; backward: torch.ops.aten.convolution_backward.default")
    assert kernel_path([]) == "eager (no compiled graph ran)"


def test_a_compiled_backend_conforms_and_reports_what_inductor_ran():
    backend = registry.load("torch-compile-cpu")
    measured = check_forward(backend, CONV, "float32", "integer", 3)
    assert measured.ratios["exact-inputs"] == 0.0
    result = backend.forward(CONV, *(np.ones(s) for s in (CONV.input_shape, CONV.weight_shape, (6,))), "float32")
    assert result.kernel_path.startswith("inductor: extern_kernels.convolution"), result.kernel_path
    info = backend.runtime_info()["compile"]
    assert info["compilations"] >= 1 and info["calls"] >= info["compilations"] and info["eager_fallbacks"] == 0


def test_a_crash_is_a_nonconformance_with_its_reproducer():
    backend = IsolatedBackend("tests.engine.crashing_backends:segfault", timeout=60)
    config = ConvConfig(1, 1, 2, 1, 1, (3,), (1,), (1,), (0,), (1,))
    try:
        with pytest.raises(NonConformance, match="killed its process on a valid config") as failure:
            check_forward(backend, config, "float64", "integer", 0)
    finally:
        backend.close()
    text = str(failure.value)
    assert "signal SIGSEGV" in text and failure.value.case.config == config
    assert "python -m conformance repro --backend tests.engine.crashing_backends:segfault" in text


def test_a_raise_on_a_valid_config_is_a_nonconformance_with_its_reproducer():
    class Raising:
        name = "raising"
        capabilities = registry.load("scipy").capabilities

        def forward(self, *args):
            raise RuntimeError("kernel not implemented for this shape")

    with pytest.raises(NonConformance, match="raised RuntimeError on a valid config") as failure:
        check_forward(Raising(), CONV, "float64", "integer", 0)
    assert "kernel not implemented for this shape" in str(failure.value) and "reproduce" in str(failure.value)


def test_the_standalone_comparison_names_the_worst_element(capsys):
    namespace = {"np": np}
    exec(COMPARE_SOURCE, namespace)  # noqa: S102 - the text every standalone script carries
    expected, bound = np.array([1.0, 2.0, np.nan]), np.array([0.5, 0.5, 0.5])
    assert namespace["compare"]("output", np.array([1.2, 2.0, np.nan]), expected, bound, 0)
    assert not namespace["compare"]("output", np.array([1.0, 4.0, np.nan]), expected, bound, 0)
    assert "1 of 3 elements break their bound" in capsys.readouterr().out
    # an exact -3.8e38 rounds to -inf in bfloat16 (past its largest finite, 3.39e38): admissible where the check
    # admits it (inf_ok -1), a failure where it does not
    big = np.array([-3.8e38, 1.0])
    assert namespace["compare"]("output", np.array([-np.inf, 1.0]), big, np.array([1e36, 0.1]), 0, np.array([-1, 0]))
    assert not namespace["compare"]("output", np.array([-np.inf, 1.0]), big, np.array([1e36, 0.1]), 0)
    assert not namespace["compare"]("output", np.array([np.inf, 1.0]), big, np.array([1e36, 0.1]), 0,
                                    np.array([-1, 0]))
    value = np.array([[1.5, -np.inf], [np.nan, 2.0**-1074]])
    scope = {"np": np, "zlib": __import__("zlib"), "base64": __import__("base64")}
    exec(literal("a", value) + literal("b", np.arange(100.0)), scope)  # noqa: S102 - exact round trips
    np.testing.assert_array_equal(scope["a"], value)
    np.testing.assert_array_equal(scope["b"], np.arange(100.0))


def test_a_torch_standalone_script_runs_with_torch_and_numpy_alone(tmp_path):
    from conformance.report import standalone

    backend = registry.load("torch-cpu-mixed-layouts+1thread")
    path = standalone.write(backend, CONV, "float32", "random", 5, "grads", str(tmp_path), "a headline")
    text = open(path).read()
    assert "import conformance" not in text and "from conformance" not in text and "placed(" in text
    # run where convconf is not importable: only torch and numpy
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-I", path], capture_output=True, text=True, timeout=300, env=env,
                          cwd=str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "grad_input: every element within its bound" in done.stdout


@pytest.mark.skipif(not cpu_flags() or "avx2" not in cpu_flags(), reason="needs an AVX2 CPU for the cap")
def test_an_isa_capped_standalone_script_sets_the_cap_before_torch(tmp_path):
    from conformance.report import standalone

    path = standalone.write(registry.load("torch-cpu-avx2"), CONV, "float32", "integer", 1, "forward",
                            str(tmp_path))
    text = open(path).read()
    assert text.index("os.environ['ONEDNN_MAX_CPU_ISA'] = 'AVX2'") < text.index("import torch")


def test_channels_last_by_torchs_rule():
    """Layout.torch_channels_last is torch's suggest_memory_format() verdict (torch._prims_common mirrors the C++
    one), size-1 axes and 1-d tensors (unsqueezed as torch's 1-d convolutions do) included."""
    import torch._prims_common as prims

    rng = np.random.default_rng(0)
    for _ in range(600):
        shape = tuple(int(rng.integers(1, 4)) for _ in range(int(rng.integers(3, 6))))
        layout = plan(shape, str(rng.choice(LAYOUTS)), int(rng.integers(2**30)))
        t = torch.empty_strided(shape, layout.strides)
        t = t.unsqueeze(2) if len(shape) == 3 else t
        assert layout.torch_channels_last == (prims.suggest_memory_format(t) != torch.contiguous_format), layout
