"""The floating-point formats a backend may compute in, and exact rounding into them.

Data always travels as float64 numpy arrays holding values representable in the
target format, so the oracle sees exactly what the backend receives.  numpy has no
bfloat16; it is emulated by rounding float32 bit patterns (round to nearest even).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FloatFormat:
    name: str
    mantissa_bits: int  # explicit fraction bits; unit roundoff is 2**-(mantissa_bits+1)
    smallest_subnormal: float
    max_finite: float
    adversarial_exponent: int  # data spans 2**-e .. 2**e so no sum of products can overflow

    @property
    def unit_roundoff(self) -> float:
        return 2.0 ** -(self.mantissa_bits + 1)


DTYPES = {
    "float64": FloatFormat("float64", 52, 2.0**-1074, float(np.finfo(np.float64).max), 30),
    "float32": FloatFormat("float32", 23, 2.0**-149, float(np.finfo(np.float32).max), 20),
    "float16": FloatFormat("float16", 10, 2.0**-24, 65504.0, 3),
    "bfloat16": FloatFormat("bfloat16", 7, 2.0**-133, float.fromhex("0x1.fep127"), 20),
}
# TF32 is not a storage format: tensor cores round float32 inputs to this many fraction bits
TF32 = FloatFormat("tf32", 10, 2.0**-149, float(np.finfo(np.float32).max), 20)


def _bfloat16(a: np.ndarray) -> np.ndarray:
    bits = np.asarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    # round to nearest even on the 16 dropped bits; NaN and inf keep their top bits
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    out = bits.astype(np.uint32).view(np.float32).astype(np.float64)
    return np.where(np.isnan(a), a, out)


def round_to_dtype(a, dtype: str) -> np.ndarray:
    """float64 array of the values of `a` rounded to `dtype` (overflow gives inf, as a cast does)."""
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(over="ignore"):
        if dtype == "bfloat16":
            return _bfloat16(a.astype(np.float32))
        return a.astype(dtype).astype(np.float64)
