"""The backend protocol: what a convolution implementation under test declares and does.

A backend receives float64 numpy arrays whose values are exactly representable in the
requested dtype (see conformance.model.dtypes), converts them to its own tensors, runs, and
returns the result upcast to float64 together with the dtype it produced and, where it
can tell, the kernel path that served the call.  Anything it does not declare in
`Capabilities` is skipped with the reason, never failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional, Protocol, runtime_checkable

import numpy as np

from conformance.model.config import ConvConfig


@dataclass(frozen=True)
class Capabilities:
    """What a backend claims; the suite only tests claimed features and holds it to them.

    accuracy: dtype -> accuracy class (conformance.model.bounds.ACCURACY_CLASSES) it promises.
    exact_integers: small-integer data gives bit-exact results (direct, non-transform arithmetic).
    nonfinite: NaN/inf inputs follow IEEE arithmetic of the literal sum (adversarial data includes them).
    max_extent: the largest padding or dilated kernel extent (d*(k-1)+1) the backend evaluates
      without materialising it; the extreme family draws dilations up to this (torch: 2**34).
    large_tensors: the backend takes inputs and returns outputs past 2**31 elements and bytes without
      copying them to float64, so the `large` profile's cases (conformance.judge.large) apply to it.
    general: the general convolution's features it takes natively (conformance.model.config.GENERAL_FEATURES:
      asymmetric and negative padding pairs, input dilation, SAME_UPPER / SAME_LOWER at any stride); with
      a spatial rank above 3 in `ndims`, what ONNX, TensorFlow and XLA define beyond PyTorch.  Configs using
      them are drawn for this backend only and judged by oracle.conv_general.
    general_transposed: those it takes natively in a transposed convolution (config.TRANSPOSED_GENERAL_FEATURES:
      ONNX ConvTranspose's lopsided (begin, end) output crops and auto_pad SAME_UPPER / SAME_LOWER).
    """

    ndims: tuple = (1, 2, 3)
    dtypes: tuple = ("float64", "float32")
    padding_modes: tuple = ("zeros", "reflect", "replicate", "circular")
    transposed: bool = True
    gradients: bool = True
    accuracy: dict = field(default_factory=lambda: {"float64": "exact-inputs", "float32": "exact-inputs"})
    exact_integers: bool = True
    nonfinite: bool = True
    devices: tuple = ("cpu",)
    max_extent: int = 1024
    large_tensors: bool = False
    general: tuple = ()
    general_transposed: tuple = ()
    # (config, dtype or None, gradients) -> why this valid config is outside what the backend can
    # express, or None; for limits that no field above states (ONNX Runtime's output_padding <
    # stride, TensorFlow's missing float64 dilated transposed kernel or grouped CPU gradients).
    # dtype None: whatever the dtype
    config_limits: Optional[Callable] = None

    def declared_general(self, transposed: bool) -> tuple:
        """The general features declared for one direction: general_transposed for transposed configs."""
        return self.general_transposed if transposed else self.general

    def undeclared_general(self, config: ConvConfig) -> list:
        """The general features `config` uses that this backend does not declare (a draw can combine features: a
        cropping pair is lopsided too)."""
        declared = self.declared_general(config.transposed)
        return [f for f in config.general_features() if f not in declared]

    def excludes(self, config: ConvConfig, dtype: Optional[str] = None, gradients: bool = False) -> Optional[str]:
        return self.config_limits(config, dtype, gradients) if self.config_limits is not None else None

    def unsupported(self, config: ConvConfig, dtype: str, gradients: bool = False) -> Optional[str]:
        """Why this backend does not claim (config, dtype), or None when it does."""
        if dtype not in self.dtypes:
            return f"dtype {dtype} not declared (declares {self.dtypes})"
        if config.ndim not in self.ndims:
            return f"{config.ndim}-d not declared (declares {self.ndims})"
        if config.transposed and not self.transposed:
            return "transposed convolution not declared"
        if not config.transposed and config.padding_mode not in self.padding_modes:
            return f"padding_mode {config.padding_mode!r} not declared (declares {self.padding_modes})"
        if gradients and not self.gradients:
            return "gradients not declared"
        missing = self.undeclared_general(config)
        if missing:
            declared = self.declared_general(config.transposed)
            what = "transposed " if config.transposed else ""
            return f"{what}{', '.join(missing)} not declared (declares {declared or 'none of the general features'})"
        return self.excludes(config, dtype, gradients)


@dataclass
class Result:
    """A backend's forward output, as float64 values, with the dtype it produced.

    notes: how the call was made, beyond the config (tensor layouts, compile mode): shown in
    failure reports, so a reader can rebuild the call."""

    output: np.ndarray
    dtype: str
    kernel_path: Optional[str] = None
    notes: Optional[dict] = None


@dataclass
class GradResult:
    grad_input: np.ndarray
    grad_weight: np.ndarray
    grad_bias: Optional[np.ndarray]
    dtype: str
    kernel_path: Optional[str] = None
    notes: Optional[dict] = None


@runtime_checkable
class Backend(Protocol):
    """Implement these four members (plus optionally `unavailable`) to plug a backend in."""

    name: str
    capabilities: Capabilities

    def forward(self, config: ConvConfig, x: np.ndarray, weight: np.ndarray, bias: Optional[np.ndarray],
                dtype: str) -> Result: ...

    def grads(self, config: ConvConfig, x: np.ndarray, weight: np.ndarray, bias: Optional[np.ndarray],
              grad_output: np.ndarray, dtype: str) -> GradResult: ...


def missing_extra(modules: tuple, extra: str) -> Optional[str]:
    """For a third-party backend's `unavailable`: which of `modules` cannot be imported, and the fix."""
    import importlib

    missing = []
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    if not missing:
        return None
    return f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed (pip install \".[{extra}]\")"


def unavailable(backend) -> Optional[str]:
    """Why the backend cannot run on this machine (e.g. no GPU), or None; optional on backends."""
    check = getattr(backend, "unavailable", None)
    return check() if callable(check) else None


def process_env(backend) -> dict:
    """Environment variables the backend's process needs before its framework loads (optional member
    `process_env()`, e.g. a oneDNN ISA cap): isolated and certification workers are spawned with them."""
    get = getattr(backend, "process_env", None)
    return dict(get()) if callable(get) else {}


def call_threads(backend):
    """The intra-op thread count the backend's calls run with (optional member `threads()`), or None where it does
    not say."""
    get = getattr(backend, "threads", None)
    return get() if callable(get) else None


def runtime_info(backend) -> dict:
    """What the backend reports about its process once it has run (optional member `runtime_info()`: the
    ISA a library dispatched, threads, compile statistics), or {}."""
    get = getattr(backend, "runtime_info", None)
    return dict(get() or {}) if callable(get) else {}


def tensor_layouts(backend, arrays: dict):
    """role -> layout of each tensor the backend will build for these arrays (optional member `layouts(arrays)`,
    planned without running anything: torch's per-tensor strides and offsets), or None; known issues that depend on
    layouts match on it, also when the call kills the backend's process."""
    get = getattr(backend, "layouts", None)
    return get(arrays) if callable(get) else None


class BackendCrash(RuntimeError):
    """The process running a backend call died (segfault, abort): reported as that case's failure."""


class BackendTimeout(RuntimeError):
    """A backend call did not return within its time limit (a hang): reported as that case's failure."""
