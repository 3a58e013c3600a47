"""Standalone reproducers: one case as a script that needs only the backend's framework and numpy.

A framework team should not need convconf to see a bug.  For a failing case (config, dtype, data
kind, seed, check) this module regenerates the exact data the backend received, computes the
oracle's values and each element's bound, and hands the backend (protocol member
`standalone_script(case)`) a `case` dict with ready-made source text:

  arrays_source    defines numpy arrays `x`, `weight`, `bias` (None without a bias), `grad_output`
                   (gradients only) and, per output name, `expected_<name>`, `bound_<name>` and `inf_ok_<name>`
  compare_source   defines compare(name, got, expected, bound, scale, inf_ok): prints the worst element,
                   the backend's value next to the oracle's, the bound, and how many elements break
                   it; returns False on a violation
  check, config, dtype, kind, seed, headline, outputs (the output names, in order), scale

The backend writes the imports, flags, environment, layouts and the call, then one compare per
output; the script exits 1 while the bug is there (or dies, for a crash).  Arrays of up to 64
elements are written as literals; larger ones as base64 of their zlib-compressed float64 bytes.
"""

from __future__ import annotations

import base64
import hashlib
import os
import zlib

import numpy as np

import oracle

from conformance.model.bounds import arithmetic
from conformance.judge.verdict import admissible_infinities
from conformance.judge.checks import _declared_class, _exact, _scaled, data_nonfinite, grad_output_for, grad_terms
from conformance.model.config import ConvConfig
from conformance.generate.data import draw_inputs, frame

LITERAL_LIMIT = 64

COMPARE_SOURCE = '''
def compare(name, got, expected, bound, scale, inf_ok=None):
    """The backend's values against the oracle's, element by element, in the frame 2**-scale.  inf_ok (as convconf
    derives it): 1 where +inf is admissible for a finite expected value (it may round or sum past the largest
    finite), -1 where -inf is, 2 where both are and so is NaN (inf - inf), 0 elsewhere."""
    got = np.ldexp(np.asarray(got, dtype=np.float64), -scale)
    if got.shape != expected.shape:
        print(f"{name}: shape {got.shape}, expected {expected.shape}")
        return False
    ok = np.zeros(expected.shape) if inf_ok is None else inf_ok
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(got - expected)
        admitted = np.isfinite(expected) & (((got == np.inf) & ((ok == 1) | (ok == 2)))
                                            | ((got == -np.inf) & ((ok == -1) | (ok == 2)))
                                            | (np.isnan(got) & (ok == 2)))
        special = ((np.isnan(expected) != np.isnan(got)) | (np.isinf(expected) & (got != expected))
                   | (np.isfinite(expected) & ~np.isfinite(got))) & ~admitted
        bad = special | (np.isfinite(expected) & np.isfinite(got) & ~(err <= bound))
    if not bad.any():
        shown = np.where(np.isfinite(expected) & np.isfinite(got), err, 0.0)
        print(f"{name}: every element within its bound (max error {np.nanmax(shown, initial=0.0):.3g})")
        return True
    score = np.where(special, np.inf, np.where(bad, err / np.where(bound > 0, bound, 1e-300), -1.0))
    worst = np.unravel_index(int(np.nanargmax(score)), expected.shape)
    frame = f" (values * 2**-{scale})" if scale else ""
    print(f"{name}: {int(bad.sum())} of {bad.size} elements break their bound{frame}")
    print(f"  worst index {tuple(int(i) for i in worst)}: backend {float(got[worst])!r}, expected "
          f"{float(expected[worst])!r}, bound {float(bound[worst])!r}")
    return False
'''


def literal(name: str, a) -> str:
    """Python source assigning the numpy array `a` (exactly) to `name`."""
    if a is None:
        return f"{name} = None\n"
    a = np.asarray(a, dtype=np.float64)
    if a.size <= LITERAL_LIMIT:
        values = ", ".join(_float(v) for v in a.reshape(-1))
        return f"{name} = np.array([{values}], dtype=np.float64).reshape({a.shape})\n"
    packed = base64.b64encode(zlib.compress(np.ascontiguousarray(a).tobytes(), 9)).decode()
    lines = [packed[i:i + 100] for i in range(0, len(packed), 100)]
    body = "\n".join(f"    {line!r}" for line in lines)
    return (f"{name} = np.frombuffer(zlib.decompress(base64.b64decode(\n{body}\n)), dtype=np.float64)"
            f".reshape({a.shape})\n")


def _float(v: float) -> str:
    if np.isnan(v):
        return "np.nan"
    if np.isinf(v):
        return "np.inf" if v > 0 else "-np.inf"
    return repr(float(v))


