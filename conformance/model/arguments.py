"""Argument validation for the public strategies, as hypothesis.extra.numpy does it.

Every narrowing argument is checked before anything is drawn; a bad one raises
InvalidArgument naming the argument, its value and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis.errors import InvalidArgument

import oracle

SPATIAL_RANKS = (1, 2, 3)  # PyTorch's, drawn by default
GENERAL_RANKS = (1, 2, 3, 4)  # what a backend may declare (rank 4: the general convolution, box configs only)


def check_range(name: str, value, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgument(f"{name}={value!r} must be an int >= {minimum}")


def check_subset(name: str, value, allowed) -> tuple:
    value = tuple(value)
    if not value or any(v not in allowed for v in value):
        raise InvalidArgument(f"{name}={value!r} must be a non-empty subset of {tuple(allowed)}")
    return value


@dataclass(frozen=True)
class Space:
    """The narrowing every config strategy shares: which ranks, directions, padding modes and biases."""

    ndims: tuple
    transposes: tuple
    modes: tuple
    biases: tuple
    max_extent: int  # largest padding or dilated kernel extent drawn (see Capabilities.max_extent)


def space(ndim=None, transposed=None, padding_modes=oracle.PADDING_MODES, bias=None, max_extent=1024) -> Space:
    """Validate the shared narrowing arguments (None: no narrowing)."""
    check_range("max_extent", max_extent, 1)
    return Space(check_subset("ndim", SPATIAL_RANKS if ndim is None else (ndim,), GENERAL_RANKS),
                 check_subset("transposed", (False, True) if transposed is None else (transposed,), (False, True)),
                 check_subset("padding_modes", padding_modes, oracle.PADDING_MODES),
                 check_subset("bias", (True, False) if bias is None else (bias,), (True, False)),
                 max_extent)
