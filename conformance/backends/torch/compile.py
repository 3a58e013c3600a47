"""torch.compile (Inductor) for the torch backends: compiled calls, the lowering Inductor chose, compile costs.

A compiled backend runs `torch_call.call_source(config)` through torch.compile.  A compiled function
serves every call with the same call text, dtype, tensor layouts and shapes (`Compiled.function`):
an example pays for compilation only when it brings a new signature (the same config under another
data kind reuses it).  Shapes are part of the signature on purpose: with automatic dynamic shapes a
later shape recompiles symbolically, so a result would depend on which shapes the process saw
before, and a failure would not reproduce alone; symbolic shapes are the `dynamic=True` variant's,
from the first call.  Each signature is its own code object with its own filename (Dynamo keeps its
automatic-dynamic state per file, line and name: sharing them, a later shape of the same text compiled
with symbolic sizes, which is how the thorough certification first met inductor-dynamic-conv-backward-
lowering, in failures `repro` could not show alone), compiled with `isolate_recompiles`, so one
signature's guard failures never exhaust another's recompile limit (past it, Dynamo silently falls
back to eager: counted here, never absorbed).

The kernel path of a compiled call is read from what Inductor produced: every compiled graph that
runs is a `CompiledFxGraph`, whose `__call__` is wrapped once per process to note the graphs a call
executed; `lowering` names the extern calls (aten/oneDNN) and the generated kernels in their source.
A call that executes no compiled graph ran eagerly and says so.

`STATS` counts per process: compilations (a call that compiled a Dynamo graph or an Inductor
forward or backward graph), recompilations (a further Dynamo graph for a signature already
compiled), graph breaks, eager fallbacks, and the seconds spent in calls that compiled apart
from those that only ran.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Optional

# compiled signatures kept per process; past this Dynamo's caches are reset (memory)
MAX_SIGNATURES = 256

_executed = threading.local()
STATS = Counter()


@dataclass(frozen=True)
class CompileMode:
    """How a compiled backend calls torch.compile."""

    mode: Optional[str] = None  # torch.compile(mode=...): None (default) or "max-autotune"
    dynamic: Optional[bool] = None  # torch.compile(dynamic=...): None (automatic), True
    freezing: bool = False  # Inductor freezing: weights become constants, prepacked for oneDNN (inference only)

    def describe(self) -> str:
        parts = [f"mode={self.mode!r}" if self.mode else "", f"dynamic={self.dynamic!r}" if self.dynamic else "",
                 "freezing" if self.freezing else ""]
        return "torch.compile(" + ", ".join(p for p in parts if p) + ")"


def _install_hook() -> None:
    """Wrap CompiledFxGraph.__call__ once: each compiled graph that runs appends its source to the current list."""
    import torch._inductor.output_code as output_code

    graph = output_code.CompiledFxGraph
    if getattr(graph.__call__, "_convconf", False):
        return
    original = graph.__call__

    def call(self, inputs):
        ran = getattr(_executed, "sources", None)
        if ran is not None:
            ran.append(getattr(self, "source_code", "") or "")
        return original(self, inputs)

    call._convconf = True
    graph.__call__ = call


@contextlib.contextmanager
def recording():
    """Collect the sources of the compiled graphs run inside the block (yields the list)."""
    _install_hook()
    _executed.sources = []
    try:
        yield _executed.sources
    finally:
        _executed.sources = None


_EXTERN = re.compile(r"\b(extern_kernels\.\w+|torch\.ops\.\w+\.\w+(?:\.\w+)?)\(")
_KERNEL = re.compile(r"^\s*(?:\w+\s*=\s*)?((?:cpp|triton)_\w+?)(?:_\d+)?(?:\.run)?\(", re.M)


def lowering(source: str) -> str:
    """'extern_kernels.convolution + cpp x2': the extern calls and generated kernels a graph's `call` runs."""
    body = source.split("def call(", 1)[-1]
    externs = list(dict.fromkeys(_EXTERN.findall(body)))
    kernels = Counter("template" if "template" in k or k.startswith("triton_tem") else k.split("_")[0]
                      for k in _KERNEL.findall(body))
    parts = externs + [f"{kind} x{n}" for kind, n in sorted(kernels.items())]
    return " + ".join(parts) or "no kernel (constant result)"


