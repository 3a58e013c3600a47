"""`convconf certify --model` and `--profile zoo`: every distinct convolution of real networks, certified at its
real size on one backend (issue #32), with a report listing each layer by its module names.

A user's model is traced (conformance.backends.torch.trace: one forward pass on meta tensors); the zoo's models
come traced already (conformance.zoo).  Each layer runs through the suite's own checks (conformance.run.runner),
forward and (where declared) gradients, on integer data (exactness where the backend owes it) and random data
(the worst-case bound and the probabilistic tier), seed 0, so every failure prints the reproducer a suite failure
prints.  A layer past MAX_MACS multiply-accumulates is a large case instead (conformance.judge.large and
large_grads): integers hashed from each index, its forward and its three gradients checked at sampled positions
aimed at the first and last elements of every axis, SIMD block edges and random places, a failure reproduced by
`convconf large --config ...`.  Past MAX_SAMPLED_MACS the backend's own call is too long for this machine:
untested, with the numbers.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import time
from dataclasses import replace

from conformance.judge.coverage import kinds_for
from conformance.judge.large import LargeCase
from conformance.judge.large_grads import WHOLE_GRID_PRODUCTS
from conformance.judge.recording import Recorder
from conformance.run.runner import run_check
from conformance.zoo import ZooLayer

MAX_MACS = 10**8  # per call, summed over the batch: a few seconds of the full oracle and its gradients on one core
# past this a layer's one forward call costs the backend alone tens of seconds to minutes on a 2-core machine (the
# SD 1.5 VAE decoder's upsampling convolutions reach 1.2e12 at batch 8): untested, with the numbers
MAX_SAMPLED_MACS = 2 * 10**10
KINDS = ("integer", "random")
SAMPLED = {"large": "forward (sampled)", "large-grads": "grads (sampled)"}  # the checks of a layer past MAX_MACS
TRAINING_BATCH = 8  # the zoo's second batch size: a small training batch, within the full oracle for most layers


def zoo_plan(models, backend, dtypes=None, batches=(1, TRAINING_BATCH)) -> list:
    """Every distinct layer of the zoo models at each batch, in each declared dtype (float32/bfloat16/float16 by
    default: the training and inference types), duplicates across models kept (each named by its model)."""
    caps = backend.capabilities
    wanted = [d for d in (dtypes or ("float32", "bfloat16", "float16")) if d in caps.dtypes]
    return [replace(layer.at_batch(b), dtype=d) for m in models for layer in m.layers for b in batches for d in wanted]


def _worst(measured, accuracy: str):
    found = [m.ratios.get(accuracy) for m in (measured.values() if isinstance(measured, dict) else [measured])]
    found = [r for r in found if r is not None]
    return max(found) if found else None


def check_layer(backend, layer: ZooLayer, spec: str, recorder: Recorder, *, kinds=KINDS, max_macs=MAX_MACS,
                grid_budget=WHOLE_GRID_PRODUCTS) -> dict:
    """One layer's record: the verdict of each check and kind (or why none ran), its worst error/bound, its time,
    and the failure reports.  Past `max_macs` the forward and the gradients are checked at sampled positions, the
    oracle's whole-grid gradient sums within `grid_budget` products (conformance.judge.large_grads)."""
    caps = backend.capabilities
    config, dtype = layer.config, layer.dtype
    macs = config.macs
    record = dict(model=layer.model, names=list(layer.names), config=config.short(), batch=config.batch,
                  dtype=dtype, calls=layer.calls, macs=macs, memory_format=layer.memory_format, backend=spec,
                  backward=None if layer.grads is None else list(layer.grads), checks={}, worst=None, seconds=0.0,
                  reports=[])
    why = caps.unsupported(config, dtype)
    if why:
        record["verdict"] = f"n/a: {why}"
        return record
    started = time.perf_counter()
    accuracy = caps.accuracy.get(dtype, "exact-inputs")
    if macs > MAX_SAMPLED_MACS:
        record["verdict"] = f"untested: {macs:.3g} MACs, past the {MAX_SAMPLED_MACS:.0g} one call may cost here"
        return record
    grads = caps.gradients and caps.unsupported(config, dtype, gradients=True) is None
    if macs > max_macs:
        case = LargeCase(f"zoo:{layer.model}:{layer.names[0]}", config, dtype,
                         f"{layer.model} {layer.names[0]}, {macs:.3g} MACs: sampled positions")
        plan = [("large", "integer", (case, spec))] + ([("large-grads", "integer", (case, spec, grid_budget))]
                                                       if grads else [])
    else:
        plan = [(check, kind, (config, dtype, kind, 0)) for check in ("forward", "grads")[:1 + grads]
                for kind in kinds if kind in kinds_for(backend)]
    for check, kind, arguments in plan:
        outcome = run_check(check, backend, *arguments, recorder=recorder)
        name = SAMPLED.get(check) or f"{check} {kind}"
        if outcome.status == "pass":
            ratio = outcome.measured.get("worst_ratio") if check in SAMPLED else _worst(outcome.measured, accuracy)
            record["worst"] = ratio if record["worst"] is None or (ratio or 0) > record["worst"] else record["worst"]
            record["checks"][name] = "pass"
            continue
        record["checks"][name] = f"known issue {outcome.issue.key}" if outcome.status == "known" else outcome.status
        if outcome.report:
            record["reports"].append(outcome.report)
    record["seconds"] = round(time.perf_counter() - started, 2)
    statuses = [v for v in record["checks"].values() if not v.startswith("untested")]
    record["verdict"] = ("fail" if any(v in ("fail", "crash", "timeout") for v in statuses) else
                         "known" if any(v.startswith("known") for v in statuses) else "pass")
    return record


