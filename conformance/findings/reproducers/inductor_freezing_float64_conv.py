"""inductor-freezing-float64-conv: torch.compile with Inductor freezing (inference) cannot compile a float64 2-d
convolution on CPU: it prepacks the frozen weight with mkldnn._reorder_convolution_weight, which rejects float64,
so compiling nn.Conv2d(1, 1, 1).double() raises BackendCompilerFailed ('itensor_view_from_dense expects
float/bfloat16/half/int8/fp8 tensor input'), where eager returns the 1x1x2x2 output.  Seen with torch 2.13.0."""

import sys

import torch
import torch._inductor.config


def main() -> int:
    torch._inductor.config.freezing = True  # the weights become constants of the compiled graph
    torch.manual_seed(0)
    m = torch.nn.Conv2d(1, 1, 1).double().eval()
    x = torch.ones(1, 1, 2, 2, dtype=torch.float64)
    with torch.no_grad():
        exact = m(x)  # w * 1 + b in every pixel
        try:
            got = torch.compile(m)(x)
        except Exception as e:  # torch._dynamo.exc.BackendCompilerFailed
            why = " ".join(str(e).split("\n\n")[0].split())  # 'backend='inductor' raised: RuntimeError: ...'
            print(f"compiling raised {type(e).__name__}: {why[:300]}\neager gives {exact.flatten().tolist()}")
            return 1
    if torch.equal(got, exact):
        print(f"conforms: {got.flatten().tolist()}")
        return 0
    print(f"got {got.flatten().tolist()}, exact {exact.flatten().tolist()}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
