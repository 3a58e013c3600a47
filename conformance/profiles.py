"""The Hypothesis profiles the suite runs under: ci (default), dev and thorough.

    ci        derandomized, small: fits a few minutes on 2 cores; the same versions draw the same cases
    dev       a random seed each run, about 7x ci's examples: local exploration
    thorough  certification depth: about 70x ci's examples

Registered on import (by the pytest plugin) unless a project already registered a profile of
that name; pick one with Hypothesis' own `--hypothesis-profile`.  The shipped tests run under
the active profile when it is one of these names, and under ci otherwise, so installing
convconf never changes the settings of a project's own Hypothesis tests.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.errors import InvalidArgument

COMMON = dict(deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
PROFILES = {"ci": dict(max_examples=30, derandomize=True), "dev": dict(max_examples=200),
            "thorough": dict(max_examples=2000)}


def register() -> None:
    for name, values in PROFILES.items():
        try:
            settings.get_profile(name)
        except InvalidArgument:
            settings.register_profile(name, **COMMON, **values)


def active() -> settings:
    """The settings the shipped suite runs under (see the module docstring)."""
    register()
    name = getattr(settings, "_current_profile", None)  # the profile Hypothesis loaded last
    return settings.default if name in PROFILES else settings.get_profile("ci")


register()
