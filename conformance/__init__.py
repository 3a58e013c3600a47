"""convconf's conformance engine: strategies, error bounds, verdicts, backends, pytest plugin, CLI.

The reference values come from `oracle` (numpy only); this package depends on it, never the
reverse.  Entry points: `python -m conformance` / `convconf` (certify, repro, diff, compare),
the pytest plugin (`pytest --backend NAME`), and the shipped suite `conformance.tests`.
"""
