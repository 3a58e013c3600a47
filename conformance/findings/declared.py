"""Known issues a user declares: for their own backend, or for a built-in one their team runs.

The built-in catalogue (this package's framework modules) documents what convconf found; a team whose kernel has
a documented limitation declares it the same way, as narrow as a built-in issue, so its certification stays a
gate for new breakage instead of red forever:

- from a file, `convconf certify --known-issues FILE` or `pytest --known-issues FILE` (TOML or JSON; FIELDS
  below; docs/backends.md#declaring-known-issues);
- from the backend object: a `known_issues` attribute holding KnownIssue objects (their `backends` default to
  the backend's name).

A declared issue claims a failure exactly as a built-in one does (the judge re-judges the case under its
hypothesis); one that claims nothing in a run is reported as unused, so stale declarations stay visible.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import replace

from conformance.findings.issue import KnownIssue
from conformance.model.dtypes import DTYPES

HYPOTHESES = ("flush-to-zero", "nan-leak", "transform-accuracy", "transform-overflow", "uninitialised", "crash",
              "raises", "wrong-shape", "wrong-values")
DIRECTIONS = ("forward", "grad_input", "grad_weight", "grad_bias", "transposed", "transposed_grad_input",
              "transposed_grad_weight", "transposed_grad_bias")
# field -> (what it holds, required?) in a declaration file
FIELDS = {
    "key": ("a unique name, letters, digits and dashes", True),
    "summary": ("one line: what is wrong, where", True),
    "backends": ("the backend names it concerns", True),
    "dtypes": (f"the dtypes it occurs in ({', '.join(DTYPES)})", True),
    "hypothesis": (f"under which the rows conform: {', '.join(HYPOTHESES)} (default wrong-values)", False),
    "kernel_paths": ("kernel paths it occurs on; an entry ending in '*' matches every path it starts "
                     "(default ['*'])", False),
    "directions": (f"the checks it occurs in ({', '.join(DIRECTIONS)}; default all)", False),
    "kinds": ("the data kinds it occurs with (conformance.generate.data.DATA_KINDS; default all)", False),
    "when": ("a Python expression over `config` (a ConvConfig) true where it can occur, e.g. "
             "'config.bias and config.groups > 1' (default: every config)", False),
    "message": ("for hypothesis 'raises': a regular expression the exception's text matches", False),
    "hangs": ("for hypothesis 'crash': the process may hang instead of dying (default false)", False),
    "reproducer": ("the command that reproduces it, as reports should print it", False),
    "doc": ("where it is documented (a URL or a path)", False),
}
# names a `when` expression may use besides `config`
WHEN_NAMES = {"any": any, "all": all, "min": min, "max": max, "len": len, "abs": abs, "sum": sum, "prod": math.prod}

_DECLARED = []  # the issues declared in this process, in order


class DeclarationError(ValueError):
    """A declaration that cannot be used: the message names the file, the entry and the rule it breaks."""


def declared() -> list:
    return list(_DECLARED)


def declare(issues, builtin_keys=()) -> None:
    """Add declared issues to this process's (idempotent for an issue already declared); a key clashing with a
    built-in or another declared issue is a DeclarationError."""
    for issue in issues:
        same = next((d for d in _DECLARED if d.key == issue.key), None)
        if same == issue:
            continue
        if same is not None or issue.key in builtin_keys:
            where = "a built-in known issue" if same is None else f"another declaration ({same.declared_in})"
            raise DeclarationError(f"{issue.declared_in}: key {issue.key!r} is already {where}'s: choose another")
        _DECLARED.append(issue)


def clear() -> None:
    _DECLARED.clear()


def from_backend(backend) -> list:
    """The KnownIssue objects a backend object declares in `known_issues` (their backends default to its name)."""
    found = getattr(backend, "known_issues", None) or ()
    where = f"backend {backend.name!r} (its known_issues)"
    out = []
    for i, issue in enumerate(found):
        if not isinstance(issue, KnownIssue):
            raise DeclarationError(f"{where}: entry {i} is a {type(issue).__name__}, not a "
                                   "conformance.findings.KnownIssue")
        out.append(replace(issue, backends=issue.backends or (backend.name,), declared_in=where,
                           doc=issue.doc or where))
    return out


def load_file(path: str) -> list:
    """The issues a TOML or JSON file declares (a list `issue` of tables; JSON: {"issue": [...]} or a list)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise DeclarationError(f"--known-issues {path}: cannot read it ({exc.strerror})") from None
    try:
        if path.endswith(".json"):
            data = json.loads(raw)
        else:
            try:
                import tomllib
            except ImportError:  # Python 3.10
                try:
                    import tomli as tomllib
                except ImportError:
                    raise DeclarationError(f"--known-issues {path}: TOML needs Python 3.11 or the tomli package; "
                                           "or write the declarations as JSON (a .json file)") from None
            data = tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError and TOMLDecodeError are ValueErrors
        raise DeclarationError(f"--known-issues {path}: not valid {'JSON' if path.endswith('.json') else 'TOML'} "
                               f"({exc})") from None
    entries = data if isinstance(data, list) else data.get("issue") if isinstance(data, dict) else None
    if isinstance(data, dict) and set(data) - {"issue"}:
        raise DeclarationError(f"--known-issues {path}: unknown top-level entries {sorted(set(data) - {'issue'})}; "
                               "declare each issue as an [[issue]] table")
    if not isinstance(entries, list) or not entries:
        raise DeclarationError(f"--known-issues {path}: no [[issue]] entries")
    return [_issue(entry, f"--known-issues {path}, issue {i + 1}", os.path.abspath(path))
            for i, entry in enumerate(entries)]


