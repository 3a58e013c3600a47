"""inductor-dynamic-conv-backward-lowering: torch.compile (Inductor, CPU) cannot compile the backward of a 1x1x1
conv3d (2 output channels, stride (1, 2, 2)) once its sizes are symbolic: called on a 4x5x6 input and then on a
2x3x3 one (automatic dynamic shapes), lowering aten.convolution_backward raises InductorError (LoweringException:
ValueRangeError: Invalid ranges [0:-1]).  Exact grad_input of the second call: 2 at even height and width, else 0.
Seen with torch 2.13.0; torch 2.14.1, eager and a static compile run it."""

import sys

import torch
import torch.nn.functional as F


def main() -> int:
    f = torch.compile(lambda x, w: F.conv3d(x, w, stride=(1, 2, 2)))
    w = torch.ones(2, 1, 1, 1, 1, requires_grad=True)
    # each input element at an even height and width index is read by one window of each of the 2 output channels
    exact = torch.zeros(1, 1, 2, 3, 3)
    exact[..., ::2, ::2] = 2.0
    try:
        for shape in ((4, 5, 6), (2, 3, 3)):  # the second call recompiles with symbolic sizes
            x = torch.ones(1, 1, *shape, requires_grad=True)
            f(x, w).sum().backward()
    except Exception as e:  # torch._inductor.exc.InductorError
        print(f"the call on {shape} raised {type(e).__name__}: {str(e).strip().splitlines()[0][:300]}")
        return 1
    if torch.equal(x.grad, exact):
        print("conforms: grad_input 2 at even height and width, else 0")
        return 0
    print(f"got grad_input {x.grad.flatten().tolist()}\nexact {exact.flatten().tolist()}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
