"""onednn-bf16-long-kernel-grad-weight: oneDNN's jit_bf16:avx512_core_bf16 backward-weights kernel (torch 2.13.0 and
2.14.1, oneDNN 3.12), reached channels-last, puts wrong values in a 3-d grad_weight when the depth kernel is longer
than the input depth (exact [2, 2, 2, 2], seen [0, 2, 0, 2] or garbage), or the height kernel is longer than the
input height with one output row (exact [0, 0, 2, 2, 2, 2, 0, 0]); contiguous tensors of 16 or more input channels
reach the same kernel (17 channels: 272 of 578 taps 0 where 1 is exact).  Seen on an AMD EPYC (Zen 4), at 1 thread.
"""

import os
import sys

os.environ["OMP_NUM_THREADS"] = "1"

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

B = torch.bfloat16


def depth() -> list:
    """Depth 1 under a 2-deep channels-last kernel, padding 1: output 0 reads depths -1, 0 and output 1 depths 0, 1,
    so each tap meets the input once per image (batch 2): all 2."""
    x = torch.ones(2, 2, 1, 1, 1, dtype=B)
    w = torch.ones(1, 2, 2, 1, 1, dtype=B).contiguous(memory_format=torch.channels_last_3d).requires_grad_()
    F.conv3d(x, w, padding=(1, 0, 0)).sum().backward()
    return w.grad.float().flatten().tolist()


def height() -> list:
    """Height 2 under a 4-tall kernel, stride 2, padding 1, a channels-last input: one output row reading rows -1..2,
    so taps 0 and 3 meet only padding; taps 1 and 2 meet a row of 1s at each of the 2 output depths (both columns of
    the 2-wide kernel): channel (0, 0) is [[0, 0], [2, 2], [2, 2], [0, 0]]."""
    x = torch.ones(1, 4, 2, 2, 2, dtype=B).contiguous(memory_format=torch.channels_last_3d)
    w = torch.ones(2, 2, 1, 4, 2, dtype=B, requires_grad=True)
    F.conv3d(x, w, stride=(1, 2, 1), padding=(0, 1, 0), groups=2).sum().backward()
    return w.grad[0, 0, 0].float().flatten().tolist()


def contiguous() -> list:
    """The depth case with plain tensors of 17 channels (oneDNN's blocked route; 15 go to x64:gemm:jit): depth 1
    under a 2-deep kernel, padding 1, so each tap meets the input once: every one of the 17 x 17 x 2 taps is 1.
    Returns the distinct values."""
    x = torch.ones(1, 17, 1, 1, 1, dtype=B)
    w = torch.ones(17, 17, 2, 1, 1, dtype=B, requires_grad=True)
    F.conv3d(x, w, padding=(1, 0, 0)).sum().backward()
    return sorted(set(w.grad.float().flatten().tolist()))


def main() -> int:
    wrong = 0
    for case, exact in ((depth, [2.0] * 4), (height, [0.0, 0.0, 2.0, 2.0, 2.0, 2.0, 0.0, 0.0]), (contiguous, [1.0])):
        got = case()
        print(f"{case.__name__}: got {got}, exact {exact}")
        wrong += got != exact
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
