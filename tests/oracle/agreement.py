"""Assertions for comparing two float64 evaluations of the same convolution sum."""

import numpy as np

from conformance.model.bounds import gamma

U64 = 2.0**-53


def assert_float64_agree(a, b, magnitude, terms, what=""):
    """Each evaluation errs by <= gamma(terms+1) * magnitude (see conformance.model.bounds), so two differ by twice
    that."""
    assert a.shape == b.shape, f"{what}: shapes {a.shape} != {b.shape}"
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=f"{what}: NaN positions differ")
    finite = np.isfinite(a) & np.isfinite(b)
    np.testing.assert_array_equal(a[~finite], b[~finite], err_msg=f"{what}: inf positions differ")
    bound = 2 * gamma(terms + 1, U64) * magnitude[finite]
    excess = np.abs(a[finite] - b[finite]) - bound
    assert (excess <= 0).all(), \
        f"{what}: {int((excess > 0).sum())} elements beyond the float64 bound, worst by {excess.max()}"
