"""One conformance check end to end: draw data, run backend and oracle, judge, record.

Every caller runs them through conformance.run.runner.run_check (the suite, certification rows,
`repro`, `demo`), so a reproducer runs exactly the code path that failed; what a check saw goes into
the Recorder its caller passes in.
"""

from __future__ import annotations

import functools
import time
from itertools import combinations
from math import prod

import numpy as np

import oracle

from conformance.model.classify import grad_terms
from conformance.model.config import ConvConfig
from conformance.model.dtypes import DTYPES
from conformance.backends.protocol import BackendCrash, BackendTimeout, call_threads, tensor_layouts
from conformance.findings import (TRANSFORM_GROWTH, KnownNonConformance, check_direction, flush_subnormals, known_crash,
                           known_raise, matching)
from conformance.judge.recording import Recorder
from conformance.generate.data import draw_array, draw_inputs, frame, integer_limit
from conformance.judge.verdict import Case, Measurement, NonConformance, Observation, report


def exact_owed(backend, dtype: str, terms: int, x, w, b=None) -> bool:
    """Bit-exactness is owed when the backend declares exact integers and the data are integers
    whose every partial sum (|x|max * |w|max * terms + |b|max) fits the dtype's mantissa."""
    if not backend.capabilities.exact_integers:
        return False
    span = 2.0 ** (DTYPES[dtype].mantissa_bits + 1)
    peak = prod(float(np.abs(a).max()) if a.size else 0.0 for a in (x, w))
    bias = float(np.abs(b).max()) if b is not None and b.size else 0.0
    return peak * terms + bias < span


def _exact(backend, kind: str, dtype: str, terms: int, *arrays) -> bool:
    return kind == "integer" and exact_owed(backend, dtype, terms, *arrays)


def _declared_class(backend, dtype: str) -> str:
    return backend.capabilities.accuracy.get(dtype, "exact-inputs")


def judge(obs: Observation, recorder: Recorder) -> Measurement:
    """The verdict on one observation: check() against its oracle; on failure, let a matching known issue claim it.

    A known issue claims the failure only if the backend conforms once the oracle is given the issue's
    semantics: flush-to-zero (subnormal inputs read as zero, and every result below the smallest normal may
    be zero: verdict.check's `ftz`), a NaN leak (extra NaNs where an input is not finite), or transform
    accuracy (the norm-wise class).  Claims are counted in `recorder`.
    """
    ref, mag = obs.oracle()
    try:
        return obs.compare(ref, mag)
    except NonConformance as failure:
        case = obs.case
        finite_inputs = all(a is None or np.isfinite(a).all() for a in obs.inputs)
        candidates = []
        for issue in matching(case.backend, case.dtype, obs.kernel_path, case.config, case.kind,
                              check_direction(case.config, case.direction), case.layouts):
            if issue.hypothesis in ("crash", "raises"):  # explain a dead process or an exception, never a value
                continue
            if issue.hypothesis == "wrong-values":  # nothing to re-judge: its `when` is the whole claim
                raise _known(recorder, case.backend, issue, str(failure)) from None
            if issue.hypothesis == "wrong-shape":  # claims a shape mismatch only: right-shaped values are judged
                if np.shape(obs.got) != np.shape(ref):
                    raise _known(recorder, case.backend, issue, str(failure)) from None
                continue
            if issue.hypothesis == "nan-leak" and finite_inputs:  # a NaN leak needs a non-finite input to leak
                continue
            candidates.append(issue)
        # several issues can hit one case, and one issue's semantics can hide another's (flushing a subnormal
        # weight turns inf * w into NaN): every combination is tried, smallest first
        for size in range(1, len(candidates) + 1):
            for combo in combinations(candidates, size):
                if _conforms_under(combo, obs):
                    for issue in combo[:-1]:
                        recorder.known_hit(case.backend, issue.key)
                    raise _known(recorder, case.backend, combo[-1], str(failure)) from None
        raise


