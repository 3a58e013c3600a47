"""Strategy narrowing shared by the suite's test files: only what a backend claims is drawn."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given, seed, settings, strategies as st

from conformance.generate import profiles
from conformance.judge.coverage import kinds_for
from conformance.generate.data import DATA_KINDS
from conformance.model.dtypes import DTYPES
from conformance.judge.recording import Recorder
from conformance.run.runner import Outcome, run_check
from conformance.generate.families import long_everywhere_configs
from conformance.generate.strategies import conv_configs, seeds


RECORDER_KEY = pytest.StashKey[Recorder]()


def session_recorder(config) -> Recorder:
    """The pytest session's Recorder: what its checks saw (the plugin ships an xdist worker's to the controller,
    which prints the summary and asserts coverage from it)."""
    return config.stash.setdefault(RECORDER_KEY, Recorder())


class KnownHits:
    """The known issues met inside a Hypothesis test body.

    Known failures are recorded and do not stop the search, so an unknown failure in the
    same test still fails it; if only known ones occurred, `xfail_if_any` ends the test as
    an xfail naming each issue in one short line (the run's summary explains each issue once,
    with its reproducer).
    """

    def __init__(self):
        self.issues = {}

    def take(self, outcome: Outcome):
        """Keep a known issue's claim; re-raise a non-conformance (for Hypothesis to shrink); else what the check
        measured."""
        if outcome.issue is not None:
            self.issues.setdefault(outcome.issue.key, outcome.issue)
        outcome.raise_failure()
        return outcome.measured

    def xfail_if_any(self) -> None:
        if self.issues:
            pytest.xfail(f"known issue {', '.join(self.issues)} (explained under 'convconf: known issues hit')")


def exploring(backend, request, *, share: int = len(DATA_KINDS), per_dtype: bool = True):
    """Decorator for a test's inner @given function: how many examples, and from which seed.

    The core tests run one item per (backend, dtype, padding mode, data kind), so that every
    kind meets every dtype and mode by construction; `share` spreads the profile's max_examples
    over those items (at least 2 each).  With `per_dtype`, every backend gets the same examples
    per direction whatever its dtypes: a float64-only backend runs 4x per item, so its feature
    pairs are reached as often as a four-dtype backend's.  Under a derandomized profile (ci)
    Hypothesis seeds a test from its function's source, which the inner functions of all
    parametrizations share: each would draw the same configs.  The seed is taken from the test's
    node id instead, so every item explores its own examples, still reproducibly.
    """
    parent = profiles.active()
    declared = max(1, sum(d in backend.capabilities.dtypes for d in DTYPES)) if per_dtype else len(DTYPES)
    total = parent.max_examples * len(DTYPES) // declared
    scope = default_scope(request, backend)
    if scope is None:
        budget = settings(parent, max_examples=max(2, -(-total // share)))
    else:  # a variant in a default run: its share of the examples, at least two (registry.DefaultScope)
        budget = settings(parent, max_examples=max(2, round(total * scope.share / share)))

    def decorate(test):
        test = budget(test)
        return seed(zlib.crc32(request.node.nodeid.encode()))(test) if parent.derandomize else test
    return decorate


def default_scope(request, backend):
    """The backend's DefaultScope when this is a default run (no --backend), else None."""
    from conformance.backends.registry import default_scope as scope_of

    return None if request.config.getoption("convconf_backend") else scope_of(backend.name)


def check_examples(backend, request, configs, check, dtype: str, kind: str, share: int = len(DATA_KINDS)) -> None:
    """The body of the core tests: the check named `check` (runner.CHECKS; a tuple: each on every example) on
    the item's examples of `configs` (see `exploring`, and its `share`); known issues it meets end the item as
    one short xfail."""
    known = KnownHits()
    recorder = session_recorder(request.config)
    checks = (check,) if isinstance(check, str) else tuple(check)

    @exploring(backend, request, share=share)
    @given(st.data(), seeds())
    def run(data, seed_):
        config = data.draw(configs, label="config")
        for name in checks:
            known.take(run_check(name, backend, config, dtype, kind, seed_, recorder=recorder))

    run()
    known.xfail_if_any()


