"""The convolutions a PyTorch model runs, read off one forward and one backward pass on meta tensors: no compute,
no memory.

`conv_layers(model, input_shape)` moves the model to the meta device, runs it once under a TorchFunctionMode
that records every call of torch's convolution functions (nn.Conv*d and nn.ConvTranspose*d modules call them,
and so does functional code), then runs the backward pass of its outputs' sum, and returns the distinct
configurations with the module names that ran each, the memory format the call saw, and the gradients the
backward pass computed for it (a hook on each call's output: grad_input where the input needs one, grad_weight
and grad_bias where the parameters do; none for a frozen layer; the first layer computes no grad_input).
A module with a padding mode other than zeros pads with F.pad and then convolves unpadded (torch.nn's own
implementation): its call is recorded as the module's configuration, padding mode and all.  The first step of
certifying a user's model (issue #32): each entry is a ConvConfig the suite's checks and `convconf repro`
take as they are.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Optional

from conformance.model.config import ConvConfig

TORCH_DTYPES = {"torch.float64": "float64", "torch.float32": "float32", "torch.float16": "float16",
                "torch.bfloat16": "bfloat16"}


GRADS = ("grad_input", "grad_weight", "grad_bias")
MEMORY_FORMATS = ("contiguous", "channels_last")  # what --memory-format takes; a layer is also "strided" or "untraced"


@dataclass(frozen=True)
class Layer:
    """One distinct convolution of a model: its config and dtype, the modules that ran it, how often, the memory
    format it ran in (`memory_format`), and the gradients the backward pass computed for it (`grads`: None where
    the backward pass was not traced)."""

    config: ConvConfig
    dtype: str
    names: tuple
    calls: int
    memory_format: str = "contiguous"
    grads: Optional[tuple] = None


def memory_format(x, w) -> str:
    """The layout the call runs in, as torch chooses its kernel (suggest_memory_format of input or weight):
    channels_last where either is channels-last (4-d) or channels-last-3d (5-d) and not plainly contiguous too,
    contiguous where the input is, strided otherwise (torch copies it first)."""
    import torch

    def channels_last(t):
        fmt = {4: torch.channels_last, 5: torch.channels_last_3d}.get(t.dim())
        return fmt is not None and not t.is_contiguous() and t.is_contiguous(memory_format=fmt)

    if channels_last(x) or channels_last(w):
        return "channels_last"
    return "contiguous" if x.is_contiguous() else "strided"


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


def conv_layers(model, input_shape, dtype: str = "float32", layout: str = "contiguous", backward: bool = True) -> list:
    """The distinct convolutions `model` runs on an input of `input_shape` in `dtype`, in first-call order: the
    model and its input in `layout` (contiguous, or channels_last: `model.to(memory_format=...)`, as a user who
    trains in it does), the backward pass of the outputs' sum traced too unless `backward` is False.  The model is
    left on the meta device: its weights are not kept.

    Two passes.  On meta tensors, forward and backward: the configs, the modules, and the gradients autograd
    computes (a hook on each call's output).  Then forward alone on CPU tensors with every convolution replaced by
    an empty tensor of its output's shape, in the format torch's CPU convolution gives it: the memory format each
    call sees.  Meta kernels do not propagate strides as the CPU kernels do (a meta convolution returns a
    contiguous output for a channels-last input; the SD VAE decoder's upsampling convolutions see channels-last
    inputs on meta and contiguous ones on CPU), so the formats come from the CPU pass, the n-th call's from the
    n-th call's.  Where that pass cannot run (no memory for the model on CPU, an op that reads the uninitialised
    values) or runs other convolutions (control flow on values), every layer's memory format is "untraced"."""
    import torch

    if layout not in MEMORY_FORMATS:
        raise ValueError(f"--memory-format {layout!r}: one of {', '.join(MEMORY_FORMATS)}")
    torch_dtype = getattr(torch, dtype)
    calls = []  # per call: (config, dtype, name, set of the gradients the backward computed)
    formats = []  # per call: the memory format it saw on CPU
    fmt = {4: torch.channels_last, 5: torch.channels_last_3d}.get(len(input_shape))
    if layout == "channels_last" and fmt is None:
        raise ValueError(f"--memory-format channels_last takes a 4-d or 5-d input, got {len(input_shape)}-d")

    def on(device):
        m = model.to_empty(device=device) if device != "meta" and _on_meta(model) else model.to(device=device)
        m, x = m.to(dtype=torch_dtype), torch.empty(tuple(input_shape), device=device, dtype=torch_dtype)
        return (m.to(memory_format=fmt), x.contiguous(memory_format=fmt)) if layout == "channels_last" else (m, x)

    def record(func, args, kwargs, module, name):
        out = func(*args, **kwargs)
        call = dict(zip(("input", "weight", "bias"), args), **kwargs)
        config = _config(func.__name__, args, kwargs, module)
        wanted = set()
        calls.append((config, TORCH_DTYPES.get(str(call["weight"].dtype), str(call["weight"].dtype)), name, wanted))
        if isinstance(out, torch.Tensor) and out.requires_grad:
            # runs when the backward pass reaches this call: the gradients autograd computes for it
            needs = {g for g, t in zip(GRADS, (call["input"], call["weight"], call.get("bias")))
                     if isinstance(t, torch.Tensor) and t.requires_grad}
            out.register_hook(lambda grad: wanted.update(needs))
        return out

    def stand_in(func, args, kwargs, module, name):
        call = dict(zip(("input", "weight", "bias"), args), **kwargs)
        formats.append(memory_format(call["input"], call["weight"]))
        def meta(v):
            return v.to("meta") if isinstance(v, torch.Tensor) else v

        shape = func(*map(meta, args), **{k: meta(v) for k, v in kwargs.items()}).shape
        # torch's CPU (and CUDA) convolution: a channels-last output where the input or the weight is channels-last
        # (mkldnn_conv_use_channels_last, cudnn_conv_suggest_memory_format), contiguous otherwise
        cl = {4: torch.channels_last, 5: torch.channels_last_3d}.get(len(shape))
        empty = torch.empty(shape, dtype=call["input"].dtype, device=call["input"].device)
        return empty.contiguous(memory_format=cl) if formats[-1] == "channels_last" and cl else empty

    try:
        m, x = on("meta")
        with torch.set_grad_enabled(backward):
            out = _run(m, x, record)
        traced_backward = False
        outputs = [t for t in _tensors(out) if t.requires_grad] if backward else []
        if outputs:
            torch.autograd.backward(outputs, [torch.ones_like(t) for t in outputs])
            traced_backward = True
        try:
            m, x = on("cpu")
            with torch.no_grad():
                _run(m, x, stand_in)
        except Exception:  # noqa: BLE001 - no memory for the CPU pass, or ops that read the uninitialised values
            formats.clear()
    except Exception as exc:  # noqa: BLE001 - a model that cannot run on this input: a usage error, said in one line
        message = str(exc).strip().splitlines()
        raise ValueError(f"running the model on an input of shape {tuple(input_shape)} raised "
                         f"{type(exc).__name__}: {message[0][:300] if message else ''}") from None
    finally:
        model.to(device="meta")  # the CPU pass's storage (uninitialised, never read by a convolution) let go
    if len(formats) != len(calls):  # the CPU pass failed, or the control flow depends on values: formats unknown
        formats = ["untraced"] * len(calls)
    seen = OrderedDict()  # (config, dtype, memory format) -> [names, calls, gradients]
    for (config, d, name, wanted), f in zip(calls, formats):
        entry = seen.setdefault((config, d, f), [[], 0, set()])
        if name not in entry[0]:
            entry[0].append(name)
        entry[1] += 1
        entry[2].update(wanted)
    return [Layer(config, d, tuple(names), n, f, tuple(g for g in GRADS if g in grads) if traced_backward else None)
            for (config, d, f), (names, n, grads) in seen.items()]


