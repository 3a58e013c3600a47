"""Integer tensors defined by their index alone: element j is a hash of (seed, j).

The large profile checks convolutions of tensors past 2**31 elements at sampled positions
(oracle.positions); their data must be reproducible from a seed and readable at any index
without materialising the tensor.  A splitmix64 hash of the flat index gives small integers,
so every partial sum the oracle forms stays exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _splitmix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser (Steele, Lea, Flood 2014), in place: a bijective 64-bit mix with full avalanche."""
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def hashed_integers(seed: int, flat_index, low: int = -3, high: int = 3) -> np.ndarray:
    """Reproducible integers in [low, high] from (seed, flat index) alone, int64, shaped like flat_index.

    Element j is splitmix64's j-th output for a stream keyed by the mixed seed:
    mix(mix(seed) + (j + 1) * golden) mod (high - low + 1), plus low (the modulo bias is
    below span / 2**64).  A huge tensor's element is then a function of its index.
    """
    low, high = int(low), int(high)
    if high < low or high - low >= 2**63:
        raise ValueError(f"need low <= high with high - low < 2**63, got low={low}, high={high}")
    j = np.asarray(flat_index)
    if j.dtype.kind not in "iu":
        raise ValueError(f"flat_index must hold integers, got dtype {j.dtype}")
    key = _splitmix(np.array([int(seed) % 2**64], dtype=np.uint64))
    # 1-d arrays throughout: numpy wraps uint64 array arithmetic mod 2**64 silently, scalars warn
    z = j.reshape(-1).astype(np.uint64)
    z += np.uint64(1)
    z *= _GOLDEN
    z += key
    z = _splitmix(z)
    z %= np.uint64(high - low + 1)
    z = z.view(np.int64)  # < 2**63: the same value
    z += np.int64(low)
    return z.reshape(j.shape)


def hashed_array(seed: int, shape, low: int = -3, high: int = 3, dtype=np.int64) -> np.ndarray:
    """The whole tensor of hashed_integers, element at flat (C-order) index j, for small shapes."""
    shape = tuple(int(n) for n in shape)
    return hashed_integers(seed, np.arange(prod(shape), dtype=np.int64), low, high).reshape(shape).astype(dtype)


@dataclass(frozen=True)
class HashedTensor:
    """A virtual integer tensor: element at multi-index i is hashed_integers(seed, ravel(i)).

    The position functions accept it in place of an array, so a sample of a result of any
    size is evaluated without materialising anything.
    """

    seed: int
    shape: tuple
    low: int = -3
    high: int = 3

    def __post_init__(self):
        object.__setattr__(self, "shape", tuple(int(n) for n in self.shape))
        hashed_integers(self.seed, np.zeros(0, np.int64), self.low, self.high)  # validates low/high

    dtype = np.dtype(np.int64)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return prod(self.shape)

    def take(self, multi_indices) -> np.ndarray:
        """Elements at a tuple of broadcastable per-axis index arrays (as in a[i0, i1, ...]), int64."""
        flat = np.ravel_multi_index(tuple(np.asarray(i, dtype=np.intp) for i in multi_indices), self.shape)
        return hashed_integers(self.seed, flat, self.low, self.high)

    def array(self, dtype=np.int64) -> np.ndarray:
        return hashed_array(self.seed, self.shape, self.low, self.high, dtype)

    def fill(self, out, block: int = 2**24):
        """Write this tensor into `out` (a C-contiguous array or memory map of its shape), block by block."""
        flat = out.reshape(-1)  # a view for a C-contiguous array or memmap: nothing is read
        for start in range(0, flat.size, block):
            stop = min(flat.size, start + block)
            flat[start:stop] = hashed_integers(self.seed, np.arange(start, stop, dtype=np.int64), self.low, self.high)
        return out
