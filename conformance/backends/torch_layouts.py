"""Per-tensor memory layouts for the torch backends: each tensor of a call laid out on its own.

Tensors reach a convolution in whatever layout the previous op left, and kernel selection
(oneDNN's blocked formats, torch's channels-last paths, its contiguity checks) depends on each
one.  The `mixed` layout policy picks, for input, weight, bias and grad_output independently,
one of:

  contiguous      the default strides
  channels_last   channels_last / channels_last_3d (4-d and 5-d tensors)
  permuted        stored in a random axis order, viewed back in the logical order
  size1_strides   as_strided with arbitrary strides on the size-1 axes (they address nothing)
  offset          a view starting 1-7 elements into a larger storage
  strided         every stride doubled: a view of every other element of a wider buffer

The choice is a function of the call's data (a hash of every array), so the same case (config,
dtype, kind, seed) lays its tensors out the same way on every run and in its reproducers.
`describe` names a tensor's layout for failure reports: its kind, strides and storage offset.
"""

from __future__ import annotations

import zlib

import numpy as np

LAYOUTS = ("contiguous", "channels_last", "permuted", "size1_strides", "offset", "strided")
ROLES = ("input", "weight", "bias", "grad_output")


def choose(arrays: dict) -> dict:
    """role -> layout name for each non-None array of the call, seeded by a hash of all of them."""
    digest = 0
    for role in ROLES:
        a = arrays.get(role)
        if a is not None:
            digest = zlib.crc32(np.ascontiguousarray(a).view(np.uint8), zlib.crc32(role.encode(), digest))
    rng = np.random.default_rng(digest)
    chosen = {}
    for role in ROLES:
        a = arrays.get(role)
        if a is None:
            continue
        options = [name for name in LAYOUTS if name != "channels_last" or a.ndim in (4, 5)]
        chosen[role] = (options[int(rng.integers(len(options)))], int(rng.integers(2**31)))
    return chosen


def apply(t, layout: str, seed: int):
    """The tensor `t` (contiguous) re-laid out as `layout` (same values, same logical shape)."""
    import torch

    rng = np.random.default_rng(seed)
    if layout == "contiguous":
        return t.contiguous()
    if layout == "channels_last":
        return t.contiguous(memory_format=torch.channels_last if t.dim() == 4 else torch.channels_last_3d)
    if layout == "permuted":
        order = [int(i) for i in rng.permutation(t.dim())]
        inverse = [order.index(i) for i in range(t.dim())]
        return t.permute(order).contiguous().permute(inverse)
    if layout == "size1_strides":
        strides = [int(rng.integers(0, 1000)) if n == 1 else s for n, s in zip(t.shape, t.contiguous().stride())]
        base = t.contiguous()
        return torch.as_strided(base, t.shape, strides)
    if layout == "offset":
        offset = int(rng.integers(1, 8))
        storage = torch.zeros(t.numel() + offset + 3, dtype=t.dtype, device=t.device)
        view = storage[offset:offset + t.numel()].view(t.shape)
        view.copy_(t)
        return view
    if layout == "strided":
        if t.dim() == 0:
            return t
        wide = torch.zeros(*t.shape[:-1], 2 * t.shape[-1], dtype=t.dtype, device=t.device)
        wide[..., ::2] = t
        return wide[..., ::2]
    raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")


def describe(t, layout: str) -> str:
    """'channels_last strides (12, 1, 6, 3) offset 0': how a tensor was actually laid out."""
    return f"{layout} strides {tuple(t.stride())} offset {t.storage_offset()}"