def _on_meta(model) -> bool:
    return any(t.is_meta for t in (*model.parameters(), *model.buffers()))


def _run(model, x, each):
    """model(x) with every torch.conv*d / conv_transpose*d call made by each(func, args, kwargs, module, name),
    where module and name are the conv module running it (forward hooks), or None and "<functional>"."""
    import torch
    from torch.overrides import TorchFunctionMode

    convs = {getattr(torch, f"conv{n}d") for n in (1, 2, 3)} | {getattr(torch, f"conv_transpose{n}d")
                                                                 for n in (1, 2, 3)}
    current = []  # the conv modules whose forward is running: (name, module)

    class Record(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            if func not in convs:
                return func(*args, **kwargs)
            name, module = current[-1] if current else ("<functional>", None)
            return each(func, args, kwargs, module, name)

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
        with Record():
            return model(x)
    finally:
        for hook in hooks:
            hook.remove()


def _tensors(out) -> list:
    """The tensors in a model's output: a tensor, or nested tuples, lists, dicts and dataclass-like outputs."""
    import torch

    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, dict):
        return [t for v in out.values() for t in _tensors(v)]
    if isinstance(out, (tuple, list)):
        return [t for v in out for t in _tensors(v)]
    if hasattr(out, "__dict__"):  # transformers' ModelOutput and the like
        return [t for v in vars(out).values() for t in _tensors(v)]
    return []


__all__ = ["GRADS", "Layer", "MEMORY_FORMATS", "conv_layers", "load_model", "memory_format"]