def line(i: int, total: int, r: dict) -> str:
    names = ", ".join(r["names"][:2]) + (" ..." if len(r["names"]) > 2 else "")
    worst = "-" if r["worst"] is None else f"{r['worst']:.3g}"
    detail = "; ".join(f"{k}: {v}" for k, v in r["checks"].items() if v != "pass") or "all checks pass"
    layout = "" if r.get("memory_format", "contiguous") == "contiguous" else f", {r['memory_format']} on {r['backend']}"
    return (f"[{i}/{total}] {r['model']} {names}: {r['config']} [{r['dtype']}, batch {r['batch']}{layout}]\n"
            f"       {r['verdict'].upper() if r['verdict'] in ('fail', 'known', 'pass') else r['verdict']}; "
            f"{detail}; worst err/bound {worst}; {r['seconds']} s")


# the torch modifier that lays every tensor out in a memory format a traced layer ran in (channels_last), or the
# nearest (strided: every stride doubled, where the model's own strides are not kept)
LAYOUT_MODIFIERS = {"channels_last": "channels-last", "strided": "noncontiguous"}


def layout_backends(spec: str, formats, load) -> dict:
    """memory format -> the backend spec its layers run on: the spec itself for contiguous layers, and for the
    others `spec+modifier` where `load` accepts it (a torch backend), else the spec itself (its own layout)."""
    found = {"contiguous": spec}
    for f in sorted(set(formats) - {"contiguous"}):
        variant = f"{spec}+{LAYOUT_MODIFIERS[f]}" if f in LAYOUT_MODIFIERS else spec
        try:
            load(variant)
        except Exception:  # noqa: BLE001 - no such variant (not a torch backend): the layer runs as the backend lays it
            variant = spec
        found[f] = variant
    return found


def certify_layers(planned, backends: dict, echo=print) -> tuple:
    """Certify each planned layer on the backend of its memory format (`backends`: format -> (spec, backend), the
    contiguous one for a format not there), echoing a line each: (records, seconds, kernel paths)."""
    recorder, records, started = Recorder(), [], time.perf_counter()
    for i, layer in enumerate(planned, 1):
        spec, backend = backends.get(layer.memory_format, backends["contiguous"])
        records.append(check_layer(backend, layer, spec, recorder))
        echo(line(i, len(planned), records[-1]))
    paths = {p for _, backend in backends.values() for p in recorder.paths().get(backend.name, ())}
    return records, time.perf_counter() - started, sorted(paths)


