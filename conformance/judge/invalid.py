"""Invalid configurations: one rule broken on top of a valid config, for rejection tests.

Whatever the oracle rejects, a backend must reject with an exception rather than return
numbers.  Each rule below takes a config drawn by `conv_configs` and breaks exactly one
of the oracle's rules (oracle/spec.py), so a shrunk failure shows the smallest config
that a backend wrongly accepts.  The oracle's own rejection is re-checked for every
drawn case: the generator cannot silently produce a valid config.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import oracle

from conformance.model.arguments import SPATIAL_RANKS
from conformance.backends import registry
from conformance.backends.protocol import BackendCrash, BackendTimeout
from conformance.model.config import ConvConfig
from conformance.generate.strategies import conv_configs


@dataclass(frozen=True)
class InvalidCase:
    """A config with the array shapes a caller would pass (they may disagree with the config on purpose)."""

    rule: str
    params: tuple  # parameters the oracle's ConvConfigError may name (without a "[i]" index)
    config: ConvConfig
    x_shape: tuple
    weight_shape: tuple
    bias_shape: Optional[tuple]

    def arrays(self):
        ones = [np.ones(s) if s is not None else None for s in (self.x_shape, self.weight_shape, self.bias_shape)]
        return tuple(ones)

    def oracle_error(self) -> Optional[oracle.ConvConfigError]:
        """The oracle's rejection of this case (None would mean the case is not invalid after all)."""
        x, w, b = self.arrays()
        fn = oracle.conv_transpose if self.config.transposed else oracle.conv
        try:
            fn(x, w, b, **self.config.kwargs())
        except oracle.ConvConfigError as exc:
            return exc
        return None

    def reproducer(self, backend_name: str, dtype: str) -> str:
        """A Python snippet that makes the offending call (the backend named by the spec it was loaded with)."""
        spec = registry.spec_of(backend_name)
        return (f"{registry.command_prefix(spec)}python -c \"import numpy as np; from conformance.backends import "
                f"registry; from conformance.model.config import ConvConfig; print(registry.load({spec!r}).forward("
                f"{self.config!r}, np.ones({self.x_shape}), "
                f"np.ones({self.weight_shape}), {'None' if self.bias_shape is None else f'np.ones({self.bias_shape})'}"
                f", {dtype!r}).output.shape)\"")


@dataclass(frozen=True)
class Rule:
    params: tuple
    transposed: bool
    padding_modes: tuple
    break_it: Callable  # (draw, config) -> (config, x_shape, weight_shape, bias_shape)
    keep: Callable = lambda c: True  # base configs the rule can be applied to


def _shapes(c: ConvConfig):
    return c.input_shape, c.weight_shape, c.bias_shape


def _first(values: tuple, value) -> tuple:
    return (value, *values[1:])


def _explicit(c: ConvConfig) -> ConvConfig:
    return dataclasses.replace(c, padding=c.padding_pairs()[0]) if isinstance(c.padding, str) else c


def _replace(c: ConvConfig, **changes):
    c = dataclasses.replace(c, **changes)
    return (c, *_shapes(c))


def _more_in_channels(draw, c):
    broken = dataclasses.replace(c, in_channels=c.in_channels + 1)
    # a transposed weight is (in_channels, out_channels/groups, *k): keep it consistent with the input
    weight = (c.in_channels + 1, *c.weight_shape[1:]) if c.transposed else c.weight_shape
    return broken, broken.input_shape, weight, c.bias_shape


def _more_out_channels(draw, c):
    broken = dataclasses.replace(c, out_channels=c.out_channels + 1)
    weight = (c.out_channels + 1, *c.weight_shape[1:])
    return broken, broken.input_shape, weight, broken.bias_shape


def _weight_channels(draw, c):
    return c, c.input_shape, (c.weight_shape[0], c.weight_shape[1] + 1, *c.weight_shape[2:]), c.bias_shape


def _output_too_small(draw, c):
    # 'valid' padding, kernel >= 2 and an input one element shorter than the dilated kernel
    k = max(2, c.kernel_size[0])
    return _replace(c, padding="valid", kernel_size=_first(c.kernel_size, k),
                    input_size=_first(c.input_size, c.dilation[0] * (k - 1)))


def _same_strided(draw, c):
    return _replace(c, padding="same", stride=_first(c.stride, draw(st.integers(2, 3))))


def _pad_too_large(extra: int):
    def break_it(draw, c):
        c = _explicit(c)
        return _replace(c, padding=_first(c.padding, c.input_size[0] + extra))
    return break_it


def _output_padding_too_large(draw, c):
    limit = max(c.stride[0], c.dilation[0])
    return _replace(c, output_padding=_first(c.output_padding, draw(st.integers(limit, limit + 1))))


def _wrong_rank(draw, c):
    return c, (*c.input_shape, 1), c.weight_shape, c.bias_shape


def _wrong_bias(draw, c):
    return c, c.input_shape, c.weight_shape, (c.out_channels + draw(st.sampled_from((-1, 1))),)


