"""Repository-wide pytest setup: the convconf plugin and the Hypothesis profile for every test here.

The plugin (conformance.pytest_plugin) is a pytest11 entry point of the installed package; a
plain checkout on PYTHONPATH loads it from here instead.  Profiles (conformance.profiles): ci is
the default, CONVCONF_PROFILE or --hypothesis-profile picks dev or thorough.
"""

import os
from importlib.metadata import entry_points

from hypothesis import settings

from conformance import profiles

profiles.register(force=True)  # every test here runs under convconf's ci, dev or thorough, not Hypothesis' own 'ci'

if not any(ep.value == "conformance.pytest_plugin" for ep in entry_points(group="pytest11")):
    pytest_plugins = ["conformance.pytest_plugin"]

# --hypothesis-profile (handled by Hypothesis' own pytest plugin) overrides this default
settings.load_profile(os.environ.get("CONVCONF_PROFILE", "ci"))
