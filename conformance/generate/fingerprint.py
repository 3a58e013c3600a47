"""A fingerprint of what decides a certification's draws, so two reports can say whether they drew the same cases.

A row is seeded by its name (conformance.certify.rows), so with the same Hypothesis version, the same examples per
row and the same source of the strategies, data kinds, families and config model, two runs draw the same configs
and data: a changed verdict is then the backend's.  The fingerprint hashes that source; `convconf diff` refuses to
call changes between reports of different fingerprints regressions unless told to (--force).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
# the modules whose source decides which configs and data a row draws
DRAWING = ("generate/strategies.py", "generate/families.py", "generate/data.py", "generate/historical.py",
           "model/config.py", "model/classify.py", "model/arguments.py", "model/dtypes.py", "certify/rows.py")


def draws_fingerprint() -> str:
    """12 hex digits of the SHA-256 of DRAWING's source (line endings normalised)."""
    digest = hashlib.sha256()
    for name in DRAWING:
        digest.update(name.encode())
        digest.update((PACKAGE / name).read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()[:12]


__all__ = ["DRAWING", "draws_fingerprint"]
