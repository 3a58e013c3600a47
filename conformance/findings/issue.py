"""A known issue: a reproduced non-conformance of one framework, and what it can explain.

A known issue only claims a failure it can explain: the judge re-judges the failing case under the
issue's hypothesis (flush-to-zero of subnormals, a NaN leak, a transform's accuracy, ...) and the issue
matches only if the backend then conforms.  Any other failure of the same test still fails.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

# How far below the overflow threshold a transform's intermediate values may overflow: NNPACK (the only
# transform-based path seen) turned images non-finite whose largest output magnitude was at least
# max finite / 41 in 400 drawn float32 overflow cases (1-2-d, kernels 1-5, batch 16); 2**8 keeps 6x margin
# over that measurement.  Overflow data (conformance/generate/data.py) bring most images that close, so on NNPACK
# the issue excuses the NaN/inf of nearly every overflow image; finite outputs are still judged, and an
# image far from overflow is not excused (tests/findings/test_known_issues.py).
TRANSFORM_GROWTH = 2.0**8


REPRODUCERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reproducers")

_SMALLEST_NORMAL = {"float64": 2.0**-1022, "float32": 2.0**-126, "float16": 2.0**-14, "bfloat16": 2.0**-126}


def flush_subnormals(a, dtype: str):
    """Subnormal values of `dtype` replaced by a zero of the same sign (DAZ semantics)."""
    if a is None:
        return None
    return np.where(np.abs(a) < _SMALLEST_NORMAL[dtype], np.copysign(0.0, a), a)


@dataclass(frozen=True)
class KnownIssue:
    key: str
    backends: tuple
    dtypes: tuple
    kernel_paths: tuple
    summary: str
    # "flush-to-zero", "nan-leak", "transform-accuracy" (conforms to the norm-wise transform class
    # only), "transform-overflow" (NaN/inf anywhere in an image whose largest output magnitude is within
    # TRANSFORM_GROWTH of overflow; the transform class elsewhere), "uninitialised" (the elements no
    # product reaches may hold anything), "crash" (the process dies on valid input), "raises" (the call
    # raises on a valid config, with a message matching `message`), "wrong-shape" (the output has another
    # shape than the specification's: claims a shape mismatch, nothing else) or "wrong-values" (any value
    # may be wrong: kept honest only by a narrow `when`)
    hypothesis: str = "flush-to-zero"
    # config -> whether the issue can occur there (None: any config); keeps a relaxation as
    # narrow as the finding, e.g. grouped convolutions only
    when: Optional[Callable] = None
    # the data kinds (conformance.generate.strategies.DATA_KINDS) the finding was made with; None: any
    kinds: Optional[tuple] = None
    # (env) -> None where a backend process with `env` added to this one's environment (its oneDNN ISA cap) can
    # show the issue, else why not: torch is too new, or another implementation runs the finding's kind of call
    # (onednn_dispatch.runs: what really dispatches, never a CPU flag); there the issue claims nothing and its
    # reduced reproducer skips with that reason
    platform: Optional[Callable] = None
    # "raises": a regular expression the exception's text must match (re.search)
    message: Optional[str] = None
    # "crash": the process may also hang instead of dying (heap corruption can deadlock malloc)
    hangs: bool = False
    # where the finding is documented: docs/findings/<framework>.md#<key> (set by the registry, conformance.findings)
    doc: Optional[str] = None
    # the framework whose absence skips the reduced reproducer (the module it imports first)
    framework: str = "torch"
    # the checks it occurs in (None: any): "forward", "grad_input", "grad_weight", "grad_bias" of a plain
    # config; "transposed", "transposed_grad_input", ... of a transposed one (check_direction); a crash or a
    # raise in a gradient call counts as its grad_input
    directions: Optional[tuple] = None
    # (config, role -> torch_layouts.Layout of the call's tensors) -> whether the issue can occur with them (None:
    # any layouts); an issue with a layout predicate claims nothing from a backend that does not report layouts
    layouts: Optional[Callable] = None
    # a user's declaration (conformance.findings.declared): the file or backend that declared it, and the command
    # it gives as its reproducer; None for the built-in catalogue
    declared_in: Optional[str] = None
    command: Optional[str] = None

    @property
    def reproducer_file(self) -> str:
        """The reduced reproducer, one runnable file: conformance/findings/reproducers/<key>.py (dashes as
        underscores).  It exits 0 where the framework computes right, 1 saying what it got and what is exact
        where the finding shows, or dies as the finding does."""
        return os.path.join(REPRODUCERS, self.key.replace("-", "_") + ".py")

    @property
    def reproducer(self) -> str:
        """The command that runs the reduced reproducer, as reports print it."""
        if self.declared_in is not None:
            return self.command or f"(none declared in {self.declared_in})"
        return f"python -m conformance.findings.reproducers.{self.key.replace('-', '_')}"

    def covers(self, backend: str) -> bool:
        """Whether the issue names `backend`, or the built-in a 'torch-cpu+1thread'-style variant of it calls as."""
        if backend in self.backends:
            return True
        if "+" not in backend:
            return False
        from conformance.backends.registry import builtin_equivalent

        return builtin_equivalent(backend) in self.backends

    def fits_layouts(self, config, layouts) -> bool:
        return self.layouts is None or (layouts is not None and bool(self.layouts(config, layouts)))

    def unreachable_here(self, backend: Optional[str] = None) -> Optional[str]:
        """Why this machine (a process of `backend`, with its ISA cap) cannot show the issue, or None."""
        return self.platform(backend_env(backend)) if self.platform is not None else None

    def applies(self, backend: str, dtype: str, kernel_path, config=None, kind=None, direction=None,
                layouts=None) -> bool:
        """Whether the issue can explain a failure here: the backend, dtype and kernel path (an entry ending in
        '*' matches every path it starts: Inductor's lowerings), the config, data kind, direction and the
        tensors' layouts."""
        path = kernel_path or "unknown"
        if not self.covers(backend) or dtype not in self.dtypes or not any(
                path == p or (p.endswith("*") and path.startswith(p[:-1])) for p in self.kernel_paths):
            return False
        if self.directions is not None and direction is not None and direction not in self.directions:
            return False
        if self.when is not None and config is not None and not self.when(config):
            return False
        if self.kinds is not None and kind is not None and kind not in self.kinds:
            return False
        if not self.fits_layouts(config, layouts):
            return False
        return self.unreachable_here(backend) is None


def backend_env(backend: Optional[str]) -> dict:
    """The environment `backend`'s process adds to this one (protocol.process_env: a oneDNN ISA cap), {} for none or
    an unknown name: what a platform probes under."""
    return dict(_backend_env_items(backend)) if backend else {}


@functools.lru_cache(maxsize=None)
def _backend_env_items(backend: str) -> tuple:
    from conformance.backends import registry
    from conformance.backends.protocol import process_env

    try:
        return tuple(sorted(process_env(registry.load(backend)).items()))
    except registry.UnknownBackend:
        return ()