def _outputs(backend, config: ConvConfig, dtype: str, kind: str, seed: int, check: str):
    """(arrays, {output name: (expected, bound)}, scale) of the case, as the check computed them."""
    x, w, b = draw_inputs(config, dtype, kind, seed, nonfinite=data_nonfinite(backend, kind))
    e = frame(dtype, kind)
    declared = _declared_class(backend, dtype)
    spec = config.spec()
    if check == "grads":
        gy = grad_output_for(config, dtype, kind, seed)
        fn = config.oracle_grads()
        args = (_scaled(x, e), _scaled(w, e), _scaled(gy, e))
        refs, mags = fn(*args), oracle.magnitude(fn, *args)
        terms = grad_terms(config)
        factors = {"grad_input": (gy, w), "grad_weight": (gy, x), "grad_bias": (gy, np.ones(1))}
        names = [n for n in ("grad_input", "grad_weight", "grad_bias") if n != "grad_bias" or config.bias]
        out = {}
        for i, name in enumerate(("grad_input", "grad_weight", "grad_bias")):
            if name not in names:
                continue
            scale = e if name == "grad_bias" else 2 * e
            exact = _exact(backend, kind, dtype, terms[name], *factors[name])
            bound = _bound(dtype, declared, scale, mags[i], terms[name], exact)
            out[name] = (refs[i], bound, scale, _inf_ok(dtype, declared, refs[i], mags[i], terms[name], bound, scale))
        return {"x": x, "weight": w, "bias": b, "grad_output": gy}, out
    fn = config.oracle_forward()
    args = (_scaled(x, e), _scaled(w, e), _scaled(b, 2 * e))
    terms = spec.terms_per_output
    exact = _exact(backend, kind, dtype, terms, x, w, b)
    ref, mag = fn(*args), oracle.magnitude(fn, *args)
    bound = _bound(dtype, declared, 2 * e, mag, terms, exact)
    return {"x": x, "weight": w, "bias": b}, {"output": (ref, bound, 2 * e,
                                                         _inf_ok(dtype, declared, ref, mag, terms, bound, 2 * e))}


def _inf_ok(dtype, declared, ref, magnitude, terms, bound, scale):
    """compare()'s inf_ok codes from verdict.admissible_infinities: the judgement the check itself makes."""
    # the verdict's bound is NaN (not inf) where the class promises nothing: no value admits an inf by it
    covered = np.where(np.isinf(bound), np.nan, bound)
    pos, neg, may_pos, may_neg = admissible_infinities(dtype, declared, ref, magnitude, terms, covered, scale)
    return np.where(may_pos & may_neg, 2.0, np.where(pos & neg, 2.0, np.where(pos, 1.0, np.where(neg, -1.0, 0.0))))


def _bound(dtype, declared, scale, magnitude, terms, exact):
    if exact:
        return np.zeros(np.shape(magnitude))
    arith = arithmetic(dtype, declared, scale)
    return arith.bound(magnitude, terms) if arith.covers(terms) else np.full(np.shape(magnitude), np.inf)


def case_for(backend, config: ConvConfig, dtype: str, kind: str, seed: int, check: str, headline: str = "") -> dict:
    """The `case` dict a backend's standalone_script receives (module docstring)."""
    arrays, outputs = _outputs(backend, config, dtype, kind, seed, check)
    source = ["import base64\nimport zlib\n\nimport numpy as np\n\n"]
    source += [literal(name, a) for name, a in arrays.items()]
    for name, (expected, bound, _, inf_ok) in outputs.items():
        source += [literal(f"expected_{name}", expected), literal(f"bound_{name}", bound),
                   literal(f"inf_ok_{name}", inf_ok)]
    return {"check": check, "config": config, "dtype": dtype, "kind": kind, "seed": seed, "headline": headline,
            "outputs": list(outputs), "scales": {n: s for n, (_, _, s, _) in outputs.items()},
            "arrays": arrays, "arrays_source": "".join(source), "compare_source": COMPARE_SOURCE}


def supported(backend) -> bool:
    return callable(getattr(getattr(backend, "local", backend), "standalone_script", None))


def write(backend, config: ConvConfig, dtype: str, kind: str, seed: int, check: str, out_dir: str,
          headline: str = "", name: str = None) -> str:
    """Write the case's standalone script into out_dir (named by a hash of the case unless `name`); its path."""
    local = getattr(backend, "local", backend)  # an IsolatedBackend writes through the backend it proxies
    text = local.standalone_script(case_for(local, config, dtype, kind, seed, check, headline))
    if name is None:
        digest = hashlib.sha1(f"{local.name} {config!r} {dtype} {kind} {seed} {check}".encode()).hexdigest()[:10]
        name = f"{local.name.replace('+', '_')}_{check}_{digest}.py"
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path
