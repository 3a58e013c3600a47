"""The Hypothesis profiles the suite runs under: ci (default), dev and thorough.

    ci        derandomized, small: fits a few minutes on 2 cores; the same versions draw the same cases
    dev       a random seed each run, about 7x ci's examples: local exploration
    thorough  certification depth: about 70x ci's examples
    large     ci's depth, plus the opt-in items marked `large`: configs past 2**31 elements and bytes
              (conformance.judge.large), tens of seconds and gigabytes each

Pick one with Hypothesis' own `--hypothesis-profile`.  The shipped tests read their settings
from PROFILES by the name of the active profile (ci when it is none of these), not from the
registered profile: Hypothesis itself ships a 'ci' profile (100 examples), and a project may
have registered its own 'dev', so a registered profile of one of these names is not ours.
`register()` adds the names Hypothesis does not know yet, so `--hypothesis-profile dev` works
in any project without changing the settings of that project's own tests; `register(force=True)`
(this repository's conftest) makes the three profiles exactly ours for every test here.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.errors import InvalidArgument

COMMON = dict(deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
PROFILES = {"ci": dict(max_examples=30, derandomize=True), "dev": dict(max_examples=200, derandomize=False),
            "thorough": dict(max_examples=2000, derandomize=False), "large": dict(max_examples=30, derandomize=True)}


def register(force: bool = False) -> None:
    for name, values in PROFILES.items():
        if not force:
            try:
                settings.get_profile(name)
                continue
            except InvalidArgument:
                pass
        settings.register_profile(name, **COMMON, **values)


def current_name() -> str:
    """The name of the profile Hypothesis loaded last ('default' when none was)."""
    getter = getattr(settings, "get_current_profile_name", None)
    return getter() if getter is not None else getattr(settings, "_current_profile", "default")


def active() -> settings:
    """The settings the shipped suite runs under: ours for the active profile's name, else ci's."""
    name = current_name()
    return settings(**COMMON, **PROFILES[name if name in PROFILES else "ci"])


register()
