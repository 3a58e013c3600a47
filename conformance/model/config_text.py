"""Read a config back from the text a report prints: its one-line form (`ConvConfig.short`) or its repr.

A failure report shows both (`config` and `config repr` lines); `convconf repro --config` takes either,
so a user can paste whichever they copied.  Parsing never evaluates code: the repr is read with `ast`
(a call of ConvConfig with literal arguments), the one-line form with a pattern of literal fields.
"""

from __future__ import annotations

import ast
import re

from conformance.model.config import ConvConfig

_TUPLE = r"\([^()]*\)"
# conv2d x(1, 3, 5, 5) w(2, 3, 3, 3) g=1 s=(1, 1) p=(1, 1) d=(1, 1) [lhs=(..)] [op=(..)] [reflect] [nobias]
_SHORT = re.compile(
    rf"^(?P<op>convT|conv)(?P<ndim>\d+)d x(?P<x>{_TUPLE}) w(?P<w>{_TUPLE}) g=(?P<g>\d+) s=(?P<s>{_TUPLE}) "
    rf"p=(?P<p>.+?) d=(?P<d>{_TUPLE})(?: lhs=(?P<lhs>{_TUPLE}))?(?: op=(?P<op_pad>{_TUPLE}))?"
    r"(?: (?P<mode>zeros|reflect|replicate|circular))?(?P<nobias> nobias)?$")
FORMS = ("the one-line form a report prints, e.g. 'conv2d x(1, 3, 5, 5) w(2, 3, 3, 3) g=1 s=(1, 1) p=(1, 1) "
         "d=(1, 1)'", "the ConvConfig(...) repr of its 'config repr' line")


def parse_config(text: str) -> ConvConfig:
    """The ConvConfig `text` describes (either form); ValueError naming the problem otherwise."""
    text = " ".join(text.split())
    if text.startswith("ConvConfig("):
        return _from_repr(text)
    match = _SHORT.match(text)
    if match is None:
        raise ValueError(f"{text[:80]!r} is neither {FORMS[0]} nor {FORMS[1]}")
    return _from_short(match)


def _literal(text: str, what: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise ValueError(f"{what}: {text!r} is not a literal") from None


def _from_short(m) -> ConvConfig:
    ndim, groups, transposed = int(m["ndim"]), int(m["g"]), m["op"] == "convT"
    x, w = _literal(m["x"], "input shape x(...)"), _literal(m["w"], "weight shape w(...)")
    if len(x) != ndim + 2 or len(w) != ndim + 2:
        raise ValueError(f"x{x} and w{w} must have {ndim + 2} entries for a {ndim}-d convolution")
    # weight (Cout, Cin/g, *k) for a convolution, (Cin, Cout/g, *k) for a transposed one (torch.nn's layouts)
    out_channels = w[1] * groups if transposed else w[0]
    padding = m["p"]
    return ConvConfig(ndim=ndim, batch=x[0], in_channels=x[1], out_channels=out_channels, groups=groups,
                      input_size=tuple(x[2:]), kernel_size=tuple(w[2:]), stride=_literal(m["s"], "stride s="),
                      padding=_literal(padding, "padding p="), dilation=_literal(m["d"], "dilation d="),
                      padding_mode=m["mode"] or "zeros", bias=not m["nobias"], transposed=transposed,
                      output_padding=_literal(m["op_pad"], "output padding op=") if m["op_pad"] else None,
                      lhs_dilation=_literal(m["lhs"], "input dilation lhs=") if m["lhs"] else None)


def _from_repr(text: str) -> ConvConfig:
    try:
        call = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        raise ValueError(f"not a ConvConfig(...) expression ({exc.msg})") from None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "ConvConfig"):
        raise ValueError("not a ConvConfig(...) expression")
    try:
        args = [ast.literal_eval(a) for a in call.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except ValueError:
        raise ValueError("ConvConfig(...) arguments must be literals (numbers, strings, tuples, True/False/None)") \
            from None
    try:
        return ConvConfig(*args, **kwargs)
    except TypeError as exc:
        raise ValueError(f"ConvConfig(...): {exc}") from None


__all__ = ["FORMS", "parse_config"]
