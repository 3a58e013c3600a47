"""The probabilistic tier on long reductions: no false alarm on legitimate float32 arithmetic, faults caught.

Draws float32 forward convolutions whose outputs sum 512 to 4,096 products (1-d and 2-d, grouped or not,
strided or dilated), random data (the tier's domain), and judges each through the suite's own check
(conformance.run.runner.run_check) on the term-by-term backends of tests/engine/accumulators.py: every
legitimate summation (sequential, reversed, pairwise, blocked, FMA, Kahan, float64 then one rounding) and the
faulty ones (partial sums rounded to bfloat16 every 64 terms, to float16 every 8, inputs rounded to TF32).
Prints, per backend, examples, flags by the worst-case bound and by the probabilistic tier, and the largest
error / probabilistic bound seen.  With --directions, every direction instead: configs (plain or transposed)
whose forward, grad_input or grad_weight/grad_bias sums reach 512-4,095 products, each judged forward and
backward, on backends whose every sum follows the policy (legitimate: Accumulating(where="all")) or whose one
direction's sums are faulty.  Usage:

    python benchmarks/probabilistic_tier.py [--examples 1500] [--seed 0] [--directions]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from conformance.judge.recording import Recorder  # noqa: E402
from conformance.judge.verdict import BelowDeclaredPrecision  # noqa: E402
from conformance.model.config import ConvConfig  # noqa: E402
from conformance.run.runner import run_check  # noqa: E402
from tests.engine.accumulators import FAULTY, LEGITIMATE, Accumulating  # noqa: E402


def draw_config(rng) -> ConvConfig:
    """A float32 forward config whose elements sum 512-4096 products."""
    while True:
        ndim = int(rng.integers(1, 3))
        groups = int(rng.choice([1, 1, 2, 4]))
        kernel = tuple(int(k) for k in rng.integers(1, 6 if ndim == 2 else 17, size=ndim))
        taps = int(np.prod(kernel))
        cin_g = int(rng.integers(max(1, 512 // taps), max(2, 4096 // taps) + 1))
        if not 512 <= cin_g * taps <= 4096:
            continue
        stride = tuple(int(s) for s in rng.integers(1, 3, size=ndim))
        dilation = tuple(int(d) for d in rng.integers(1, 3, size=ndim))
        size = tuple(d * (k - 1) + 1 + int(rng.integers(0, 4)) for k, d in zip(kernel, dilation))
        return ConvConfig(ndim, int(rng.integers(1, 3)), cin_g * groups, groups * int(rng.integers(1, 3)), groups,
                          size, kernel, stride, tuple(int(rng.integers(0, 2)) for _ in range(ndim)), dilation)


def draw_any_direction(rng) -> ConvConfig:
    """A float32 config, plain or transposed, with one long direction: the channel sum over input channels
    (forward / transposed), over output channels (grad_input), or over images and positions (grad_weight,
    grad_bias), 512-4,095 products; zeros padding (the backends' own)."""
    transposed, target = bool(rng.integers(0, 2)), str(rng.choice(["forward", "grad_input", "positions"]))
    ndim = int(rng.integers(1, 3))
    kernel = tuple(int(k) for k in rng.integers(1, 4 if ndim == 2 else 9, size=ndim))
    taps = int(np.prod(kernel))
    long = int(rng.integers(512, 4096))
    groups = int(rng.choice([1, 2]))
    cin_g, cout_g = (max(1, -(-long // taps)), 1) if target == "forward" else \
        (1, max(1, -(-long // taps))) if target == "grad_input" else (int(rng.integers(1, 3)), int(rng.integers(1, 3)))
    batch = int(rng.integers(1, 3))
    positions = -(-long // batch) if target == "positions" else int(rng.integers(1, 5))
    side = max(1, round(positions ** (1 / ndim)))
    size = tuple(side + (d * (k - 1) if not transposed else 0) for k, d in zip(kernel, (1,) * ndim))
    return ConvConfig(ndim, batch, cin_g * groups, cout_g * groups, groups, size, kernel, (1,) * ndim, (0,) * ndim,
                      (1,) * ndim, "zeros", True, transposed, (0,) * ndim if transposed else None)


def directions(args) -> None:
    rng = np.random.default_rng(args.seed)
    cases = [(draw_any_direction(rng), int(rng.integers(0, 2**32))) for _ in range(args.examples)]
    backends = [Accumulating(p, where="all") for p in LEGITIMATE] + \
        [Accumulating(p, where=w) for p in FAULTY for w in ("forward", "transposed", "grad_input", "grad_weight")] + \
        [Accumulating("sequential", inputs="tf32", where=w) for w in ("forward", "transposed", "grad_input",
                                                                       "grad_weight")]
    print(f"{args.examples} configs per backend, each checked forward and backward, random data, float32 declared "
          "exact-inputs")
    print(f"{'backend':50} {'examples':>8} {'worst-case flags':>16} {'tier flags':>10} {'max err/tier bound':>18}"
          f" {'seconds':>8}")
    for backend in backends:
        started, worst_case, tier, ratio = time.perf_counter(), 0, 0, 0.0
        for config, seed in cases:
            flagged = None
            for check in ("forward", "grads"):
                outcome = run_check(check, backend, config, "float32", "random", seed, recorder=Recorder())
                if outcome.failure is not None:
                    flagged = flagged or ("tier" if isinstance(outcome.failure, BelowDeclaredPrecision) else "bound")
                    continue
                found = [m.probable_ratio for m in (outcome.measured.values() if isinstance(outcome.measured, dict)
                                                    else [outcome.measured]) if m.probable_ratio is not None]
                ratio = max([ratio, *found])
            worst_case += flagged == "bound"
            tier += flagged == "tier"
        print(f"{backend.name:50} {len(cases):>8} {worst_case:>16} {tier:>10} {ratio:>18.3g} "
              f"{time.perf_counter() - started:>8.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1500, help="configs per backend (default 1500)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--directions", action="store_true", help="every direction, forward and backward")
    args = parser.parse_args()
    if args.directions:
        return directions(args)
    backends = [Accumulating(p) for p in (*LEGITIMATE, *FAULTY)] + [Accumulating("sequential", inputs="tf32")]
    rng = np.random.default_rng(args.seed)
    cases = [(draw_config(rng), int(rng.integers(0, 2**32))) for _ in range(args.examples)]
    terms = [c.spec().terms_per_output for c, _ in cases]
    print(f"{args.examples} configs per backend, {min(terms)}-{max(terms)} products per element "
          f"(median {int(np.median(terms))}), random data, float32 declared exact-inputs")
    print(f"{'backend':36} {'examples':>8} {'worst-case flags':>16} {'tier flags':>10} {'max err/tier bound':>18}"
          f" {'seconds':>8}")
    for backend in backends:
        started, worst_case, tier, ratio = time.perf_counter(), 0, 0, 0.0
        for config, seed in cases:
            outcome = run_check("forward", backend, config, "float32", "random", seed, recorder=Recorder())
            if isinstance(outcome.failure, BelowDeclaredPrecision):
                tier += 1
            elif outcome.failure is not None:
                worst_case += 1
            elif outcome.measured.probable_ratio is not None:
                ratio = max(ratio, outcome.measured.probable_ratio)
        print(f"{backend.name:36} {len(cases):>8} {worst_case:>16} {tier:>10} {ratio:>18.3g} "
              f"{time.perf_counter() - started:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
