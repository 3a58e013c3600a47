"""Hypothesis profiles for the whole suite; pick one with --hypothesis-profile.

ci        derandomized, small: the default, fits a few minutes on 2 cores
dev       random seed each run, 5x the examples: for local exploration
thorough  certification depth: 50x the examples, no deadline
"""

import os

pytest_plugins = ["conformance.pytest_plugin"]

from hypothesis import HealthCheck, settings

_common = dict(deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=30, derandomize=True, **_common)
settings.register_profile("dev", max_examples=200, **_common)
settings.register_profile("thorough", max_examples=2000, **_common)
# --hypothesis-profile (handled by Hypothesis' own pytest plugin) overrides this default
settings.load_profile(os.environ.get("CONVCONF_PROFILE", "ci"))
