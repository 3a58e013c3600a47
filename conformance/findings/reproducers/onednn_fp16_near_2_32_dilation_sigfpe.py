"""onednn-fp16-near-2-32-dilation-sigfpe: oneDNN's float16 convolution (AVX512-FP16 CPUs; torch 2.13.0, oneDNN 3.12)
kills the process with SIGFPE (an integer division by zero) when a kernel of 3 or more taps spans (k-1)*d within 4
of 2**32: kernel 3 at dilation and padding 2**31 - 1.  Exact: eight 2s; the process dies (exit 136).  Seen on a
Sapphire Rapids Xeon.
"""

import os
import sys

os.environ["OMP_NUM_THREADS"] = "1"

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def main() -> int:
    h, big = torch.float16, 2**31 - 1
    print("expected eight 2.0", flush=True)
    # width: taps at -B, 0 and +B from each output's column, so only the centre tap meets the input; 2 channels of 1s
    y = F.conv2d(torch.ones(1, 2, 1, 4, dtype=h), torch.ones(2, 2, 1, 3, dtype=h), padding=(0, big),
                 dilation=(1, big))
    got, exact = y.float().flatten().tolist(), [2.0] * 8
    print(f"got {got}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
