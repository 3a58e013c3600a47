"""PyTorch backends: CPU and CUDA/cuDNN, eager and compiled, with ISA caps, thread counts and tensor layouts.

Every backend runs one call text (torch_call.call_source: what `torch.nn.Conv*d` does), eagerly or
through torch.compile (torch_compile).  Settings choose what torch dispatches: oneDNN and cuDNN
flags, the memory layout of each tensor (torch_layouts), a oneDNN ISA cap and a thread count
(torch_isa), and the compile mode.  The kernel path is what `torch._C._select_conv_backend` picks
for the call as actually made (eager), or the lowering Inductor produced (compiled).

Names: the built-ins below, plus modifiers joined with '+' onto any of them, e.g.
`torch-cpu-channels-last+avx2+1thread` or `torch-compile-cpu+avx512` (MODIFIERS).
"""

from __future__ import annotations

import contextlib
import os
import warnings
from dataclasses import dataclass, field, replace
from typing import Optional

import numpy as np

from conformance.model.config import ConvConfig
from conformance.backends.protocol import Capabilities, GradResult, Result
from conformance.backends.torch.call import call_function, call_source
from conformance.backends.torch.compile import CompileMode
from conformance.backends.torch.isa import ISA_CAPS, cap_environment, cap_unavailable, environment_mismatch

TORCH_DTYPES = ("float64", "float32", "float16", "bfloat16")
UNNAMED_PATHS = {9: "MkldnnTranspose"}
LAYOUT_POLICIES = ("contiguous", "channels_last", "strided", "mixed")


@dataclass(frozen=True)
class TorchSettings:
    device: str = "cpu"
    mkldnn: bool = True
    cudnn: bool = True
    cudnn_benchmark: bool = False
    cudnn_deterministic: bool = False
    allow_tf32: bool = False
    # every tensor contiguous, channels_last (4-d/5-d), strided (every stride doubled), or each its own (mixed)
    layout: str = "contiguous"
    isa: Optional[str] = None  # a key of torch_isa.ISA_CAPS: oneDNN (and ATen) capped at that ISA
    threads: Optional[str] = None  # None: the process's budget (OMP_NUM_THREADS); "1"; "all": every core
    compile: Optional[CompileMode] = None


def _host(t):
    """A result as numpy in its own precision (bfloat16, which numpy lacks, as float32: exact): no float64
    copy, which a 2**31-element result (the large profile) could not afford."""
    import torch

    t = t.detach().to("cpu")
    return (t.float() if t.dtype == torch.bfloat16 else t).numpy()