def _conforms_under(issues, obs: Observation) -> bool:
    """Whether the result conforms once the oracle takes these issues' semantics: flush-to-zero (any result below
    the smallest normal may be zero: verdict.check's `ftz`; subnormal inputs read as zero (DAZ) or, the mode some
    CPUs and kernels run in, as they are: FTZ alone), a NaN leak (extra NaNs accepted), transform accuracy (the
    norm-wise class), transform overflow (NaN/inf accepted in images near overflow), uninitialised (any value
    accepted in the elements no product reaches: their exact value is 0 but the kernel never writes them)."""
    kinds = {issue.hypothesis for issue in issues}
    ftz = "flush-to-zero" in kinds
    dtype = obs.case.dtype
    # DAZ first; FTZ alone only where some input is subnormal (else both readings are the same)
    readings = [[flush_subnormals(a, dtype) for a in obs.inputs]] if ftz else [list(obs.inputs)]
    if ftz and any(a is not None and not np.array_equal(a, b, equal_nan=True)
                   for a, b in zip(obs.inputs, readings[0])):
        readings.append(list(obs.inputs))
    cls = "transform" if kinds & {"transform-accuracy", "transform-overflow"} else obs.accuracy_class
    unreached = _unreached(obs) if "uninitialised" in kinds else None
    for alt_inputs in readings:
        ref_alt, mag_alt = obs.oracle(alt_inputs)
        if unreached is not None and np.shape(unreached) == np.shape(obs.got):
            ref_alt = np.where(unreached, np.asarray(obs.got, dtype=np.float64), ref_alt)
        if "nan-leak" in kinds:  # accept extra NaNs; every other element is still judged
            ref_alt = np.where(np.isnan(obs.got), np.nan, ref_alt)
        if "transform-overflow" in kinds:
            ref_alt = _overflowed_images(obs.got, ref_alt, mag_alt, dtype, obs.scale)
        try:
            obs.compare(ref_alt, mag_alt, accuracy_class=cls, exact=False, ftz=ftz, probabilistic=False)
        except NonConformance:
            continue
        return True
    return False


def _unreached(obs: Observation):
    """Mask of the result elements no product reaches, which a kernel that leaves them unwritten fills with stale
    memory.  On all-ones data (a bias of zeros: it is no product) every element is its count of products times
    the frame's power of two, so 0 marks them.  A grad_input with a padding mode other than zeros is the adjoint
    of an explicit pad (torch runs F.pad, then the convolution at padding 0): the unreached elements of the padded
    input's gradient fold into every input element they copy (oracle.padding.unpad_adjoint)."""
    case = obs.case
    ones = [None if a is None else np.ones_like(a) for a in obs.inputs]
    if case.direction == "forward" and ones[2] is not None:
        ones[2] = np.zeros_like(ones[2])
    counts = obs.oracle(ones)[0]
    c = case.config
    if case.direction != "grad_input" or c.transposed or c.padding_mode == "zeros":
        return counts == 0
    s = c.spec()
    padded = oracle.padding.padded_shape(s.input_shape, s.pad_before, s.pad_after, 2)
    at_zero = dict(stride=c.stride, padding=0, dilation=c.dilation, groups=c.groups)
    padded_counts = oracle.conv_grads(np.ones(padded), np.ones(c.weight_shape),
                                      np.ones(oracle.output_shape(padded, c.weight_shape, **at_zero)),
                                      **at_zero).grad_input
    folded = oracle.padding.unpad_adjoint((padded_counts == 0).astype(np.float64), s.input_size, s.pad_before,
                                          s.pad_after, c.padding_mode, 2)
    return folded > 0


def _overflowed_images(got, ref, mag, dtype: str, scale: int):
    """ref with got's NaN/inf accepted in every image (batch entry) whose largest output magnitude
    reaches max finite / TRANSFORM_GROWTH (in the frame 2**-scale): a transform's intermediate values
    outgrow the result, and one overflow spreads over its tile (known_issues.TRANSFORM_GROWTH)."""
    got, ref, mag = (np.asarray(a, dtype=np.float64) for a in (got, ref, mag))
    if got.shape != ref.shape or got.ndim < 2:
        return ref
    limit = np.ldexp(DTYPES[dtype].max_finite, -scale) / TRANSFORM_GROWTH
    largest = np.nan_to_num(mag, nan=np.inf).reshape(len(mag), -1).max(axis=1)  # per image
    near = (largest >= limit).reshape(-1, *[1] * (ref.ndim - 1))
    return np.where(near & ~np.isfinite(got), got, ref)


