"""Repository-wide pytest setup: the convconf plugin and the Hypothesis profile for every test here.

The plugin (conformance.pytest_plugin) is a pytest11 entry point of the installed package; a
plain checkout on PYTHONPATH loads it from here instead.  Profiles (conformance.generate.profiles): ci is
the default, CONVCONF_PROFILE or --hypothesis-profile picks dev or thorough.
"""

import os
from importlib.metadata import entry_points

from hypothesis import settings

from conformance.generate import profiles

profiles.register(force=True)  # every test here runs under convconf's ci, dev or thorough, not Hypothesis' own 'ci'

if not any(ep.value == "conformance.pytest_plugin" for ep in entry_points(group="pytest11")):
    pytest_plugins = ["conformance.pytest_plugin"]

# --hypothesis-profile (handled by Hypothesis' own pytest plugin) overrides this default
settings.load_profile(os.environ.get("CONVCONF_PROFILE", "ci"))



# The end-to-end tests start convconf and pytest in subprocesses (5-35 s each, most on 2 workers of their own): they
# go first, longest module first, so that xdist's work stealing (--dist worksteal, pyproject.toml) balances the
# cheap items behind them; collected in file order, the outsider flow was the last item of a run, alone for 30 s
END_TO_END = ("tests/engine/test_plugin_example.py", "tests/engine/test_certify.py",
              "tests/engine/test_certify_engine.py", "tests/engine/test_thirdparty_certify.py")


def pytest_collection_modifyitems(items):
    """End-to-end modules first; then the other tests as collected; then the conformance suite backend by backend,
    so that each worker's share touches few backends and each isolated backend process (1-5 s to start) starts in
    about one worker instead of in every one."""
    rank = {module: i for i, module in enumerate(END_TO_END)}

    def key(item):
        backend = getattr(getattr(item, "callspec", None), "params", {}).get("backend_name")
        return rank.get(item.nodeid.split("::")[0], len(END_TO_END)), backend is not None, backend or ""

    items.sort(key=key)  # stable: each group keeps its collected order