@dataclass
class TorchBackend:
    name: str
    settings: TorchSettings = field(default_factory=TorchSettings)
    capabilities: Capabilities = None

    def __post_init__(self):
        if self.capabilities is None:
            self.capabilities = self._declared()
        self._compiled = None
        self._prepared = False

    # -- capabilities -------------------------------------------------------------------------
    def _declared(self) -> Capabilities:
        on_cuda = self.settings.device.startswith("cuda")
        accuracy = {dt: "exact-inputs" for dt in TORCH_DTYPES}
        if not on_cuda:
            # PyTorch promises no float32 accumulation for half types on CPU, and its slow paths
            # (SlowTranspose*, Slow*d without oneDNN) do round partial sums to the storage dtype;
            # the run summary reports which paths meet the tighter exact-inputs class anyway
            accuracy.update(float16="storage", bfloat16="storage")
        if on_cuda and self.settings.allow_tf32:
            accuracy["float32"] = "tf32"  # PyTorch's default for cuDNN convolutions
        compiled = self.settings.compile
        # zero padding and dilation are loop bounds in every torch kernel, never materialised
        # (padding='same' with dilation 2**33 runs in microseconds); Inductor's lowering keeps them
        # as arguments of the extern convolution.  Freezing compiles inference graphs only.
        return Capabilities(dtypes=TORCH_DTYPES, accuracy=accuracy, devices=(self.settings.device,), max_extent=2**34,
                            gradients=not (compiled and compiled.freezing), large_tensors=True)

    @property
    def probe_paths(self) -> bool:
        """Whether coverage may probe the kernel paths this machine reaches (not compiled: those are lowerings,
        and probing would compile a whole grid)."""
        return self.settings.compile is None

    def process_env(self) -> dict:
        """What this backend's process needs in its environment before torch loads (a oneDNN ISA cap)."""
        return cap_environment(ISA_CAPS.get(self.settings.isa))

    def unavailable(self) -> Optional[str]:
        try:
            import torch
        except ImportError:
            return "torch is not installed"
        if self.settings.device.startswith("cuda") and not torch.cuda.is_available():
            return f"{self.name} needs a CUDA device and torch.cuda.is_available() is False on this machine"
        if self.settings.isa is not None:
            return cap_unavailable(ISA_CAPS[self.settings.isa])
        return None

    def in_process_unavailable(self) -> Optional[str]:
        """Why this backend cannot run in the current process (its ISA cap needs a fresh one), or None."""
        return environment_mismatch(self.process_env())

    def version(self) -> str:
        """torch's version and what this backend sets; what its process really dispatched is runtime_info's."""
        import torch

        s = self.settings
        if s.isa is None:  # this process dispatches as the backend's would
            text = f"torch {torch.__version__} (ATen CPU capability {torch.backends.cpu.get_cpu_capability()})"
        else:
            cap = ISA_CAPS[s.isa]
            text = f"torch {torch.__version__} (oneDNN capped at {cap.onednn}, ATen at {cap.aten})"
        if s.threads:
            text += f", {'1 thread' if s.threads == '1' else 'all cores as threads'}"
        if s.layout == "mixed":
            text += ", per-tensor layouts"
        return text + (f", {s.compile.describe()}" if s.compile else "")

    def runtime_info(self) -> dict:
        """What this process really dispatches: oneDNN's ISA and implementations, threads, compile statistics."""
        self._prepare()
        info = {}
        if self.settings.device == "cpu" and self.settings.mkldnn:
            info.update(_dispatched_once())
        else:
            import torch

            info["threads"] = torch.get_num_threads()
        if self.settings.compile:
            from conformance.backends.torch.compile import stats

            info["compile"] = stats()
        return info

    def threads(self) -> int:
        """The intra-op threads this process runs torch's calls with (OMP_NUM_THREADS, or the backend's setting)."""
        import torch

        self._prepare()
        return torch.get_num_threads()

    # -- running ------------------------------------------------------------------------------
    def _prepare(self) -> None:
        """Once per process: the thread count, and Inductor compiling in this process (no worker pool)."""
        if self._prepared:
            return
        import torch

        why = self.in_process_unavailable()
        if why:
            raise RuntimeError(f"{self.name}: {why}")
        if self.settings.threads == "1":
            torch.set_num_threads(1)
        elif self.settings.threads == "all":
            torch.set_num_threads(os.cpu_count() or 1)
        if self.settings.compile is not None:
            import torch._inductor.config as inductor_config

            from conformance.backends.torch.compile import Compiled

            inductor_config.compile_threads = 1
            self._compiled = Compiled(self.settings.compile)
        self._prepared = True

    @contextlib.contextmanager
    def _flags(self):
        import torch

        s = self.settings
        with warnings.catch_warnings():
            # torch's advisory UserWarnings (oneDNN TF32, 'same' padding copies) are not findings
            warnings.simplefilter("ignore", UserWarning)
            with torch.backends.mkldnn.flags(enabled=s.mkldnn), torch.backends.cudnn.flags(
                    enabled=s.cudnn, benchmark=s.cudnn_benchmark, deterministic=s.cudnn_deterministic,
                    allow_tf32=s.allow_tf32):
                yield

    def layouts(self, arrays: dict) -> dict:
        """role -> torch_layouts.Layout for the call's arrays under this backend's layout policy: planned without
        torch, so the judging process knows them even when the call kills the backend's process."""
        from conformance.backends.torch.layouts import choose, uniform

        policy = self.settings.layout
        return choose(arrays) if policy == "mixed" else uniform(arrays, policy)

    def _tensor(self, a, dtype: str, layout, requires_grad=False):
        import torch

        from conformance.backends.torch.layouts import apply

        if a is None:
            return None
        t = torch.from_numpy(np.ascontiguousarray(a)).to(self.settings.device).to(getattr(torch, dtype))
        return apply(t, layout).requires_grad_(requires_grad)

    def _tensors(self, arrays: dict, dtype: str, requires_grad=False) -> tuple:
        """(role -> torch tensor laid out as chosen, role -> its Layout, notes describing the layouts)."""
        chosen = self.layouts(arrays)
        tensors = {role: self._tensor(a, dtype, chosen[role], requires_grad and role != "grad_output")
                   if a is not None else None for role, a in arrays.items()}
        notes = {}
        if self.settings.layout != "contiguous":
            notes["layouts"] = {role: str(layout) for role, layout in chosen.items()}
        if self.settings.compile is not None:
            notes["compile"] = self.settings.compile.describe()
        return tensors, chosen, notes

    def _run(self, config: ConvConfig, tensors: dict, layouts: dict):
        """The call: (output, kernel path) eagerly; compiled, (output, sources of the graphs it ran)."""
        x, w, b = tensors["input"], tensors["weight"], tensors["bias"]
        source = call_source(config)
        if self.settings.compile is None:
            return call_function(source)(x, w, b), self._path(config, x, w, b)
        compiled = self._compiled
        # one compiled function per call text, dtype, layouts and shapes: a result never depends on what the
        # process compiled before (automatic dynamic shapes would make it so), so every failure reproduces alone
        shapes = tuple(None if t is None else tuple(t.shape) for t in (x, w, b))
        signature = (source, str(x.dtype), tuple(sorted((role, layout.name) for role, layout in layouts.items())),
                     x.requires_grad, shapes)
        with compiled.measured(signature) as sources:
            if self.settings.compile.freezing:
                out = compiled.module(source, w, b)(x)
            else:
                out = compiled.function(signature, source)(x, w, b)
        return out, sources

    def _path(self, config: ConvConfig, x, w, b) -> Optional[str]:
        import torch.nn.functional as F

        if config.transposed:
            return _selected(x, w, b, config.stride, config.padding, config.dilation, True, config.output_padding,
                             config.groups)
        before, after = config.padding_pairs()
        probe, ints = x, (0,) * config.ndim
        if config.padding_mode == "zeros" and before == after:
            ints = before
        else:
            # other modes pad with F.pad first; 'same' with an odd total: torch zero-pads the input itself;
            # either way the convolution itself runs unpadded
            pads = [p for bb, aa in zip(reversed(before), reversed(after)) for p in (bb, aa)]
            try:
                mode = "constant" if config.padding_mode == "zeros" else config.padding_mode
                probe = F.pad(x.detach(), pads, mode=mode)
            except (RuntimeError, ValueError, NotImplementedError):
                return None
        return _selected(probe, w, b, config.stride, ints, config.dilation, False, (0,) * config.ndim, config.groups)

    def forward(self, config, x, weight, bias, dtype) -> Result:
        import torch

        self._prepare()
        tensors, layouts, notes = self._tensors({"input": x, "weight": weight, "bias": bias}, dtype)
        with self._flags(), torch.no_grad():
            out, path = self._run(config, tensors, layouts)
        if self.settings.compile is not None:
            from conformance.backends.torch.compile import kernel_path

            path = kernel_path(path)
        return Result(_host(out), str(out.dtype).replace("torch.", ""), path, notes or None)

    def grads(self, config, x, weight, bias, grad_output, dtype) -> GradResult:

        self._prepare()
        tensors, layouts, notes = self._tensors({"input": x, "weight": weight, "bias": bias,
                                               "grad_output": grad_output}, dtype, requires_grad=True)
        with self._flags():
            out, path = self._run(config, tensors, layouts)
            if self.settings.compile is None:
                out.backward(tensors["grad_output"])
            else:
                from conformance.backends.torch.compile import kernel_path

                with self._compiled.measured(("backward", config)) as backward:
                    out.backward(tensors["grad_output"])
                path = kernel_path(path + backward)

        def back(t):
            return None if t is None else _host(t.grad)

        xt, wt, bt = tensors["input"], tensors["weight"], tensors["bias"]
        return GradResult(back(xt), back(wt), back(bt), str(out.dtype).replace("torch.", ""), path, notes or None)

    def standalone_script(self, case: dict) -> str:
        """A script needing only torch and numpy that makes this backend's call for `case` (torch_standalone)."""
        from conformance.backends.torch.standalone import script

        return script(self, case)


