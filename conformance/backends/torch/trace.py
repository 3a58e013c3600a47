"""The convolutions a PyTorch model runs, read off one forward pass on meta tensors: no compute, no memory.

`conv_layers(model, input_shape)` moves the model to the meta device, runs it once under a TorchFunctionMode
that records every call of torch's convolution functions (nn.Conv*d and nn.ConvTranspose*d modules call them,
and so does functional code), and returns the distinct configurations with the module names that ran each.
A module with a padding mode other than zeros pads with F.pad and then convolves unpadded (torch.nn's own
implementation): its call is recorded as the module's configuration, padding mode and all.  The first step of
certifying a user's model (issue #32): each entry is a ConvConfig the suite's checks and `convconf repro`
take as they are.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from conformance.model.config import ConvConfig

TORCH_DTYPES = {"torch.float64": "float64", "torch.float32": "float32", "torch.float16": "float16",
                "torch.bfloat16": "bfloat16"}


@dataclass(frozen=True)
class Layer:
    """One distinct convolution of a model: its config and dtype, the modules that ran it, how often."""

    config: ConvConfig
    dtype: str
    names: tuple
    calls: int


def _tuple(value, nd):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * nd


def _config(func_name: str, args, kwargs, module) -> ConvConfig:
    """The ConvConfig of one call of torch.conv{n}d / torch.conv_transpose{n}d (as the functions name their
    arguments), with the padding mode of the module that made it."""
    transposed = "transpose" in func_name
    names = (["input", "weight", "bias", "stride", "padding", "output_padding", "groups", "dilation"] if transposed
             else ["input", "weight", "bias", "stride", "padding", "dilation", "groups"])
    call = dict(zip(names, args), **kwargs)
    x, w = call["input"], call["weight"]
    nd = x.dim() - 2
    groups = int(call.get("groups", 1))
    padding = call.get("padding", 0)
    padding = padding if isinstance(padding, str) else _tuple(padding, nd)
    mode = getattr(module, "padding_mode", "zeros") if module is not None else "zeros"
    size = tuple(int(s) for s in x.shape[2:])
    if mode != "zeros" and not transposed:  # nn.Conv*d padded with F.pad, then convolved at padding 0
        padding = module.padding if isinstance(module.padding, str) else _tuple(module.padding, nd)
        size = tuple(s - 2 * p for s, p in zip(size, padding))
    out_channels = int(w.shape[1]) * groups if transposed else int(w.shape[0])
    return ConvConfig(nd, int(x.shape[0]), int(x.shape[1]), out_channels, groups, size, tuple(int(k) for k in
                      w.shape[2:]), _tuple(call.get("stride", 1), nd), padding, _tuple(call.get("dilation", 1), nd),
                      padding_mode=mode, bias=call.get("bias") is not None, transposed=transposed,
                      output_padding=_tuple(call.get("output_padding", 0), nd) if transposed else None)


def load_model(spec: str):
    """The nn.Module `package.module:attr` names: attr called with no arguments when it is not a module already.
    ValueError naming the spec and the cause otherwise (a usage error)."""
    import importlib

    import torch

    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ValueError(f"--model {spec!r}: give package.module:factory")
    try:
        found = getattr(importlib.import_module(module_name), attr)
    except ImportError as exc:
        raise ValueError(f"--model {spec!r}: cannot import {module_name!r} ({exc})") from None
    except AttributeError:
        raise ValueError(f"--model {spec!r}: module {module_name!r} has no {attr!r}") from None
    except Exception as exc:  # noqa: BLE001 - the user's module raising on import: one line, the cause
        raise ValueError(f"--model {spec!r}: importing {module_name!r} raised {type(exc).__name__}: {exc}") from None
    model = found
    if not isinstance(found, torch.nn.Module) and callable(found):
        try:
            model = found()
        except Exception as exc:  # noqa: BLE001 - the factory's own error, in one line
            raise ValueError(f"--model {spec!r}: calling {attr}() raised {type(exc).__name__}: {exc}") from None
    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"--model {spec!r}: gave a {type(model).__name__}, not a torch.nn.Module")
    return model


def conv_layers(model, input_shape, dtype: str = "float32") -> list:
    """The distinct convolutions `model` runs on an input of `input_shape` in `dtype`, in first-call order."""
    import torch
    from torch.overrides import TorchFunctionMode

    convs = {getattr(torch, f"conv{n}d") for n in (1, 2, 3)} | {getattr(torch, f"conv_transpose{n}d")
                                                                 for n in (1, 2, 3)}
    torch_dtype = getattr(torch, dtype)
    seen = OrderedDict()  # (config, dtype) -> [names, calls]
    current = []  # the conv modules whose forward is running: (name, module)

    class Record(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            if func in convs:
                name, module = current[-1] if current else ("<functional>", None)
                config = _config(func.__name__, args, kwargs, module)
                key = (config, TORCH_DTYPES.get(str(args[1].dtype), str(args[1].dtype)))
                names, calls = seen.setdefault(key, [[], 0])
                if name not in names:
                    names.append(name)
                seen[key][1] = calls + 1
            return func(*args, **kwargs)

    def enter(name):
        def hook(module, args):  # returns None: the module's input is left as it is
            current.append((name or "<model>", module))
        return hook

    def leave(module, args, output):  # returns None: the module's output is left as it is
        current.pop()

    hooks = []
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.modules.conv._ConvNd):
            hooks += [module.register_forward_pre_hook(enter(name)), module.register_forward_hook(leave)]
    try:
        model = model.to(device="meta", dtype=torch_dtype)
        x = torch.empty(tuple(input_shape), device="meta", dtype=torch_dtype)
        with torch.no_grad(), Record():
            model(x)
    except Exception as exc:  # noqa: BLE001 - a model that cannot run on this input: a usage error, said in one line
        message = str(exc).strip().splitlines()
        raise ValueError(f"running the model on a meta input of shape {tuple(input_shape)} raised "
                         f"{type(exc).__name__}: {message[0][:300] if message else ''}") from None
    finally:
        for hook in hooks:
            hook.remove()
    return [Layer(config, d, tuple(names), calls) for (config, d), (names, calls) in seen.items()]


__all__ = ["Layer", "conv_layers", "load_model"]
