"""The torch backends' standalone reproducers: a script that needs only torch and numpy.

It sets what the backend set (a oneDNN ISA cap before torch loads, the thread count, oneDNN /
cuDNN / TF32 flags), rebuilds every tensor with the exact strides and storage offset the backend
gave it (whatever its layout policy chose), runs the very call text the backend runs
(torch_call.call_source), compiled the same way where the backend compiles, and prints each
output's worst element next to the oracle's value (the `case` dict: conformance.report.standalone).
"""

from __future__ import annotations


def script(backend, case: dict) -> str:
    from conformance.backends.torch.call import call_source

    s = backend.settings
    config, dtype, check = case["config"], case["dtype"], case["check"]
    arrays = case["arrays"]
    roles = {"input": arrays["x"], "weight": arrays["weight"], "bias": arrays["bias"]}
    if check == "grads":
        roles["grad_output"] = arrays["grad_output"]
    tensors, layouts, _ = backend._tensors(roles, dtype, requires_grad=check == "grads")
    env = backend.process_env()
    lines = [f'"""{case["headline"] or "convconf case"}',
             "",
             f"backend {backend.name}: {config.short()}",
             f"dtype {dtype}, {case['kind']} data, seed {case['seed']}, {check}",
             f"convconf config: {config!r}",
             "",
             "Needs only torch and numpy.  Exits 1 while the non-conformance is there (a crash kills the process),",
             "0 when every element is within the bound convconf derived for it from the declared accuracy class.",
             '"""', "", "import os", "import sys", ""]
    if env:
        lines += ["# oneDNN reads its ISA cap once, before its first use: set it before torch is imported"]
        lines += [f"os.environ[{k!r}] = {v!r}" for k, v in env.items()]
        lines.append("")
    lines += [case["arrays_source"], "import torch", "import torch.nn.functional as F", ""]
    if s.threads == "1":
        lines.append("torch.set_num_threads(1)")
    elif s.threads == "all":
        lines.append("torch.set_num_threads(os.cpu_count())")
    lines += [f"torch.backends.mkldnn.enabled = {s.mkldnn!r}", f"torch.backends.cudnn.enabled = {s.cudnn!r}",
              f"torch.backends.cudnn.benchmark = {s.cudnn_benchmark!r}",
              f"torch.backends.cudnn.deterministic = {s.cudnn_deterministic!r}",
              f"torch.backends.cudnn.allow_tf32 = {s.allow_tf32!r}", ""]
    lines += ['def placed(values, strides, offset, requires_grad=False):',
              '    """values as a tensor with exactly these strides and storage offset (the backend\'s layout)."""',
              f'    t = torch.from_numpy(np.array(values)).to({s.device!r}).to(torch.{dtype})  # a writable copy',
              '    span = 1 + sum((n - 1) * st for n, st in zip(t.shape, strides) if n > 0)',
              f'    storage = torch.zeros(offset + span, dtype=t.dtype, device={s.device!r})',
              '    out = torch.as_strided(storage, t.shape, strides, offset)',
              '    out.copy_(t)',
              '    return out.requires_grad_(requires_grad)', ""]
    sources = {"input": "x", "weight": "weight", "bias": "bias", "grad_output": "grad_output"}
    for role, t in tensors.items():
        if t is None:
            lines.append(f"{sources[role]} = None")
            continue
        grad = check == "grads" and role != "grad_output"
        layout = layouts[role]
        lines.append(f"{sources[role]} = placed({sources[role]}, {layout.strides}, {layout.offset}"
                     f"{', True' if grad else ''})  # layout: {layout.name}")
    lines += ["", call_source(config)]
    run = "conv_call"
    if s.compile is not None:
        mode = s.compile
        kwargs = ", ".join(p for p in (f"mode={mode.mode!r}" if mode.mode else "",
                                       f"dynamic={mode.dynamic!r}" if mode.dynamic else "") if p)
        if mode.freezing:
            lines += ["import torch._inductor.config", "torch._inductor.config.freezing = True", "",
                      "class Conv(torch.nn.Module):",
                      "    def __init__(self):",
                      "        super().__init__()",
                      "        self.weight = torch.nn.Parameter(weight, requires_grad=False)",
                      "        self.bias = None if bias is None else torch.nn.Parameter(bias, requires_grad=False)",
                      "",
                      "    def forward(self, x):",
                      "        return conv_call(x, self.weight, self.bias)", "",
                      f"module = torch.compile(Conv().eval(){', ' + kwargs if kwargs else ''})", ""]
            run = None
        else:
            lines += [f"conv_call = torch.compile(conv_call{', ' + kwargs if kwargs else ''})", ""]
    lines.append(case["compare_source"])
    if check == "grads":
        lines += ["y = conv_call(x, weight, bias)", "y.backward(grad_output)",
                  "got = {'grad_input': x.grad, 'grad_weight': weight.grad, 'grad_bias': None if bias is None else "
                  "bias.grad}"]
    else:
        call = "module(x)" if run is None else "conv_call(x, weight, bias)"
        lines += ["with torch.no_grad():", f"    y = {call}", "got = {'output': y}"]
    lines.append(f"print('torch', torch.__version__, '{backend.name}', '{dtype}')")
    lines.append("ok = True")
    for name in case["outputs"]:
        lines.append(f"ok &= compare({name!r}, got[{name!r}].detach().to('cpu', torch.float64).numpy(), "
                     f"expected_{name}, bound_{name}, {case['scales'][name]}, inf_ok_{name})")
    lines.append("sys.exit(0 if ok else 1)")
    return "\n".join(lines) + "\n"