_DISPATCHED = {}


def _dispatched_once() -> dict:
    """oneDNN's dispatch in this process, probed once (its ISA line is printed only at the first verbose use)."""
    if not _DISPATCHED:
        from conformance.backends.torch.isa import dispatched

        _DISPATCHED.update(dispatched())
    return dict(_DISPATCHED)


def _selected(x, w, b, stride, padding, dilation, transposed, output_padding, groups) -> Optional[str]:
    import torch

    try:
        chosen = torch._C._select_conv_backend(x, w, b, list(stride), list(padding), list(dilation), transposed,
                                               list(output_padding), groups)
    except (AttributeError, RuntimeError, TypeError):
        return None
    name = getattr(chosen, "name", "???")
    # pybind exports no name for ATen's ConvBackend::MkldnnTranspose (value 9, between
    # Mkldnn = 8 and MkldnnEmpty = 10); name it rather than report "???"
    return UNNAMED_PATHS.get(int(chosen), f"ConvBackend({int(chosen)})") if name == "???" else name


S = TorchSettings
BUILTIN = {
    "torch-cpu": S(),
    "torch-cpu-nomkldnn": S(mkldnn=False),
    "torch-cpu-channels-last": S(layout="channels_last"),
    "torch-cpu-noncontiguous": S(layout="strided"),
    "torch-cpu-mixed-layouts": S(layout="mixed"),
    "torch-cpu-avx2": S(isa="avx2"),
    "torch-cpu-avx512": S(isa="avx512"),
    "torch-cpu-1thread": S(threads="1"),
    "torch-cpu-allthreads": S(threads="all"),
    "torch-compile-cpu": S(compile=CompileMode()),
    "torch-compile-cpu-dynamic": S(compile=CompileMode(dynamic=True)),
    "torch-compile-cpu-freezing": S(compile=CompileMode(freezing=True)),
    "torch-cuda": S(device="cuda", cudnn=False),
    "torch-cudnn": S(device="cuda"),
    "torch-cudnn-default": S(device="cuda", allow_tf32=True),
    "torch-cudnn-benchmark": S(device="cuda", cudnn_benchmark=True),
    "torch-cudnn-deterministic": S(device="cuda", cudnn_deterministic=True),
    "torch-cuda-channels-last": S(device="cuda", layout="channels_last"),
    "torch-compile-cuda": S(device="cuda", compile=CompileMode()),
    "torch-compile-cuda-max-autotune": S(device="cuda", compile=CompileMode(mode="max-autotune")),
}
# '+name' modifiers on any built-in: a oneDNN ISA cap, a thread count, a layout policy
MODIFIERS = {
    **{name: dict(isa=name) for name in ISA_CAPS},
    "1thread": dict(threads="1"), "allthreads": dict(threads="all"),
    "channels-last": dict(layout="channels_last"), "noncontiguous": dict(layout="strided"),
    "mixed-layouts": dict(layout="mixed"),
}