def _scaled(a, e: int):
    """a * 2**-e (exact: a power of two), None stays None."""
    return a if a is None or not e else np.ldexp(a, -e)


def _call(backend, case: Case, run, recorder: Recorder):
    """run(); a crash, a hang or an exception on this valid config becomes a NonConformance with the case's
    report and reproducer, or, where a known issue explains it, that issue's KnownNonConformance.  A crash or
    hang no known issue explains, in a backend process that had served earlier calls, is re-run alone in a
    fresh process: when it survives there, the death belongs to the process's history, and an earlier call in
    the geometry of a known crash (memory-unsafe: it may have corrupted the heap and returned) claims it."""
    try:
        return run()
    except (BackendCrash, BackendTimeout) as died:
        hang = isinstance(died, BackendTimeout)
        what = "hung" if hang else "killed its process"
        lines = [f"error         {died}"]
        direction = check_direction(case.config, case.direction)
        issue = known_crash(backend.name, case.dtype, case.config, direction, hang=hang, layouts=case.layouts)
        earlier = list(getattr(backend, "dead_calls", ()))  # only an isolated backend keeps them
        if issue is None and earlier:
            account, issue = _fresh_process_account(backend, run, earlier, hang)
            lines += account
        text = report(case, f"{what} on a valid config", lines, None)
        if issue is None:
            raise NonConformance(text, None, case, "timeout" if hang else "crash") from died
        raise _known(recorder, backend.name, issue, text) from None
    except (NonConformance, KnownNonConformance):
        raise
    except Exception as exc:  # noqa: BLE001 - a backend raising on a valid config does not conform
        message = str(exc).strip().splitlines()
        name = getattr(exc, "type_name", type(exc).__name__)  # isolation.BackendError keeps the original type
        text = report(case, f"raised {name} on a valid config",
                      [f"error         {message[0][:300] if message else name}"]
                      + [f"              {line[:300]}" for line in message[1:4]], None)
        direction = check_direction(case.config, case.direction)
        issue = known_raise(backend.name, case.dtype, case.config, str(exc), direction, case.layouts)
        if issue is None:
            raise NonConformance(text, None, case) from exc
        raise _known(recorder, backend.name, issue, text) from None


def _fresh_process_account(backend, run, earlier, hang: bool):
    """(report lines, claiming issue or None) on re-running a case that killed (hung) a process that had served
    `earlier` calls: alone in a fresh process it dies again (its own death), or it survives and the suspects are the
    dead process's earlier calls; the latest one a known crash's geometry covers claims the death."""
    try:
        run()
    except (BackendCrash, BackendTimeout) as again:
        return [f"fresh process died again when re-run alone in a fresh process ({again})"], None
    except Exception:  # noqa: BLE001 - it raised, but the process lived: the death was not this case's alone
        pass
    lines = [f"fresh process survived when re-run alone in a fresh process; the dead one had served "
             f"{len(earlier)} earlier call(s)"]
    for method, config, dtype, layouts in reversed(earlier):
        # a forward call is matched as one; a grads call ran forward and every gradient, so any direction
        issue = known_crash(backend.name, dtype, config, check_direction(config, "forward") if method == "forward"
                            else None, hang=hang, layouts=layouts)
        if issue is not None:
            return lines + [f"earlier call  {method} {dtype} {config.short()}: in the geometry of known issue "
                            f"{issue.key} (memory-unsafe), which returned and may have corrupted the process",
                            f"              config repr {config!r}"], issue
    return lines + [f"last calls    {method} {dtype} {config.short()}"
                    for method, config, dtype, _ in earlier[-3:]], None


def _known(recorder: Recorder, backend: str, issue, report: str) -> KnownNonConformance:
    """The known issue's claim on a failure, counted in the run's record."""
    recorder.known_hit(backend, issue.key)
    return KnownNonConformance(issue, report)