def write_report(records, seconds: float, paths, backend_name: str, spec: str, out: str, title: str,
                 echo=print) -> int:
    """report.json and report.md in `out`, the headline echoed; the exit status (1 when a layer fails)."""
    # the peak resident memory of this process and of the backend's (a finished child), kilobytes on Linux
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) * 1024
    counts = {v: sum(r["verdict"] == v for r in records) for v in ("pass", "known", "fail")}
    counts["n/a"] = sum(r["verdict"].startswith("n/a") for r in records)
    counts["untested"] = sum(r["verdict"].startswith("untested") for r in records)
    summary = dict(title=title, backend=backend_name, spec=spec, layers=len(records), seconds=round(seconds, 1),
                   peak_bytes=peak, machine=_machine(), counts=counts, paths=paths)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "report.json"), "w") as handle:
        json.dump(dict(summary=summary, layers=records), handle, indent=1)
    with open(os.path.join(out, "report.md"), "w") as handle:
        handle.write(markdown(summary, records))
    headline = ("Conformant" if not counts["fail"] and not counts["known"] else
                f"No new failures: {counts['known']} layer runs with known issues" if not counts["fail"] else
                f"Non-conformant: {counts['fail']} layer runs fail")
    echo(f"{headline} ({counts['pass']} pass, {counts['n/a']} n/a, {counts['untested']} untested of {len(records)} "
         f"layer runs) in {seconds:.0f} s, "
         f"peak memory {peak / 2**30:.1f} GiB; report: {os.path.join(out, 'report.md')}")
    return 1 if counts["fail"] else 0


def _machine() -> str:
    """The CPU's model name and core count (Linux), else the architecture."""
    try:
        with open("/proc/cpuinfo") as handle:
            name = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
        return f"{name}, {os.cpu_count()} cores"
    except (OSError, StopIteration):
        return platform.machine()


def _shape(text: str) -> tuple:
    from conformance.model.errors import UsageError

    try:
        return tuple(int(v) for v in text.split(","))
    except ValueError:
        raise UsageError(f"--input-shape {text!r}: comma-separated integers, e.g. 1,3,224,224") from None


def traced(spec: str, input_shape: str, dtype: str, layout: str = "contiguous") -> list:
    """The distinct convolutions of a user's model (conformance.backends.torch.trace); usage errors say why not."""
    from conformance.backends.torch.trace import conv_layers, load_model
    from conformance.model.errors import UsageError

    try:
        return conv_layers(load_model(spec), _shape(input_shape), dtype, layout)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def layers_command(args) -> int:
    """`convconf layers`: the distinct convolutions a PyTorch model runs, one line each, in the form repro takes."""
    layers = traced(args.model, args.input_shape, args.dtype, args.memory_format)
    print(f"{args.model} on input {_shape(args.input_shape)} ({args.dtype}, {args.memory_format}): {len(layers)} "
          f"distinct convolutions, {sum(layer.calls for layer in layers)} calls")
    for i, layer in enumerate(layers, 1):
        names = ", ".join(layer.names[:3]) + (f" and {len(layer.names) - 3} more" if len(layer.names) > 3 else "")
        backward = "backward: " + (", ".join(layer.grads) or "none") if layer.grads is not None else "backward untraced"
        print(f"{i:3}. {layer.config.short()}  [{layer.dtype}, {layer.memory_format}, {backward}; {layer.calls} "
              f"call{'s' if layer.calls != 1 else ''}: {names}]")
    return 0


