"""What this CPU has: its feature flags, the one reading of /proc/cpuinfo that backends, known issues and
reports share (kernel choice, and so a finding's reach, depends on them)."""

from __future__ import annotations

from typing import Optional


def cpu_flags() -> Optional[set]:
    """The CPU's feature flags from /proc/cpuinfo (x86 'flags', Arm 'Features'), or None where there is no such
    file."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return None
