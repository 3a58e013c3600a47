"""PyTorch backends: CPU (default dispatch, no oneDNN, channels-last, strided views) and CUDA/cuDNN.

Calls mirror what `torch.nn.Conv*d` does: padding modes other than zeros go through
F.pad (last dimension first) and then an unpadded convolution.  The kernel path is
what `torch._C._select_conv_backend` picks for the call as actually made.
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..config import ConvConfig
from .protocol import Capabilities, GradResult, Result

TORCH_DTYPES = ("float64", "float32", "float16", "bfloat16")
UNNAMED_PATHS = {9: "MkldnnTranspose"}


@dataclass
class TorchSettings:
    device: str = "cpu"
    mkldnn: bool = True
    cudnn: bool = True
    cudnn_benchmark: bool = False
    cudnn_deterministic: bool = False
    allow_tf32: bool = False
    channels_last: bool = False
    noncontiguous: bool = False


@dataclass
class TorchBackend:
    name: str
    settings: TorchSettings = field(default_factory=TorchSettings)
    capabilities: Capabilities = None

    def __post_init__(self):
        if self.capabilities is None:
            self.capabilities = self._declared()

    # -- capabilities -------------------------------------------------------------------------
    def _declared(self) -> Capabilities:
        on_cuda = self.settings.device.startswith("cuda")
        accuracy = {dt: "exact-inputs" for dt in TORCH_DTYPES}
        if not on_cuda:
            # PyTorch promises no float32 accumulation for half types on CPU, and its slow paths
            # (SlowTranspose*, Slow*d without oneDNN) do round partial sums to the storage dtype;
            # the run summary reports which paths meet the tighter exact-inputs class anyway
            accuracy.update(float16="storage", bfloat16="storage")
        if on_cuda and self.settings.allow_tf32:
            accuracy["float32"] = "tf32"  # PyTorch's default for cuDNN convolutions
        # zero padding and dilation are loop bounds in every torch kernel, never materialised
        # (padding='same' with dilation 2**33 runs in microseconds)
        return Capabilities(dtypes=TORCH_DTYPES, accuracy=accuracy, devices=(self.settings.device,), max_extent=2**34)

    def unavailable(self) -> Optional[str]:
        try:
            import torch
        except ImportError:
            return "torch is not installed"
        if self.settings.device.startswith("cuda") and not torch.cuda.is_available():
            return f"{self.name} needs a CUDA device and torch.cuda.is_available() is False on this machine"
        return None

    def version(self) -> str:
        import torch

        return f"torch {torch.__version__} (ATen CPU capability {torch.backends.cpu.get_cpu_capability()})"

    # -- running ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _flags(self):
        import torch

        s = self.settings
        with warnings.catch_warnings():
            # torch's advisory UserWarnings (oneDNN TF32, 'same' padding copies) are not findings
            warnings.simplefilter("ignore", UserWarning)
            with torch.backends.mkldnn.flags(enabled=s.mkldnn), torch.backends.cudnn.flags(
                    enabled=s.cudnn, benchmark=s.cudnn_benchmark, deterministic=s.cudnn_deterministic,
                    allow_tf32=s.allow_tf32):
                yield

    def _tensor(self, a, dtype: str, requires_grad=False):
        import torch

        if a is None:
            return None
        t = torch.from_numpy(np.ascontiguousarray(a)).to(self.settings.device).to(getattr(torch, dtype))
        if self.settings.channels_last and t.dim() in (4, 5):
            t = t.contiguous(memory_format=torch.channels_last if t.dim() == 4 else torch.channels_last_3d)
        if self.settings.noncontiguous and t.dim() >= 1:
            # same values, every stride doubled: a view into a buffer twice as long in the last dim
            wide = torch.zeros(*t.shape[:-1], 2 * t.shape[-1], dtype=t.dtype, device=t.device)
            wide[..., ::2] = t
            t = wide[..., ::2]
        return t.requires_grad_(requires_grad)

    def _call(self, config: ConvConfig, x, w, b):
        """Run the op as nn.Conv*d / F.conv_transpose*d would; returns (output, kernel path)."""
        import torch.nn.functional as F

        kw = config.kwargs()
        if config.transposed:
            fn = getattr(F, f"conv_transpose{config.ndim}d")
            path = self._path(x, w, b, config.stride, config.padding, config.dilation, True, config.output_padding,
                              config.groups)
            return fn(x, w, b, **kw), path
        mode = kw.pop("padding_mode")
        fn = getattr(F, f"conv{config.ndim}d")
        # padding amounts come unvalidated from the config: an invalid config must reach torch,
        # and torch (not the oracle) must reject it
        before, after = config.padding_pairs()
        # F.pad takes (last dim before, after, second-to-last before, after, ...)
        pads = [p for bb, aa in zip(reversed(before), reversed(after)) for p in (bb, aa)]
        if mode != "zeros":
            x = F.pad(x, pads, mode=mode)
            kw["padding"] = 0
        probe, ints = x, (0,) * config.ndim
        if mode == "zeros" and before == after:
            ints = before
        elif mode == "zeros":
            # 'same' with an odd total: torch zero-pads the input itself, then convolves unpadded
            probe = F.pad(x.detach(), pads)
        path = self._path(probe, w, b, config.stride, ints, config.dilation, False, (0,) * config.ndim, config.groups)
        return fn(x, w, b, **kw), path

    @staticmethod
    def _path(x, w, b, stride, padding, dilation, transposed, output_padding, groups) -> Optional[str]:
        import torch

        try:
            chosen = torch._C._select_conv_backend(x, w, b, list(stride), list(padding), list(dilation), transposed,
                                                   list(output_padding), groups)
        except (AttributeError, RuntimeError, TypeError):
            return None
        name = getattr(chosen, "name", "???")
        # pybind exports no name for ATen's ConvBackend::MkldnnTranspose (value 9, between
        # Mkldnn = 8 and MkldnnEmpty = 10); name it rather than report "???"
        return UNNAMED_PATHS.get(int(chosen), f"ConvBackend({int(chosen)})") if name == "???" else name

    def forward(self, config, x, weight, bias, dtype) -> Result:
        import torch

        with self._flags(), torch.no_grad():
            out, path = self._call(config, self._tensor(x, dtype), self._tensor(weight, dtype),
                                   self._tensor(bias, dtype))
        return Result(out.detach().to("cpu", torch.float64).numpy(), str(out.dtype).replace("torch.", ""), path)

    def grads(self, config, x, weight, bias, grad_output, dtype) -> GradResult:
        import torch

        xt, wt = self._tensor(x, dtype, True), self._tensor(weight, dtype, True)
        bt = self._tensor(bias, dtype, True)
        with self._flags():
            out, path = self._call(config, xt, wt, bt)
            out.backward(self._tensor(grad_output, dtype))

        def back(t):
            return None if t is None else t.grad.detach().to("cpu", torch.float64).numpy()

        return GradResult(back(xt), back(wt), back(bt), str(out.dtype).replace("torch.", ""), path)


def builtin_torch_backends() -> dict:
    """name -> factory for every shipped torch backend."""
    S = TorchSettings
    table = {
        "torch-cpu": S(),
        "torch-cpu-nomkldnn": S(mkldnn=False),
        "torch-cpu-channels-last": S(channels_last=True),
        "torch-cpu-noncontiguous": S(noncontiguous=True),
        "torch-cuda": S(device="cuda", cudnn=False),
        "torch-cudnn": S(device="cuda"),
        "torch-cudnn-default": S(device="cuda", allow_tf32=True),
        "torch-cudnn-benchmark": S(device="cuda", cudnn_benchmark=True),
        "torch-cudnn-deterministic": S(device="cuda", cudnn_deterministic=True),
        "torch-cuda-channels-last": S(device="cuda", channels_last=True),
    }
    return {name: (lambda name=name, s=s: TorchBackend(name, s)) for name, s in table.items()}
