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
from importlib.metadata import entry_points

from .protocol import Backend

ENTRY_POINT_GROUP = "convconf.backends"


class UnknownBackend(ValueError):
    """--backend named something that is neither built in, installed, nor importable."""


_SPECS = {}  # backend name -> the spec it was loaded with (reproducers name backends by it)


def _builtin() -> dict:
    from .jax_backend import builtin_jax_backends
    from .onnx_backend import OnnxRuntimeBackend
    from .scipy_backend import ScipyBackend
    from .tf_backend import TensorFlowBackend
    from .torch_backend import builtin_torch_backends

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


def _instantiate(obj, spec: str) -> Backend:
    if not isinstance(obj, Backend) and callable(obj):
        obj = obj()
    if not isinstance(obj, Backend):
        raise UnknownBackend(f"backend {spec!r} resolved to {obj!r}, which lacks name/capabilities/forward/grads")
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
            obj = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise UnknownBackend(f"backend {spec!r}: cannot import {attr!r} from {module!r} ({exc})") from None
        return _instantiate(obj, spec)
    builtin = _builtin()
    if spec in builtin:
        return builtin[spec]()
    installed = _installed()
    if spec in installed:
        return _instantiate(installed[spec].load(), spec)
    raise UnknownBackend(f"unknown backend {spec!r}; known: {', '.join(names())}; or give 'package.module:attr'")


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