def _strings(value, name: str, where: str, allowed=None) -> tuple:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value or \
            not all(isinstance(v, str) and v for v in value):
        raise DeclarationError(f"{where}: {name} must be a non-empty list of strings, got {value!r}")
    bad = [v for v in value if allowed is not None and v not in allowed]
    if bad:
        raise DeclarationError(f"{where}: {name} {bad} not among {', '.join(allowed)}")
    return tuple(value)


def _issue(entry, where: str, source: str) -> KnownIssue:
    # imported here: the reduced reproducers import this package, and the data module brings Hypothesis (0.3 s)
    from conformance.generate.data import DATA_KINDS

    if not isinstance(entry, dict):
        raise DeclarationError(f"{where}: must be a table of fields, got {type(entry).__name__}")
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        raise DeclarationError(f"{where}: unknown field(s) {unknown}; the fields are {', '.join(FIELDS)}")
    missing = [name for name, (_, required) in FIELDS.items() if required and name not in entry]
    if missing:
        raise DeclarationError(f"{where}: missing {', '.join(missing)} ({'; '.join(FIELDS[m][0] for m in missing)})")
    key, summary = entry["key"], entry["summary"]
    if not isinstance(key, str) or not key or not all(c.isalnum() or c == "-" for c in key):
        raise DeclarationError(f"{where}: key must be letters, digits and dashes, got {key!r}")
    where = f"{where} ({key})"
    if not isinstance(summary, str) or not summary.strip():
        raise DeclarationError(f"{where}: summary must be a non-empty string")
    hypothesis = entry.get("hypothesis", "wrong-values")
    if hypothesis not in HYPOTHESES:
        raise DeclarationError(f"{where}: hypothesis {hypothesis!r} is not one of {', '.join(HYPOTHESES)}")
    if hypothesis == "raises" and not isinstance(entry.get("message"), str):
        raise DeclarationError(f"{where}: hypothesis 'raises' needs a message (a regular expression)")
    if "hangs" in entry and not isinstance(entry["hangs"], bool):
        raise DeclarationError(f"{where}: hangs must be true or false")
    for name in ("reproducer", "doc", "message"):
        if name in entry and not isinstance(entry[name], str):
            raise DeclarationError(f"{where}: {name} must be a string")
    return KnownIssue(
        key=key, summary=summary.strip(), hypothesis=hypothesis,
        backends=_strings(entry["backends"], "backends", where),
        dtypes=_strings(entry["dtypes"], "dtypes", where, DTYPES),
        kernel_paths=_strings(entry.get("kernel_paths", ["*"]), "kernel_paths", where),
        directions=_strings(entry["directions"], "directions", where, DIRECTIONS) if "directions" in entry else None,
        kinds=_strings(entry["kinds"], "kinds", where, DATA_KINDS) if "kinds" in entry else None,
        when=_when(entry["when"], where) if "when" in entry else None,
        message=entry.get("message"), hangs=entry.get("hangs", False), command=entry.get("reproducer"),
        doc=entry.get("doc") or source, declared_in=source, framework="")


def _when(text, where: str):
    """The predicate of a `when` expression, compiled now so that a typo is an error before the run."""
    if not isinstance(text, str) or not text.strip():
        raise DeclarationError(f"{where}: when must be a Python expression over `config`, got {text!r}")
    try:
        code = compile(text, f"<{where} when>", "eval")
    except SyntaxError as exc:
        raise DeclarationError(f"{where}: when {text!r} is not a Python expression ({exc.msg})") from None
    unknown = sorted(set(code.co_names) - set(WHEN_NAMES) - {"config"} - _attributes(code))
    if unknown:
        raise DeclarationError(f"{where}: when {text!r} uses {unknown}; it may use `config` (a ConvConfig) and "
                               f"{', '.join(WHEN_NAMES)}")
    return _Predicate(text, code)


def _attributes(code) -> set:
    """Attribute names the expression reads (config.groups): co_names holds them beside the global names."""
    import dis

    return {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_ATTR", "LOAD_METHOD")}


class _Predicate:
    """config -> bool of a declared `when`, readable in reports (its text) and comparable (declare's idempotence)."""

    def __init__(self, text: str, code):
        self.text, self._code = text, code

    def __call__(self, config) -> bool:
        return bool(eval(self._code, {"__builtins__": {}, **WHEN_NAMES}, {"config": config}))  # noqa: S307

    def __eq__(self, other):
        return isinstance(other, _Predicate) and other.text == self.text

    def __hash__(self):
        return hash(self.text)

    def __repr__(self):
        return self.text


def unused(hit_keys) -> list:
    """The declared issues that claimed nothing: keys not among `hit_keys`."""
    return [issue for issue in _DECLARED if issue.key not in set(hit_keys)]


__all__ = ["DIRECTIONS", "FIELDS", "HYPOTHESES", "DeclarationError", "clear", "declare", "declared",
           "from_backend", "load_file", "unused"]
