"""The convolution call a torch backend makes, as Python source: one text for eager, compiled and reproducers.

`call_source(config)` writes the function `conv_call(x, weight, bias)` that runs the config the
way `torch.nn.Conv*d` / `F.conv_transpose*d` do: padding modes other than zeros go through
F.pad (last dimension first) and then an unpadded convolution.  Every hyper-parameter is a
literal of the text and nothing is validated, so an invalid config reaches torch and torch
(eager or compiled) must reject it.  Eager backends run the text as is, compiled backends hand
it to torch.compile (each distinct text is its own code object, hence its own compile cache),
and standalone reproducers print it: what fails is exactly what the script runs.
"""

from __future__ import annotations

from functools import lru_cache

from conformance.model.config import ConvConfig


def call_source(config: ConvConfig) -> str:
    nd = config.ndim
    if config.transposed:
        return (f"def conv_call(x, weight, bias):\n"
                f"    return F.conv_transpose{nd}d(x, weight, bias, stride={config.stride!r}, "
                f"padding={config.padding!r}, output_padding={config.output_padding!r}, groups={config.groups!r}, "
                f"dilation={config.dilation!r})\n")
    lines = ["def conv_call(x, weight, bias):"]
    padding = config.padding
    if config.padding_mode != "zeros":
        before, after = config.padding_pairs()
        # F.pad takes (last dim before, after, second-to-last before, after, ...)
        pads = [p for b, a in zip(reversed(before), reversed(after)) for p in (b, a)]
        lines.append(f"    x = F.pad(x, {pads!r}, mode={config.padding_mode!r})")
        padding = 0
    lines.append(f"    return F.conv{nd}d(x, weight, bias, stride={config.stride!r}, padding={padding!r}, "
                 f"dilation={config.dilation!r}, groups={config.groups!r})")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=2048)
def call_function(source: str, filename: str = "<convconf conv_call>"):
    """The function defined by `source` (cached: the same text and filename are the same code object).  Compiled
    backends give each signature its own filename: Dynamo keys its automatic-dynamic-shape state by the code's
    file, line and name, so code objects sharing them would share it (torch_compile)."""
    import torch.nn.functional as F

    namespace = {"F": F}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - text we generated
    return namespace["conv_call"]
