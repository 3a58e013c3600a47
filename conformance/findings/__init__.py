"""The findings catalogue: every known, reproduced non-conformance, one module per framework.

Each framework's module (onednn, pytorch, nnpack, inductor, xla, tensorflow, onnxruntime) holds its keys
with the predicates they need, and the invalid configurations its framework accepts by its own
documented rules (`ACCEPTED`); each key is documented at docs/findings/<framework>.md#<key>.  This
module is the registry the judge consults: a known issue is an xfail with its reason, never a silence,
and it claims only a failure it can explain (conformance.findings.issue).
"""

from __future__ import annotations

from dataclasses import replace

from conformance.findings import declared, inductor, nnpack, onednn, onnxruntime, pytorch, tensorflow, xla
from conformance.findings.declared import DeclarationError
from conformance.findings.issue import TRANSFORM_GROWTH, KnownIssue, backend_env, flush_subnormals

# framework module -> (its documentation page, the module its reproducers import); the registry's order is this
# order, then each module's
FRAMEWORKS = {onednn: ("onednn", "torch"), pytorch: ("pytorch", "torch"), nnpack: ("nnpack", "torch"),
              inductor: ("inductor", "torch"), xla: ("xla", "jax"), tensorflow: ("tensorflow", "tensorflow"),
              onnxruntime: ("onnxruntime", "onnxruntime")}
KNOWN_ISSUES = [replace(issue, doc=f"docs/findings/{page}.md#{issue.key}", framework=framework)
                for module, (page, framework) in FRAMEWORKS.items() for issue in module.ISSUES]
REGISTRY = {issue.key: issue for issue in KNOWN_ISSUES}
assert len(REGISTRY) == len(KNOWN_ISSUES), "a key is registered twice"

# (backend name, invalid-config rule) -> why that backend's acceptance of the config is its framework's documented
# rule, not a bug (the invalid-config check then passes it)
ACCEPTED_EXTENSIONS = {k: why for module in FRAMEWORKS for k, why in getattr(module, "ACCEPTED", {}).items()}


def all_issues() -> list:
    """The built-in catalogue, then the issues declared in this process (conformance.findings.declared)."""
    return KNOWN_ISSUES + declared.declared()


def declare(issues) -> None:
    """Add user-declared issues (declared.load_file, declared.from_backend); DeclarationError on a key clash."""
    declared.declare(issues, REGISTRY)


def get(key: str) -> KnownIssue:
    """The known issue `key` (a renamed key finds its new name); KeyError naming the keys there are."""
    key = RENAMED.get(key, key)
    found = REGISTRY.get(key) or next((d for d in declared.declared() if d.key == key), None)
    if found is None:
        raise KeyError(f"no known issue {key!r}: the keys are {', '.join(k.key for k in all_issues())}")
    return found


def _explains(issue: KnownIssue, backend: str, dtype: str, config, direction, layouts) -> bool:
    return (issue.covers(backend) and dtype in issue.dtypes and (issue.when is None or issue.when(config))
            and (issue.directions is None or direction is None or direction in issue.directions)
            and issue.fits_layouts(config, layouts) and issue.unreachable_here(backend) is None)


def known_crash(backend: str, dtype: str, config, direction=None, hang: bool = False, layouts=None):
    """The known issue that explains a backend process dying (hang: hanging) on `config`, or None."""
    return next((k for k in all_issues() if k.hypothesis == "crash" and (k.hangs or not hang)
                 and _explains(k, backend, dtype, config, direction, layouts)), None)


def known_raise(backend: str, dtype: str, config, text: str, direction=None, layouts=None):
    """The known issue that explains a backend raising `text` on the valid `config`, or None."""
    import re

    return next((k for k in all_issues() if k.hypothesis == "raises" and re.search(k.message or "", text)
                 and _explains(k, backend, dtype, config, direction, layouts)), None)


def check_direction(config, direction: str) -> str:
    """A check's direction as known issues name it: the forward check of a transposed config is 'transposed',
    its gradients 'transposed_grad_input' and so on (a plain config's are 'forward', 'grad_input', ...)."""
    if not config.transposed:
        return direction
    return "transposed" if direction == "forward" else f"transposed_{direction}"


def matching(backend: str, dtype: str, kernel_path, config=None, kind=None, direction=None, layouts=None):
    return [k for k in all_issues() if k.applies(backend, dtype, kernel_path, config, kind, direction, layouts)]


# keys renamed as findings grew: committed reports name the old key
RENAMED = {"onednn-avx2-padding-only-width-segfault": "onednn-padding-only-width-segfault",
           "tf-onednn-conv3d-strided-garbage": "tf-onednn-strided-pitch-garbage",
           "tf-onednn-bf16-conv3d-grad-weight-undercount": "tf-onednn-bf16-conv3d-grad-weight-kernel-past-input"}


class KnownNonConformance(Exception):
    """A failure explained by a KnownIssue: the test records it and reports an xfail at the end."""

    def __init__(self, issue: KnownIssue, report: str):
        self.issue = issue
        self.report = report
        super().__init__(f"[{issue.key}] {issue.summary}")


__all__ = ["ACCEPTED_EXTENSIONS", "DeclarationError", "KNOWN_ISSUES", "KnownIssue", "KnownNonConformance",
           "REGISTRY", "RENAMED", "TRANSFORM_GROWTH", "all_issues", "backend_env", "check_direction", "declare",
           "flush_subnormals", "get", "known_crash", "known_raise", "matching"]
