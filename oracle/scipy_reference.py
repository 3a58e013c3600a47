"""An independently written cross-check of the oracle, built from scipy and numpy.pad.

Nothing here shares code with naive.py or shift.py beyond the validated spec:
padding uses numpy.pad's own modes, dilation zero-inserts the kernel, stride
subsamples a stride-1 result, and each (output, input) channel pair is one
`scipy.signal.correlate` (forward) or `scipy.signal.convolve` (transpose) call.
method="direct" keeps integer data exact (no FFT rounding).
"""

from __future__ import annotations

import numpy as np

# torch padding_mode -> numpy.pad mode (numpy's "reflect" omits the edge, as torch's does)
NUMPY_PAD_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _zero_insert(a: np.ndarray, factors, first_axis: int) -> np.ndarray:
    """Insert factor-1 zeros between consecutive elements along axes first_axis.."""
    shape = list(a.shape)
    sel = [slice(None)] * a.ndim
    for i, f in enumerate(factors):
        axis = first_axis + i
        shape[axis] = (a.shape[axis] - 1) * f + 1
        sel[axis] = slice(None, None, f)
    out = np.zeros(shape, dtype=a.dtype)
    out[tuple(sel)] = a
    return out


def conv(spec, x, w, b):
    from scipy.signal import correlate

    widths = [(0, 0), (0, 0), *zip(spec.pad_before, spec.pad_after)]
    xp = np.pad(x, widths, mode=NUMPY_PAD_MODE[spec.padding_mode])
    wd = _zero_insert(w, spec.dilation, 2)
    stride = tuple(slice(None, None, s) for s in spec.stride)
    y = np.zeros(spec.output_shape, dtype=np.result_type(x, w))
    for n in range(spec.batch):
        for oc in range(spec.out_channels):
            first = (oc // spec.out_per_group) * spec.in_per_group
            for c in range(spec.in_per_group):
                # scipy's correlate conjugates its second argument; conj cancels that for complex data
                full = correlate(xp[n, first + c], np.conj(wd[oc, c]), mode="valid", method="direct")
                y[n, oc] += full[stride]
    if b is not None:
        y += b.reshape((-1,) + (1,) * spec.ndim)
    return y


def conv_transpose(spec, x, w, b):
    from scipy.signal import convolve

    xu = _zero_insert(x, spec.stride, 2)
    wd = _zero_insert(w, spec.dilation, 2)
    # full convolution has length (L-1)*s + d*(K-1) + 1; output_padding adds zeros at the end,
    # then `padding` is cropped from both ends
    full = np.zeros((spec.batch, spec.out_channels, *spec.padded_size), dtype=np.result_type(x, w))
    for n in range(spec.batch):
        for ic in range(spec.in_channels):
            first = (ic // spec.in_per_group) * spec.out_per_group
            for c in range(spec.out_per_group):
                part = convolve(xu[n, ic], wd[ic, c], mode="full", method="direct")
                full[(n, first + c, *(slice(0, m) for m in part.shape))] += part
    crop = tuple(slice(p, p + o) for p, o in zip(spec.pad_before, spec.output_size))
    y = full[(slice(None), slice(None), *crop)]
    if b is not None:
        y = y + b.reshape((-1,) + (1,) * spec.ndim)
    return y