def nonfinite_weight_exempt(config: ConvConfig, w: np.ndarray):
    """Output mask of elements where a non-finite weight meets zero padding or a zero-inserted position.

    The literal sum has 0 * inf = NaN there for padding (forward), and no such product at all for
    a transposed convolution's zero-inserted positions; kernels that skip padded taps, or run the
    transpose as a direct convolution over a zero-inserted input, give other values.  IEEE leaves
    this to the implementation, so exactly these elements are not judged.  Counted with the oracle
    on 0/1 data: per output, the non-finite taps of its channel minus those that read a real input.
    """
    bad = ~np.isfinite(w)
    if not bad.any():
        return None
    reached = config.oracle_forward()(np.ones(config.input_shape), bad.astype(np.float64), None)
    g = config.groups
    if config.transposed:  # weight (in_channels, out/groups, *k): channel g*out_pg + c sums group g's rows
        total = bad.reshape(g, config.in_channels // g, config.out_channels // g, -1).sum(axis=(1, 3)).reshape(-1)
    else:
        total = bad.reshape(config.out_channels, -1).sum(axis=1)
    return total.reshape(1, -1, *(1,) * config.ndim) > reached


def nonfinite_weight_exempt_grad_input(config: ConvConfig, w: np.ndarray):
    """grad_input mask of elements where a non-finite weight meets a grad_output position that does not exist.

    grad_input[n, ci, i] is the literal sum of gy[n, co, o] * w[co, c, k] over the (output, tap) pairs that
    read input i.  Dense kernels also multiply every other tap of the channel's weights by a zero standing for
    an output that is not there: a transposed convolution of grad_output pads it with zeros and inserts zeros
    between strided outputs (a plain config's grad_input), or reads grad_output past its ends (a transposed
    config's, a direct convolution of grad_output cropped by the padding).  A non-finite weight there gives
    inf * 0 = NaN, a product the literal sum does not have, as with a non-finite weight on a padded tap
    forward: IEEE leaves it to the implementation, so exactly these elements are not judged.  Exact zeros of
    grad_output itself are real products (0 * inf = NaN is owed there).  Counted with the oracle on 0/1
    data: an element is exempt where its channel's non-finite taps outnumber those meeting a real output.
    Through a reflect, replicate or circular padding the count runs over the padded input (where the dense
    products land) and an input element is exempt when any padded position that folds onto it is.
    """
    bad = ~np.isfinite(w)
    if not bad.any():
        return None
    g, nd = config.groups, config.ndim
    ones = np.ones
    if config.transposed:  # weight (in_channels, out/groups, *k): input channel ci meets row ci
        reached = config.oracle_grads()(ones(config.input_shape), bad.astype(np.float64),
                                        ones(config.output_shape)).grad_input
        return bad.reshape(config.in_channels, -1).sum(axis=1).reshape(1, -1, *(1,) * nd) > reached
    spec = config.spec()
    # weight (out_channels, in/groups, *k): input channel g*in_pg + c meets w[co, c] for every co of group g
    total = bad.reshape(g, config.out_channels // g, config.in_channels // g, -1).sum(axis=(1, 3)).reshape(-1)
    if spec.padding_mode == "zeros":  # each input element is one padded position: count on the config itself
        # (its padding may be 2**31 wide: the oracle never materialises it)
        reached = config.oracle_grads()(ones(config.input_shape), bad.astype(np.float64),
                                        ones(config.output_shape)).grad_input
        return total.reshape(1, -1, *(1,) * nd) > reached
    # the same convolution over the padded input, unpadded: its grad_input is the padded positions' counts (these
    # modes pad by less than the input size, or a few elements past it for replicate)
    padded = ConvConfig(nd, config.batch, config.in_channels, config.out_channels, g, spec.padded_size,
                        config.kernel_size, config.stride, (0,) * nd, config.dilation, "zeros", False)
    reached = padded.oracle_grads()(ones(padded.input_shape), bad.astype(np.float64),
                                    ones(padded.output_shape)).grad_input
    missing = total.reshape(1, -1, *(1,) * nd) > reached
    mode = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[spec.padding_mode]
    for axis, (n, before, after) in enumerate(zip(spec.input_size, spec.pad_before, spec.pad_after)):
        source = np.pad(np.arange(n), (before, after), mode=mode)  # source[q]: the input element q holds
        moved = np.moveaxis(missing, 2 + axis, 0)
        folded = np.zeros((n,) + moved.shape[1:], bool)
        np.logical_or.at(folded, source, moved)
        missing = np.moveaxis(folded, 0, 2 + axis)
    return missing


def data_nonfinite(backend, kind: str) -> bool:
    """Whether NaN/inf inputs go into this kind's data for this backend (adversarial: if it declares them)."""
    return kind == "nonfinite" or (kind == "adversarial" and backend.capabilities.nonfinite)


def _recorded(check: str):
    """Decorator: count the example in the caller's record (conformance.judge.recording), whatever its verdict.
    Without a `recorder` the check's observations are kept nowhere (a test, a one-off call)."""
    def wrap(fn):
        @functools.wraps(fn)
        def run(backend, config, dtype, kind, seed, *, recorder=None):
            recorder = Recorder() if recorder is None else recorder
            started = time.perf_counter()
            try:
                return fn(backend, config, dtype, kind, seed, recorder)
            finally:
                recorder.example(backend.name, config, check, dtype, kind, time.perf_counter() - started)
        return run
    return wrap


@_recorded("forward")
def check_forward(backend, config: ConvConfig, dtype: str, kind: str, seed: int, recorder: Recorder):
    x, w, b = draw_inputs(config, dtype, kind, seed, nonfinite=data_nonfinite(backend, kind))
    fn = config.oracle_forward()
    e = frame(dtype, kind)

    def reference(x_, w_, b_):
        x_, w_, b_ = _scaled(x_, e), _scaled(w_, e), _scaled(b_, 2 * e)
        return ((fn(x_, w_, b_),), (oracle.magnitude(fn, x_, w_, b_),))

    case = Case(backend.name, config, dtype, kind, seed, "forward",
                tensor_layouts(backend, {"input": x, "weight": w, "bias": b}), call_threads(backend))
    result = _call(backend, case, lambda: backend.forward(config, x, w, b, dtype), recorder)
    recorder.call(backend.name, result.kernel_path)
    terms = config.spec().terms_per_output
    measured = judge(Observation(case, result.output, result.dtype, reference, (x, w, b), terms,
                                 _declared_class(backend, dtype), _exact(backend, kind, dtype, terms, x, w, b),
                                 result.kernel_path, scale=2 * e, exempt=nonfinite_weight_exempt(config, w),
                                 notes=getattr(result, "notes", None), probabilistic=kind == "random"), recorder)
    recorder.record(backend.name, "transposed" if config.transposed else "forward", dtype, kind, result.kernel_path,
                    measured, _declared_class(backend, dtype))
    return measured


def nan_admissible_grad_weight(config: ConvConfig, x: np.ndarray):
    """Weight-shaped mask of grad_weight elements that may be NaN beyond the literal sum, or None.

    grad_weight sums x * grad_output over the (input element, tap) pairs that land on an output.
    Dense implementations also form the pairs that land outside the output (cropped by a
    transposed conv's padding, skipped by a stride) and multiply them by an implicit zero:
    a non-finite x then gives inf * 0 = NaN.  IEEE leaves that choice to the implementation,
    as with a NaN weight on a zero-padding tap, so every tap of an input channel holding a
    non-finite value may be NaN; where the literal sum is NaN, NaN stays required.
    """
    bad = ~np.isfinite(x).all(axis=tuple(i for i in range(x.ndim) if i != 1))
    if not bad.any():
        return None
    taps = (1,) * config.ndim
    if config.transposed:  # weight (in_channels, out_channels/groups, *k)
        return np.broadcast_to(bad.reshape(-1, 1, *taps), config.weight_shape)
    per_group = bad.reshape(config.groups, 1, config.in_channels // config.groups)
    mask = np.repeat(per_group, config.out_channels // config.groups, axis=1)  # (G, Cout/G, Cin/G)
    return np.broadcast_to(mask.reshape(config.out_channels, -1, *taps), config.weight_shape)


def grad_output_for(config: ConvConfig, dtype: str, kind: str, seed: int) -> np.ndarray:
    """The grad_output of a gradient check: the kind's data, small enough on integer data that every gradient
    element is exact.  For the nonfinite kind it stays finite (so that NaN/inf in the input and the weight show
    where each goes) and holds a quarter of exact signed zeros: 0 * inf = NaN is owed wherever a non-finite
    weight or input meets one, and a kernel that skips zero grad_output entries (a sparse shortcut) returns
    a number there instead."""
    gy = draw_array(config.output_shape, dtype, "random" if kind == "nonfinite" else kind, seed + 3,
                    integer_limit=integer_limit(dtype, max(grad_terms(config).values())))
    if kind == "nonfinite":
        pick = np.random.default_rng(seed + 4).random(gy.shape)
        gy[pick < 0.125] = 0.0
        gy[(pick >= 0.125) & (pick < 0.25)] = -0.0
    return gy


@_recorded("gradients")
def check_grads(backend, config: ConvConfig, dtype: str, kind: str, seed: int, recorder: Recorder):
    """The three gradients against the oracle.  The nonfinite kind puts NaN/inf in the input and the weight,
    and exact zeros in a finite grad_output (conformance.generate.data.draw_inputs, grad_output_for)."""
    x, w, b = draw_inputs(config, dtype, kind, seed, nonfinite=data_nonfinite(backend, kind))
    terms = grad_terms(config)
    gy = grad_output_for(config, dtype, kind, seed)
    e = frame(dtype, kind)
    fn = config.oracle_grads()

    layouts = tensor_layouts(backend, {"input": x, "weight": w, "bias": b, "grad_output": gy})
    result = _call(backend, Case(backend.name, config, dtype, kind, seed, "grad_input", layouts, call_threads(backend)),
                   lambda: backend.grads(config, x, w, b, gy, dtype), recorder)
    recorder.call(backend.name, result.kernel_path)
    admissible = nan_admissible_grad_weight(config, x)
    exempt_input = nonfinite_weight_exempt_grad_input(config, w)

    def reference(x_, w_, gy_):
        x_, w_, gy_ = _scaled(x_, e), _scaled(w_, e), _scaled(gy_, e)
        grads = fn(x_, w_, gy_)
        if admissible is not None and result.grad_weight is not None and \
                np.shape(result.grad_weight) == grads.grad_weight.shape:
            grads = grads._replace(grad_weight=np.where(admissible & np.isnan(result.grad_weight), np.nan,
                                                        grads.grad_weight))
        return grads, oracle.magnitude(fn, x_, w_, gy_)

    got = {"grad_input": result.grad_input, "grad_weight": result.grad_weight, "grad_bias": result.grad_bias}
    factors = {"grad_input": (gy, w), "grad_weight": (gy, x), "grad_bias": (gy, np.ones(1))}
    out = {}
    for pick, name in enumerate(("grad_input", "grad_weight", "grad_bias")):
        if name == "grad_bias" and not config.bias:
            continue
        case = Case(backend.name, config, dtype, kind, seed, name, layouts, call_threads(backend))
        exact = _exact(backend, kind, dtype, terms[name], *factors[name])
        # frames: grad_input and grad_weight are products of two scaled factors, grad_bias a sum of one
        out[name] = judge(Observation(case, got[name], result.dtype, reference, (x, w, gy), terms[name],
                                      _declared_class(backend, dtype), exact, result.kernel_path, pick,
                                      scale=e if name == "grad_bias" else 2 * e, notes=getattr(result, "notes", None),
                                      exempt=exempt_input if name == "grad_input" else None,
                                      probabilistic=kind == "random"), recorder)
        recorder.record(backend.name, name, dtype, kind, result.kernel_path, out[name], _declared_class(backend, dtype))
    return out
