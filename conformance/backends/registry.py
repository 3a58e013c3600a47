"""Finding backends by name: built-ins, installed entry points, or `package.module:attr`.

A third party registers a backend without touching this repository by declaring, in
its own pyproject.toml,

    [project.entry-points."convconf.backends"]
    mylib = "mylib.convconf_backend:backend"

where the attribute is a Backend instance or a zero-argument callable returning one.
"""

from __future__ import annotations

import importlib
import os
import shlex
import sys
import sysconfig
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Optional

from conformance.backends.protocol import Backend

ENTRY_POINT_GROUP = "convconf.backends"


class UnknownBackend(ValueError):
    """--backend named something that is neither built in, installed, nor importable."""


_SPECS = {}  # backend name -> the spec it was loaded with (reproducers name backends by it)


def _builtin() -> dict:
    from conformance.backends.jax_backend import builtin_jax_backends
    from conformance.backends.onnx_backend import OnnxRuntimeBackend
    from conformance.backends.scipy_backend import ScipyBackend
    from conformance.backends.tf_backend import TensorFlowBackend
    from conformance.backends.torch.backend import builtin_torch_backends

    return {**builtin_torch_backends(), "scipy": ScipyBackend, "onnxruntime-cpu": OnnxRuntimeBackend,
            **builtin_jax_backends(), "tensorflow-cpu": TensorFlowBackend}


def _installed() -> dict:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def names() -> list:
    """Every backend name that `load` accepts without a module path."""
    return sorted({*_builtin(), *_installed()})


def default_names() -> list:
    """What the suite runs when no --backend is given: every built-in (CUDA ones skip without a GPU)."""
    return list(_builtin())


@dataclass(frozen=True)
class DefaultScope:
    """How much of the shipped suite a built-in *variant* runs in a default run (no --backend).

    A variant (a oneDNN ISA cap, a thread count, a layout policy, torch.compile) repeats the checks
    of its base backend through other kernels; so that every built-in runs within the default
    suite's time budget, a default run gives it the core tests only (forward, transposed,
    gradients) on the dtypes, data kinds and padding modes where its kernels differ, at `share` of
    the profile's examples (at least two per item).  `--backend NAME` runs a variant whole, and
    certification always does.
    """

    share: float = 0.25
    dtypes: Optional[tuple] = None
    kinds: Optional[tuple] = None
    modes: Optional[tuple] = None  # forward padding modes
    tests: tuple = ("test_forward", "test_transposed", "test_gradients")

    def excludes(self, test: str, dtype=None, kind=None, mode=None) -> Optional[str]:
        """Why an item of these parameters is outside the scope, or None."""
        for what, value, allowed in (("test", test, self.tests), ("dtype", dtype, self.dtypes),
                                     ("kind", kind, self.kinds), ("padding mode", mode, self.modes)):
            if value is not None and allowed is not None and value not in allowed:
                return what
        return None


# oneDNN's kernels differ by ISA, thread count and layout in the reduced-precision and float32 paths;
# integer, random and adversarial data reach exactness, accuracy and special values
_ONEDNN_KINDS = ("integer", "random", "adversarial")
_EAGER = DefaultScope(dtypes=("float32", "float16", "bfloat16"), kinds=_ONEDNN_KINDS)
# compiling costs 1-3 s per new signature on a cold Inductor cache (CI's), so a compiled variant's
# default run is a smoke test: random data, two examples per item (the first, the simplest config,
# compiles once and is reused); its certification (certify --examples) goes deeper
_COMPILED = DefaultScope(share=0.0, dtypes=("float32", "bfloat16"), kinds=("random",), modes=("zeros",))
DEFAULT_SCOPES = {
    "torch-cpu-mixed-layouts": DefaultScope(kinds=_ONEDNN_KINDS),
    "torch-cpu-avx2": _EAGER, "torch-cpu-avx512": _EAGER,
    "torch-cpu-1thread": DefaultScope(dtypes=("float32", "bfloat16"), kinds=_ONEDNN_KINDS),
    "torch-cpu-allthreads": DefaultScope(dtypes=("float32", "bfloat16"), kinds=_ONEDNN_KINDS),
    "torch-compile-cpu": _COMPILED,
    # each compiled variant pays Inductor's start-up in its own process (10-30 s of a 2-core default run): the
    # default run smoke-tests Inductor through torch-compile-cpu; --backend NAME and certification run these two,
    # and tests/findings holds their known issues' reproducers
    "torch-compile-cpu-dynamic": DefaultScope(tests=()),
    "torch-compile-cpu-freezing": DefaultScope(tests=()),
}


