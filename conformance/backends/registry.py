"""Finding backends by name: built-ins, installed entry points, or `package.module:attr`.

A third party registers a backend without touching this repository by declaring, in
its own pyproject.toml,

    [project.entry-points."convconf.backends"]
    mylib = "mylib.convconf_backend:backend"

where the attribute is a Backend instance or a zero-argument callable returning one.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from .protocol import Backend

ENTRY_POINT_GROUP = "convconf.backends"


class UnknownBackend(ValueError):
    """--backend named something that is neither built in, installed, nor importable."""


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
