"""MAC/s of the naive oracle, the default (shift) oracle and torch float64 CPU on fixed configs.

Target (issue 2): the default oracle's median speed is at least 0.5x torch float64 CPU,
measured as a per-config ratio in one run.  Usage:

    python benchmarks/oracle_speed.py [--repeat 30] [--no-naive] [--threads N] [--routes]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import oracle
from conformance.model.config import ConvConfig

# name -> config; sized so the shift oracle takes milliseconds and naive a few seconds
CONFIGS = {
    "2d plain 3x3": ConvConfig(2, 2, 16, 32, 1, (32, 32), (3, 3), (1, 1), (1, 1), (1, 1)),
    "2d grouped g=4": ConvConfig(2, 2, 32, 32, 4, (32, 32), (3, 3), (1, 1), (1, 1), (1, 1)),
    "2d depthwise": ConvConfig(2, 2, 32, 64, 32, (32, 32), (3, 3), (1, 1), (1, 1), (1, 1)),
    "2d dilated d=2": ConvConfig(2, 2, 16, 32, 1, (32, 32), (3, 3), (1, 1), (2, 2), (2, 2)),
    "2d strided s=2 5x5": ConvConfig(2, 2, 16, 32, 1, (48, 48), (5, 5), (2, 2), (2, 2), (1, 1)),
    "2d reflect pad": ConvConfig(2, 2, 16, 32, 1, (32, 32), (3, 3), (1, 1), (1, 1), (1, 1), "reflect"),
    "2d transposed s=2": ConvConfig(2, 2, 32, 16, 1, (16, 16), (4, 4), (2, 2), (1, 1), (1, 1), transposed=True,
                                    output_padding=(0, 0)),
    "3d plain 3x3x3": ConvConfig(3, 1, 8, 16, 1, (12, 12, 12), (3, 3, 3), (1, 1, 1), (1, 1, 1), (1, 1, 1)),
    "3d grouped strided": ConvConfig(3, 2, 16, 16, 4, (12, 12, 12), (3, 3, 3), (2, 2, 2), (1, 1, 1), (1, 1, 1)),
    "3d transposed": ConvConfig(3, 1, 16, 8, 2, (6, 6, 6), (3, 3, 3), (2, 2, 2), (1, 1, 1), (1, 1, 1),
                                transposed=True, output_padding=(1, 1, 1)),
}


def best_time(fn, repeat: int) -> float:
    """Best wall time of fn over `repeat` back-to-back runs.

    Not interleaved with the other side on purpose: right after a numpy GEMM, OpenBLAS's
    threads still spin for the CPU and a torch call then runs up to 10x slower (seen here),
    which would flatter the oracle.
    """
    fn()  # warm up (allocations, torch's first-call dispatch)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def torch_call(config: ConvConfig, x, w, b):
    import torch
    import torch.nn.functional as F

    xt, wt, bt = (None if a is None else torch.from_numpy(a) for a in (x, w, b))
    kw = config.kwargs()
    if config.transposed:
        fn = getattr(F, f"conv_transpose{config.ndim}d")
        return lambda: fn(xt, wt, bt, **kw)
    mode = kw.pop("padding_mode")
    fn = getattr(F, f"conv{config.ndim}d")
    if mode == "zeros":
        return lambda: fn(xt, wt, bt, **kw)
    s = config.spec()
    # nn.Conv*d pads with F.pad (last dim first) and then convolves unpadded, as here
    pads = [p for b_, a in zip(reversed(s.pad_before), reversed(s.pad_after)) for p in (b_, a)]
    kw["padding"] = 0
    return lambda: fn(F.pad(xt, pads, mode=mode), wt, bt, **kw)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed rounds per config; the best is kept")
    parser.add_argument("--no-naive", action="store_true", help="skip the (slow) naive oracle")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    parser.add_argument("--routes", action="store_true",
                        help="also time the checks' route (ConvConfig.oracle_forward) and oracle.conv_general")
    args = parser.parse_args(argv)
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; numpy {np.__version__}")
    header = (f"{'config':22} {'MACs':>9} {'naive MAC/s':>12} {'oracle MAC/s':>13} {'torch MAC/s':>12} "
              f"{'oracle/torch':>12}")
    print(header)
    print("-" * len(header))
    ratios, routed, general = [], [], []
    # one untimed pass over everything first: torch's first calls (thread pool, dispatch caches)
    # and BLAS initialisation would otherwise land on whichever config comes first
    for config in CONFIGS.values():
        x, w = rng.standard_normal(config.input_shape), rng.standard_normal(config.weight_shape)
        (oracle.conv_transpose if config.transposed else oracle.conv)(x, w, **config.kwargs())
        torch_call(config, x, w, None)()
    for name, config in CONFIGS.items():
        x = rng.standard_normal(config.input_shape)
        w = rng.standard_normal(config.weight_shape)
        b = rng.standard_normal(config.out_channels)
        fn = oracle.conv_transpose if config.transposed else oracle.conv
        t_shift = best_time(lambda: fn(x, w, b, **config.kwargs()), args.repeat)
        time.sleep(0.2)  # let BLAS worker threads stop spinning before torch is timed
        t_torch = best_time(torch_call(config, x, w, b), args.repeat)
        naive = "-"
        if not args.no_naive:
            t0 = time.perf_counter()
            fn(x, w, b, **config.kwargs(), implementation="naive")
            naive = f"{config.macs / (time.perf_counter() - t0):12.3g}"
        ratio = t_torch / t_shift
        ratios.append(ratio)
        if args.routes:
            # the route the checks take (ConvConfig.oracle_forward: the same function, bound), and the general
            # convolution evaluating the same layer (its transposed form: lhs dilation, flipped kernel)
            time.sleep(0.2)
            routed.append(t_torch / best_time(lambda: config.oracle_forward()(x, w, b), args.repeat))
            if config.transposed:
                wg = oracle.transpose_as_general(w, config.groups)
                pads = oracle.transpose_padding(config.kernel_size, config.dilation,
                                                [(p, p) for p in config.padding], config.output_padding)
                kw = dict(window_strides=1, padding=pads, lhs_dilation=config.stride, rhs_dilation=config.dilation,
                          feature_group_count=config.groups)
                general.append(t_torch / best_time(lambda: oracle.conv_general(x, wg, b, **kw), args.repeat))
            else:
                kw = dict(window_strides=config.stride, padding=[(p, p) for p in config.spec().pad_before],
                          rhs_dilation=config.dilation, feature_group_count=config.groups,
                          padding_mode=config.padding_mode)
                general.append(t_torch / best_time(lambda: oracle.conv_general(x, w, b, **kw), args.repeat))
        print(f"{name:22} {config.macs:9d} {naive:>12} {config.macs / t_shift:13.3g} {config.macs / t_torch:12.3g} "
              f"{ratio:12.2f}" + (f"  via config {routed[-1]:.2f}, as general {general[-1]:.2f}" if args.routes
                                  else ""))
    median = statistics.median(ratios)
    print(f"\nmedian oracle/torch speed ratio: {median:.2f} (target >= 0.5): {'MET' if median >= 0.5 else 'NOT MET'}")
    if args.routes:
        print(f"median through ConvConfig.oracle_forward (the checks' route): {statistics.median(routed):.2f}; "
              f"the same layers as oracle.conv_general: {statistics.median(general):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