_ANY = oracle.PADDING_MODES
_ZEROS = ("zeros",)

RULES = {
    "groups-divide-in_channels": Rule(("groups",), False, _ZEROS, _more_in_channels, lambda c: c.groups > 1),
    "groups-divide-out_channels": Rule(("groups",), False, _ZEROS, _more_out_channels, lambda c: c.groups > 1),
    "groups-positive": Rule(("groups",), False, _ZEROS, lambda d, c: (dataclasses.replace(c, groups=0), *_shapes(c))),
    "weight-in_channels/groups": Rule(("weight",), False, _ZEROS, _weight_channels),
    "stride-positive": Rule(("stride",), False, _ZEROS,
                            lambda d, c: _replace(_explicit(c), stride=_first(c.stride, 0))),
    "dilation-positive": Rule(("dilation",), False, _ZEROS,
                              lambda d, c: _replace(_explicit(c), dilation=_first(c.dilation, 0))),
    "padding-non-negative": Rule(("padding",), False, _ZEROS,
                                 lambda d, c: _replace(_explicit(c), padding=_first(_explicit(c).padding, -1))),
    "output-size-positive": Rule(("input",), False, _ZEROS, _output_too_small),
    "same-needs-stride-1": Rule(("padding",), False, _ZEROS, _same_strided),
    "padding-string": Rule(("padding",), False, _ZEROS, lambda d, c: _replace(c, padding="full")),
    "reflect-padding-below-size": Rule(("padding",), False, ("reflect",), _pad_too_large(0)),
    "circular-padding-at-most-size": Rule(("padding",), False, ("circular",), _pad_too_large(1)),
    "padding_mode-known": Rule(("padding_mode",), False, _ZEROS,
                               lambda d, c: _replace(c, padding_mode="symmetric")),
    "input-rank": Rule(("input", "weight"), False, _ZEROS, _wrong_rank),
    "bias-length": Rule(("bias",), False, _ZEROS, _wrong_bias, lambda c: c.bias),
    "transposed-output_padding": Rule(("output_padding",), True, _ZEROS, _output_padding_too_large),
    "transposed-padding-non-negative": Rule(("padding",), True, _ZEROS,
                                            lambda d, c: _replace(c, padding=_first(c.padding, -1))),
    "transposed-groups-divide-in_channels": Rule(("groups",), True, _ZEROS, _more_in_channels, lambda c: c.groups > 1),
}


def invalid_cases(rule: str, *, ndims=(1, 2, 3)) -> st.SearchStrategy[InvalidCase]:
    """Cases breaking `rule` (a key of RULES) and nothing else the oracle checks first."""
    if rule not in RULES:
        raise InvalidArgument(f"rule={rule!r} must be one of {tuple(RULES)}")
    spec = RULES[rule]
    # PyTorch's rules on PyTorch's ranks (a backend declaring rank 4 has the general convolution's rules there)
    ndims = tuple(n for n in ndims if n in SPATIAL_RANKS)
    if not ndims:
        raise InvalidArgument(f"ndims must include a rank of {SPATIAL_RANKS}: the rules are PyTorch's")
    # the box alone (no bug families): a rule is broken on top of a small config, which shrinks fast
    base = st.one_of([conv_configs(ndim=n, transposed=spec.transposed, padding_modes=spec.padding_modes, families=())
                      for n in ndims]).filter(spec.keep)

    @st.composite
    def build(draw):
        config, x_shape, w_shape, b_shape = spec.break_it(draw, draw(base))
        return InvalidCase(rule, spec.params, config, tuple(x_shape), tuple(w_shape),
                           None if b_shape is None else tuple(b_shape))

    return build()


class AcceptedInvalid(AssertionError):
    """A backend returned numbers (or crashed, or hung) for a config the oracle rejects."""


def check_rejects(backend, case: InvalidCase, dtype: str) -> None:
    """Pass when `backend` raises an ordinary exception for `case`; raise AcceptedInvalid otherwise."""
    error = case.oracle_error()
    if error is None or error.param.split("[")[0] not in case.params:
        raise AssertionError(f"generator defect: the oracle does not reject {case} on {case.params} (got {error!r})")
    where = (f"\nconfig: {case.config!r}\nshapes: x {case.x_shape}, weight {case.weight_shape}, bias "
             f"{case.bias_shape}\nreproduce: {case.reproducer(backend.name, dtype)}")
    try:
        result = backend.forward(case.config, *case.arrays(), dtype)
    except (BackendCrash, BackendTimeout) as exc:
        raise AcceptedInvalid(f"{backend.name} crashed or hung instead of rejecting an invalid config "
                              f"({case.rule}: {error}): {exc}{where}") from None
    except Exception:  # noqa: BLE001 - any exception is a rejection; its wording is the backend's affair
        return
    raise AcceptedInvalid(f"{backend.name} returned an output of shape {np.shape(result.output)} for a config the "
                          f"oracle rejects ({case.rule}: {error}){where}")
