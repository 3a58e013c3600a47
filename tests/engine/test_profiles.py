"""The shipped suite's depth comes from convconf's profiles, whatever a project registered under their names."""

from hypothesis import settings

from conformance.generate import profiles


def test_the_shipped_suite_ignores_foreign_profiles_of_the_same_name():
    before = profiles.current_name()
    try:
        # Hypothesis ships its own 'ci' (100 examples); a project may register its own 'dev'
        settings.register_profile("ci", max_examples=100, derandomize=True)
        settings.load_profile("ci")
        assert (profiles.active().max_examples, profiles.active().derandomize) == (30, True)
        settings.register_profile("dev", max_examples=7)
        settings.load_profile("dev")
        assert (profiles.active().max_examples, profiles.active().derandomize) == (200, False)
        settings.load_profile("default")
        assert profiles.active().max_examples == profiles.PROFILES["ci"]["max_examples"]  # unknown name: ci
    finally:
        profiles.register(force=True)
        settings.load_profile(before)