def kernel_path(sources: list) -> str:
    """The kernel path of a compiled call: 'inductor: <forward lowering>[; backward: <lowering>]'."""
    if not sources:
        return "eager (no compiled graph ran)"
    names = ["", "backward: "]
    return "inductor: " + "; ".join(names[min(i, 1)] + lowering(s) for i, s in enumerate(sources))


class Compiled:
    """Compiled call functions of one backend process, keyed by signature; counts what compiling cost."""

    def __init__(self, mode: CompileMode):
        self.mode = mode
        self.functions = {}  # signature -> compiled callable
        self.graphs = Counter()  # signature -> Dynamo graphs compiled for it
        self.compiled = 0  # signatures compiled so far: each one's code gets its own filename

    def function(self, signature, source: str):
        import torch

        from conformance.backends.torch.call import call_function

        found = self.functions.get(signature)
        if found is None:
            if len(self.functions) >= MAX_SIGNATURES:
                torch._dynamo.reset()
                self.functions.clear()
            self.compiled += 1
            fn = call_function(source, f"<convconf conv_call {self.compiled}>")
            kwargs = dict(isolate_recompiles=True) if _accepts_isolate() else {}
            found = torch.compile(fn, mode=self.mode.mode, dynamic=self.mode.dynamic, **kwargs)
            self.functions[signature] = found
        return found

    def module(self, source: str, weight, bias):
        """A fresh module holding weight and bias as parameters, compiled for freezing (constants, so one per
        call: a frozen graph never sees new weight values)."""
        import torch

        from conformance.backends.torch.call import call_function

        fn = call_function(source, f"<convconf conv_call frozen {STATS['freezing_modules']}>")

        class Conv(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.weight = torch.nn.Parameter(weight, requires_grad=False)
                self.bias = None if bias is None else torch.nn.Parameter(bias, requires_grad=False)

            def forward(self, x):
                return fn(x, self.weight, self.bias)

        if STATS["freezing_modules"] and STATS["freezing_modules"] % MAX_SIGNATURES == 0:
            torch._dynamo.reset()
        STATS["freezing_modules"] += 1
        kwargs = dict(isolate_recompiles=True) if _accepts_isolate() else {}
        return torch.compile(Conv().eval(), mode=self.mode.mode, dynamic=self.mode.dynamic, **kwargs)

    @contextlib.contextmanager
    def measured(self, signature):
        """Time the call and count the graphs, graph breaks and eager fallbacks it caused (see STATS)."""
        import torch._dynamo.utils as dynamo_utils

        counters = dynamo_utils.counters

        def inductor_compiles():  # every Inductor compilation (forward or backward graph) looks up its cache
            return sum(n for k, n in counters["inductor"].items() if k.startswith("fxgraph_cache"))

        graphs, compiles = counters["stats"]["unique_graphs"], inductor_compiles()
        breaks = sum(counters["graph_break"].values())
        started = time.perf_counter()
        config = contextlib.nullcontext()
        if self.mode.freezing:
            import torch._inductor.config as inductor_config

            config = inductor_config.patch(freezing=True)
        with config, recording() as sources:
            yield sources
        seconds = time.perf_counter() - started
        new_graphs = counters["stats"]["unique_graphs"] - graphs
        if new_graphs or inductor_compiles() > compiles:
            STATS["compilations"] += 1
            STATS["compile_seconds_ms"] += round(seconds * 1000)
            if self.graphs[signature] and not self.mode.freezing:
                STATS["recompilations"] += new_graphs
            self.graphs[signature] += new_graphs
        else:
            STATS["run_seconds_ms"] += round(seconds * 1000)
        STATS["calls"] += 1
        STATS["graph_breaks"] += sum(counters["graph_break"].values()) - breaks
        if not sources:
            STATS["eager_fallbacks"] += 1


def _accepts_isolate() -> bool:
    import inspect

    import torch

    return "isolate_recompiles" in inspect.signature(torch.compile).parameters


def stats() -> dict:
    """This process's compile statistics (seconds, not milliseconds)."""
    out = {k: STATS[k] for k in ("calls", "compilations", "recompilations", "graph_breaks", "eager_fallbacks")}
    out.update((k, v) for k, v in STATS.items() if not k.endswith("_ms"))
    for key in ("compile_seconds", "run_seconds"):
        out[key] = round(STATS[f"{key}_ms"] / 1000, 3)
    return out
