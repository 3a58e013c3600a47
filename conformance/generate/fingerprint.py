"""A fingerprint of what decides a certification's draws, so two reports can say whether they drew the same cases.

A row is seeded by its name (conformance.certify.rows), so with the same Hypothesis version, the same examples per
row and the same source of the strategies, data kinds, families and config model, two runs draw the same configs
and data: a changed verdict is then the backend's.  The fingerprint hashes that source (and, where Hypothesis
draws from the constants of convconf's modules, theirs: _sources); `convconf diff` refuses to call changes between
reports of different fingerprints regressions unless told to (--force).  Hypothesis draws from the constants of
other local modules too (a plug-in backend's own module, outside site-packages): those are not hashed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
# the modules whose source decides which configs and data a row draws
DRAWING = ("generate/strategies.py", "generate/families.py", "generate/data.py", "generate/historical.py",
           "model/config.py", "model/classify.py", "model/arguments.py", "model/dtypes.py", "certify/rows.py")


def _sources() -> list:
    """The source files whose text can move a row's draws, relative to the checkout or install.

    DRAWING always.  Hypothesis also draws from the constants of the *local* modules loaded (its
    `is_local_module_file`: outside site-packages, not test files), and convconf loads all of its own modules
    up front (conformance.run.session.load_own_modules): in a checkout or an editable install, then, every
    module's constants count, so every module's source is hashed.  Installed in site-packages, only DRAWING."""
    try:
        from hypothesis.internal.constants_ast import is_local_module_file
    except ImportError:  # an older Hypothesis, without local constants
        def is_local_module_file(path):
            return False
    if not is_local_module_file(str(PACKAGE / "__init__.py")):
        return [PACKAGE / name for name in DRAWING]
    roots = (PACKAGE, PACKAGE.parent / "oracle")
    return sorted(path for root in roots for path in root.rglob("*.py")
                  if "reproducers" not in path.parts and is_local_module_file(str(path)))


def draws_fingerprint() -> str:
    """12 hex digits of the SHA-256 of the sources that decide the draws (_sources; line endings normalised)."""
    digest = hashlib.sha256()
    for path in _sources():
        digest.update(path.relative_to(PACKAGE.parent).as_posix().encode())
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()[:12]


__all__ = ["DRAWING", "draws_fingerprint"]
