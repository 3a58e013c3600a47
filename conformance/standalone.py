"""Standalone reproducers: one case as a script that needs only the backend's framework and numpy.

A framework team should not need convconf to see a bug.  For a failing case (config, dtype, data
kind, seed, check) this module regenerates the exact data the backend received, computes the
oracle's values and each element's bound, and hands the backend (protocol member
`standalone_script(case)`) a `case` dict with ready-made source text:

  arrays_source    defines numpy arrays `x`, `weight`, `bias` (None without a bias), `grad_output`
                   (gradients only) and, per output name, `expected_<name>` and `bound_<name>`
  compare_source   defines compare(name, got, expected, bound, scale): prints the worst element,
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

from .bounds import arithmetic
from .checks import _declared_class, _exact, _scaled, data_nonfinite, grad_output_for, grad_terms
from .config import ConvConfig
from .data import draw_inputs, frame

LITERAL_LIMIT = 64

COMPARE_SOURCE = '''
def compare(name, got, expected, bound, scale):
    """The backend's values against the oracle's, element by element, in the frame 2**-scale."""
    got = np.ldexp(np.asarray(got, dtype=np.float64), -scale)
    if got.shape != expected.shape:
        print(f"{name}: shape {got.shape}, expected {expected.shape}")
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(got - expected)
        special = (np.isnan(expected) != np.isnan(got)) | (np.isinf(expected) & (got != expected))
        bad = special | (np.isfinite(expected) & ~(err <= bound))
    if not bad.any():
        print(f"{name}: every element within its bound (max error {np.nanmax(err, initial=0.0):.3g})")
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
    x, w, b = draw_inputs(config, dtype, kind, seed, nonfinite=data_nonfinite(backend, kind),
                          gradients=check == "grads")
    e = frame(dtype, kind)
    declared = _declared_class(backend, dtype)
    spec = config.spec()
    if check == "grads":
        gy = grad_output_for(config, dtype, kind, seed)
        fn = oracle.conv_transpose_grads if config.transposed else oracle.conv_grads
        args = (_scaled(x, e), _scaled(w, e), _scaled(gy, e))
        refs, mags = fn(*args, **config.kwargs()), oracle.magnitude(fn, *args, **config.kwargs())
        terms = grad_terms(config)
        factors = {"grad_input": (gy, w), "grad_weight": (gy, x), "grad_bias": (gy, np.ones(1))}
        names = [n for n in ("grad_input", "grad_weight", "grad_bias") if n != "grad_bias" or config.bias]
        out = {}
        for i, name in enumerate(("grad_input", "grad_weight", "grad_bias")):
            if name not in names:
                continue
            scale = e if name == "grad_bias" else 2 * e
            exact = _exact(backend, kind, dtype, terms[name], *factors[name])
            out[name] = (refs[i], _bound(dtype, declared, scale, mags[i], terms[name], exact), scale)
        return {"x": x, "weight": w, "bias": b, "grad_output": gy}, out
    fn = oracle.conv_transpose if config.transposed else oracle.conv
    args = (_scaled(x, e), _scaled(w, e), _scaled(b, 2 * e))
    terms = spec.terms_per_output
    exact = _exact(backend, kind, dtype, terms, x, w, b)
    ref, mag = fn(*args, **config.kwargs()), oracle.magnitude(fn, *args, **config.kwargs())
    return {"x": x, "weight": w, "bias": b}, {"output": (ref, _bound(dtype, declared, 2 * e, mag, terms, exact),
                                                         2 * e)}


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
    for name, (expected, bound, _) in outputs.items():
        source += [literal(f"expected_{name}", expected), literal(f"bound_{name}", bound)]
    return {"check": check, "config": config, "dtype": dtype, "kind": kind, "seed": seed, "headline": headline,
            "outputs": list(outputs), "scales": {n: s for n, (_, _, s) in outputs.items()},
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