def default_scope(name: str) -> Optional[DefaultScope]:
    """The default-run scope of built-in `name` (None: it runs the whole suite)."""
    return DEFAULT_SCOPES.get(name)


def _instantiate(obj, spec: str) -> Backend:
    if not isinstance(obj, Backend) and callable(obj):
        obj = obj()
    if not isinstance(obj, Backend):
        missing = [a for a in ("name", "capabilities", "forward", "grads") if not hasattr(obj, a)]
        raise UnknownBackend(f"backend {spec!r} resolved to a {type(obj).__name__}, which lacks "
                             f"{', '.join(missing) or 'the Backend protocol'} (see docs/backends.md)")
    return obj


def load(spec: str) -> Backend:
    """A backend instance for a built-in name, an entry-point name, or 'package.module:attr'."""
    backend = _load(spec)
    _SPECS[backend.name] = spec
    return backend


def _load(spec: str) -> Backend:
    if ":" in spec:
        module, _, attr = spec.partition(":")
        try:
            found = importlib.import_module(module)
        except ImportError as exc:
            raise UnknownBackend(f"backend {spec!r}: cannot import {module!r} ({exc})") from None
        except Exception as exc:  # noqa: BLE001 - the user's module failed to import: a setup error, said as one
            where = f" at {exc.filename}:{exc.lineno}" if isinstance(exc, SyntaxError) else ""
            raise UnknownBackend(f"backend {spec!r}: importing {module!r} raised {type(exc).__name__}{where}: "
                                 f"{exc.msg if isinstance(exc, SyntaxError) else exc}") from None
        try:
            obj = getattr(found, attr)
        except AttributeError:
            raise UnknownBackend(f"backend {spec!r}: module {module!r} has no {attr!r}") from None
        return _instantiate(obj, spec)
    builtin = _builtin()
    if spec in builtin:
        return builtin[spec]()
    if "+" in spec:  # a torch built-in with modifiers: torch-cpu+avx2+1thread
        from conformance.backends.torch.backend import UnknownModifier, variant

        try:
            found = variant(spec)
        except UnknownModifier as exc:
            raise UnknownBackend(str(exc)) from None
        if found is not None:
            return found
    installed = _installed()
    if spec in installed:
        return _instantiate(installed[spec].load(), spec)
    raise UnknownBackend(f"unknown backend {spec!r}; known: {', '.join(names())}; or give 'package.module:attr'")


def builtin_equivalent(name: str) -> Optional[str]:
    """The built-in torch backend a 'builtin+modifier' variant calls as (torch's variant rules), or None: how a known
    issue naming built-ins covers a variant, without the findings importing an adapter."""
    if "+" not in name:
        return None
    from conformance.backends.torch.backend import builtin_equivalent as torch_equivalent

    return torch_equivalent(name)


def spec_of(name: str) -> str:
    """The spec backend `name` was loaded with in this process (its name if never loaded here)."""
    return _SPECS.get(name, name)


def module_dir(spec: str):
    """For 'package.module:attr', the directory a fresh process needs on its path to import it, or None
    when it imports from anywhere (installed)."""
    if ":" not in spec:
        return None
    top = sys.modules.get(spec.partition(":")[0].split(".")[0])
    origin = getattr(top, "__file__", None)
    if origin is None:
        return None
    folder = os.path.dirname(os.path.abspath(origin))
    if os.path.basename(origin) == "__init__.py":  # a package: its parent folder goes on the path
        folder = os.path.dirname(folder)
    installed = {os.path.abspath(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")}
    return None if folder in installed else folder


def command_prefix(spec: str) -> str:
    """'PYTHONPATH=<dir> ' when a command line run here must be told where `spec`'s module is (see
    module_dir; the current directory is on the path of `python -m` and `convconf`), else ''."""
    folder = module_dir(spec)
    return "" if folder is None or folder == os.getcwd() else f"PYTHONPATH={shlex.quote(folder)} "