def builtin_equivalent(name: str) -> Optional[str]:
    """The shipped built-in a 'builtin+modifier' variant calls the way of: the same settings, or the same but for
    the thread count (which splits the work without changing the kernels). Known issues name built-ins, and apply
    to a variant through it; None for any other name, and for a variant no built-in matches (an ISA cap on a
    channels-last backend, say), which known issues then do not cover."""
    try:
        settings = _variant_settings(name)
    except UnknownModifier:
        return None
    if settings is None:
        return None
    unthreaded = replace(settings, threads=None)
    return (next((b for b, s in BUILTIN.items() if s == settings), None)
            or next((b for b, s in BUILTIN.items() if replace(s, threads=None) == unthreaded), None))


def builtin_torch_backends() -> dict:
    """name -> factory for every shipped torch backend."""
    return {name: (lambda name=name, s=s: TorchBackend(name, s)) for name, s in BUILTIN.items()}


class UnknownModifier(ValueError):
    pass


def _variant_settings(spec: str) -> Optional[TorchSettings]:
    """The settings of 'builtin+modifier+...', None when spec is no such name."""
    base, *mods = spec.split("+")
    if base not in BUILTIN or not mods:
        return None
    settings = BUILTIN[base]
    for mod in mods:
        if mod not in MODIFIERS:
            raise UnknownModifier(f"unknown modifier {mod!r} in {spec!r}; modifiers: {', '.join(MODIFIERS)}")
        settings = replace(settings, **MODIFIERS[mod])
    return settings


def variant(spec: str) -> Optional[TorchBackend]:
    """The backend of 'builtin+modifier+...' (e.g. torch-cpu+avx2+1thread), None when spec is no such name."""
    settings = _variant_settings(spec)
    return None if settings is None else TorchBackend(spec, settings)