def long_reduction_example(backend, kind: str, data, seed_: int, recorder: Recorder, known: KnownHits) -> None:
    """One example of conformance/tests/test_long_reductions.py: a dtype drawn from the declared ones, then a plain
    and (where declared) a transposed config of the long-reduction family, each long in every direction, with a
    bias; each checked forward and (where declared) backward."""
    caps = backend.capabilities
    dtype = data.draw(st.sampled_from(caps.dtypes), label="dtype")
    drawn = []
    for transposed in (False, True) if caps.transposed else (False,):
        configs = st.one_of([long_everywhere_configs(ndim=n, transposed=transposed, padding_modes=caps.padding_modes)
                             for n in caps.ndims if n <= 3])
        if caps.config_limits is not None:
            configs = configs.filter(lambda c: caps.excludes(c, dtype, caps.gradients) is None)
        drawn.append(data.draw(configs, label="transposed config" if transposed else "config"))
    for config in drawn:  # drawn first: a draw the filter rejects costs no check
        for check in ("forward", "grads") if caps.gradients else ("forward",):
            known.take(run_check(check, backend, config, dtype, kind, seed_, recorder=recorder))


def not_claimed(backend, dtype=None, *, transposed: bool = False, gradients: bool = False, kind=None,
                padding_mode=None):
    """Why the backend does not claim a test of these parameters, or None when it does."""
    caps = backend.capabilities
    if kind is not None and kind not in kinds_for(backend):
        return f"{backend.name}: {kind} data needs declared NaN/inf semantics (Capabilities.nonfinite)"
    if dtype is not None and dtype not in caps.dtypes:
        return f"{backend.name}: dtype {dtype} not declared (declares {caps.dtypes})"
    if transposed and not caps.transposed:
        return f"{backend.name}: transposed convolution not declared"
    if gradients and not caps.gradients:
        return f"{backend.name}: gradients not declared"
    if padding_mode is not None and padding_mode not in caps.padding_modes:
        return f"{backend.name}: padding_mode {padding_mode!r} not declared"
    return None


def require(backend, dtype: str, *, transposed: bool = False, gradients: bool = False, kind=None) -> None:
    """Skip (with the reason) a whole test the backend does not claim.  The plugin deselects such items
    at collection already (`not_claimed`); this guards a test called some other way."""
    why = not_claimed(backend, dtype, transposed=transposed, gradients=gradients, kind=kind)
    if why:
        pytest.skip(why)


def claimed_configs(backend, **narrowing):
    """conv_configs narrowed to what the backend declares: spatial ranks, transposed, padding modes, limits.

    Undeclared features are never drawn: without `transposed=`, a backend that does not declare
    transposed convolution gets forward configs only; padding modes are intersected with the
    declared ones; the general features (Capabilities.general, general_transposed) and ranks above 3 only where
    declared.
    `dtype` and `gradients` narrow further by the backend's limits (Capabilities.config_limits).
    """
    caps = backend.capabilities
    dtype = narrowing.pop("dtype", None)
    gradients = narrowing.pop("gradients", False)
    ndims = narrowing.pop("ndim", None)
    modes = tuple(m for m in narrowing.pop("padding_modes", caps.padding_modes) if m in caps.padding_modes)
    if not modes:
        pytest.skip(f"{backend.name}: none of the requested padding modes is declared (declares {caps.padding_modes})")
    if not caps.transposed:
        if narrowing.get("transposed"):
            pytest.skip(f"{backend.name}: transposed convolution not declared")
        narrowing["transposed"] = False
    narrowing.setdefault("max_extent", caps.max_extent)
    if caps.general and not narrowing.get("transposed"):
        narrowing.setdefault("general", caps.general)
    if caps.general_transposed and narrowing.get("transposed") is not False:
        narrowing.setdefault("general_transposed", caps.general_transposed)
    # ranks above 3 are general forward convolutions (conv_configs)
    strategies = [conv_configs(ndim=n, padding_modes=modes, **narrowing)
                  for n in caps.ndims if (ndims is None or n == ndims) and (n <= 3 or not narrowing.get("transposed"))]
    if not strategies:
        pytest.skip(f"{backend.name}: no declared spatial rank matches {ndims}")
    out = strategies[0]
    for s in strategies[1:]:
        out = out | s
    if caps.general or caps.general_transposed:
        out = out.filter(lambda c: not caps.undeclared_general(c))
    if caps.config_limits is not None:
        out = out.filter(lambda c: caps.excludes(c, dtype, gradients) is None)
    return out