def certify_command(args, load_backend) -> int:
    """`convconf certify --model SPEC --input-shape S` or `--profile zoo`: each layer on the backend (in its own
    process), a line each as it finishes, then report.json and report.md."""
    from conformance.model.errors import UsageError
    from conformance.run.isolation import IsolatedBackend
    from conformance.zoo import select

    local = load_backend(args.backend, args.known_issues)
    if args.model:
        if args.profile == "zoo" or args.zoo_model:
            raise UsageError("--model certifies your model; --profile zoo and --zoo-model the zoo's: give one")
        if not args.input_shape:
            raise UsageError("--model needs --input-shape, e.g. --input-shape 1,3,224,224")
        planned = [ZooLayer(args.model, layer.config, layer.names, layer.calls, layer.dtype, layer.memory_format,
                            layer.grads) for dtype in args.dtype or ["float32"]
                   for layer in traced(args.model, args.input_shape, dtype, args.memory_format)]
        title, default_out = f"{args.model} on input {_shape(args.input_shape)}", f"{local.name}-model"
    else:
        if args.input_shape:
            raise UsageError("--input-shape goes with --model")
        if any(b < 1 for b in args.batch or ()):
            raise UsageError(f"--batch must be >= 1, got {min(args.batch)}")
        try:
            models = select(args.zoo_model)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        planned = zoo_plan(models, local, args.dtype, tuple(args.batch or (1, TRAINING_BATCH)))
        title, default_out = f"The model zoo ({', '.join(m.name for m in models)})", f"{local.name}-zoo"
    specs = layout_backends(args.backend, {layer.memory_format for layer in planned},
                            lambda spec: load_backend(spec, args.known_issues))
    others = "".join(f"; {f} layers on {spec}" for f, spec in specs.items() if f != "contiguous")
    print(f"{title}: {len(planned)} layer runs on {local.name}{others}", flush=True)
    isolated = {}  # spec -> its worker process, one each
    backends = {f: (spec, isolated.setdefault(spec, IsolatedBackend(spec, args.backend_timeout)))
                for f, spec in specs.items()}
    try:
        records, seconds, paths = certify_layers(planned, backends, lambda t: print(t, flush=True))
    finally:
        for backend in isolated.values():
            backend.close()
    for record in [r for r in records if r["verdict"] == "fail"][:3]:
        print("\n" + record["reports"][0])
    return write_report(records, seconds, paths, local.name, args.backend,
                        args.out or os.path.join("reports", default_out), title)


def markdown(summary: dict, records: list) -> str:
    s = summary
    rows = ["| model | modules | config | dtype | batch | layout | backward computes | verdict | worst err/bound | s |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for r in records:
        names = ", ".join(r["names"][:3]) + (f" (+{len(r['names']) - 3})" if len(r["names"]) > 3 else "")
        verdict = r["verdict"] + "".join(f"; {k}: {v}" for k, v in r["checks"].items() if v != "pass")
        worst = "-" if r["worst"] is None else f"{r['worst']:.3g}"
        layout = r.get("memory_format", "contiguous") + ("" if r.get("backend", s["spec"]) == s["spec"] else
                                                         f" (on {r['backend']})")
        backward = "not traced" if r.get("backward") is None else ", ".join(r["backward"]) or "none"
        rows.append(f"| {r['model']} | {names} | `{r['config']}` | {r['dtype']} | {r['batch']} | {layout} | {backward} "
                    f"| {verdict} | {worst} | {r['seconds']} |")
    failures = [f"### {r['model']} {r['names'][0]} ({r['dtype']}, batch {r['batch']})\n\n```\n{text}\n```\n"
                for r in records for text in r["reports"]]
    return "\n".join([f"# {s['title']} on {s['backend']}", "",
                      f"{s['layers']} layer runs: {s['counts']['pass']} pass, {s['counts']['known']} known issues, "
                      f"{s['counts']['fail']} fail, {s['counts']['n/a']} n/a, {s['counts']['untested']} untested; "
                      f"{s['seconds']} s, peak memory "
                      f"{s['peak_bytes'] / 2**30:.1f} GiB, on {s['machine']}; kernel paths "
                      f"{', '.join(s['paths']) or '-'}.", "",
                      f"Layers past {MAX_MACS:.0g} multiply-adds per call are checked at sampled positions, forward "
                      f"and gradients (the large profile's oracle, hashed integer data); past "
                      f"{MAX_SAMPLED_MACS:.0g} the layer is untested (one call of the backend would take minutes "
                      "here).", "", *rows, "",
                      *(["## Failures", "", *failures] if failures else [])]) + "\n"


__all__ = ["MAX_MACS", "MAX_SAMPLED_MACS", "TRAINING_BATCH", "certify_command", "certify_layers",
           "check_layer", "layers_command", "traced", "write_report", "zoo_plan"]
