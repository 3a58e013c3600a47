"""JAX (XLA): `jax.lax.conv_general_dilated` for both directions, gradients through `jax.vjp`.

Mapping from torch semantics:
- forward: padding modes through `jnp.pad` (reflect / edge / wrap) and then an unpadded
  convolution; zeros padding as explicit (before, after) pairs, "same"/"valid" through
  `lax.padtype_to_pads` (JAX's SAME equals torch's at stride 1 and is also defined for
  stride > 1); `rhs_dilation` = dilation; `feature_group_count` = groups.
- transpose: the transposed convolution is the forward convolution of the input dilated by
  the stride (`lhs_dilation`), with the kernel flipped and its in/out axes swapped per group,
  padded by d*(k-1) - p before and d*(k-1) - p + output_padding after (negative = crop).
- gradients: `jax.vjp` of exactly that function, so JAX's own autodiff rules are under test.
- general convolution (Capabilities.general, rank 4), natively: (low, high) padding pairs, negative
  ones included, go to lax as they are; input dilation is lax's `lhs_dilation`; SAME_UPPER and
  SAME_LOWER are lax's own "SAME" and "SAME_LOWER" padding strings; any spatial rank.  Transposed
  (general_transposed): ONNX ConvTranspose's lopsided crops and SAME_UPPER / SAME_LOWER split become the
  lopsided pads of the same lhs-dilated convolution (lax.conv_transpose has no groups, and its "SAME"
  no output_padding, so it is not the route).

Precision: "jax" passes `Precision.HIGHEST` (float32 products and sums on every platform);
"jax-default" passes none, and declares what the platform does with that: XLA:CPU computes
float32 convolutions in float32 anyway, while on GPU the default admits TF32 inputs.
float64 needs x64, which the backend enables for its own process.  Install with
`pip install ".[jax]"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from oracle.scipy_reference import NUMPY_PAD_MODE  # numpy.pad names; ONNX Pad uses the same

from conformance.model.config import AUTO_PADS, GENERAL_FEATURES, TRANSPOSED_GENERAL_FEATURES, ConvConfig
from conformance.backends.protocol import Capabilities, GradResult, Result, missing_extra

JAX_DTYPES = ("float64", "float32", "float16", "bfloat16")
LAX_AUTO_PADS = {"SAME_UPPER": "SAME", "SAME_LOWER": "SAME_LOWER"}


def _dimension_numbers(ndim: int):
    spatial = "DHW"[3 - ndim:] if ndim <= 3 else "ABDEFGHJ"[:ndim]  # any letters but N, C, O, I name the axes
    return (f"NC{spatial}", f"OI{spatial}", f"NC{spatial}")


def _transpose_kernel(w, groups: int):
    """torch (Cin, Cout/g, *k) -> forward (Cout, Cin/g, *k), flipped: the kernel of the equivalent conv."""
    import jax.numpy as jnp

    cin, cout_g, *k = w.shape
    w = w.reshape(groups, cin // groups, cout_g, *k).swapaxes(1, 2).reshape(groups * cout_g, cin // groups, *k)
    return jnp.flip(w, axis=tuple(range(2, 2 + len(k))))


def conv_function(config: ConvConfig, precision):
    """f(x, w[, b]) in torch semantics, built from lax primitives only."""
    import jax.numpy as jnp
    from jax import lax

    nd = config.ndim
    dn = _dimension_numbers(nd)
    if config.transposed:
        # forward-equivalent padding: d*(k-1) - begin before, d*(k-1) - end + output_padding after, where
        # (begin, end) crop the full output: (p, p) for torch's padding, lopsided or ONNX's SAME split in general
        pads = config.general_kwargs()["padding"]

        def core(x, w):
            return lax.conv_general_dilated(x, _transpose_kernel(w, config.groups), (1,) * nd, pads,
                                            lhs_dilation=config.stride, rhs_dilation=config.dilation,
                                            dimension_numbers=dn, feature_group_count=config.groups,
                                            precision=precision)
    else:
        mode = config.padding_mode

        def core(x, w):
            if config.padding in AUTO_PADS:  # lax's own auto-padding, at any stride and dilation
                return lax.conv_general_dilated(x, w, config.stride, LAX_AUTO_PADS[config.padding],
                                                rhs_dilation=config.dilation, dimension_numbers=dn,
                                                feature_group_count=config.groups, precision=precision)
            if config.padding in ("same", "valid"):
                # JAX's own "SAME"/"VALID" arithmetic, which also defines "SAME" for stride > 1
                window = [d * (k - 1) + 1 for d, k in zip(config.dilation, config.kernel_size)]
                pads = lax.padtype_to_pads(x.shape[2:], window, config.stride, config.padding.upper())
            else:
                pads = list(zip(*config.padding_pairs()))  # (low, high) per axis; negative crops
            if mode != "zeros":
                x = jnp.pad(x, [(0, 0), (0, 0), *pads], mode=NUMPY_PAD_MODE[mode])
                pads = [(0, 0)] * nd
            return lax.conv_general_dilated(x, w, config.stride, pads, lhs_dilation=config.lhs_dilation,
                                            rhs_dilation=config.dilation, dimension_numbers=dn,
                                            feature_group_count=config.groups, precision=precision)

    def f(x, w, b=None):
        y = core(x, w)
        return y if b is None else y + b.reshape((1, -1) + (1,) * nd)

    return f


@dataclass
class JaxBackend:
    name: str = "jax"
    highest: bool = True
    capabilities: Capabilities = None

    def __post_init__(self):
        if self.capabilities is None:
            self.capabilities = self._declared()

    def _platform(self) -> str:
        try:
            import jax

            return jax.default_backend()
        except ImportError:
            return "cpu"

    def _declared(self) -> Capabilities:
        accuracy = {dt: "exact-inputs" for dt in JAX_DTYPES}
        # lax has no fused bias: y = conv(x, w) + b rounds the convolution to the half type and
        # then rounds the sum again, one storage-dtype rounding more than "exact-inputs" allows
        # (seen: 0.74 ulp on a 2-tap float16 conv); "storage" models every addition rounded
        accuracy.update(float16="storage", bfloat16="storage")
        if not self.highest and self._platform() == "gpu":
            accuracy["float32"] = "tf32"  # DEFAULT precision lets cuDNN round float32 inputs to TF32
        return Capabilities(dtypes=JAX_DTYPES, accuracy=accuracy, devices=(self._platform(),), ndims=(1, 2, 3, 4),
                            general=GENERAL_FEATURES, general_transposed=TRANSPOSED_GENERAL_FEATURES)

    def unavailable(self) -> Optional[str]:
        return missing_extra(("jax",), "jax")

    def version(self) -> str:
        import jax
        import jaxlib

        precision = "HIGHEST" if self.highest else "DEFAULT"
        return f"jax {jax.__version__}, jaxlib {jaxlib.__version__}, {jax.default_backend()}, precision {precision}"

    def _setup(self, dtype: str):
        import jax
        import jax.numpy as jnp
        from jax import lax

        if dtype == "float64" and not jax.config.jax_enable_x64:
            jax.config.update("jax_enable_x64", True)
        return jnp.dtype(dtype), (lax.Precision.HIGHEST if self.highest else None)

    @staticmethod
    def _arrays(jdt, *arrays):
        import jax.numpy as jnp

        return [None if a is None else jnp.asarray(np.ascontiguousarray(a), dtype=jdt) for a in arrays]

    @staticmethod
    def _numpy(a) -> np.ndarray:
        return np.asarray(a).astype(np.float64)

    def forward(self, config, x, weight, bias, dtype) -> Result:
        jdt, precision = self._setup(dtype)
        f = conv_function(config, precision)
        y = f(*self._arrays(jdt, x, weight, bias))
        y.block_until_ready()
        return Result(self._numpy(y), str(y.dtype), f"xla-{self._platform()}")

    def grads(self, config, x, weight, bias, grad_output, dtype) -> GradResult:
        import jax

        jdt, precision = self._setup(dtype)
        f = conv_function(config, precision)
        primals = [a for a in self._arrays(jdt, x, weight, bias) if a is not None]
        y, pullback = jax.vjp(f, *primals)
        (g,) = self._arrays(jdt, grad_output)
        back = pullback(g)
        gb = self._numpy(back[2]) if bias is not None else None
        return GradResult(self._numpy(back[0]), self._numpy(back[1]), gb, str(y.dtype), f"xla-{self._platform()}")


def builtin_jax_backends() -> dict:
    return {"jax": lambda: JaxBackend("jax", highest=True),
            "jax-default": lambda: JaxBackend("jax-default", highest=False)}
