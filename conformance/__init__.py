"""convconf's conformance engine: strategies, error bounds, verdicts, backends, pytest plugin, CLI.

The reference values come from `oracle` (numpy only); this package depends on it, never the
reverse.  Entry points: `python -m conformance` / `convconf` (certify, repro, diff, compare),
the pytest plugin (`pytest --backend NAME`), and the shipped suite `conformance.tests`.

Subpackages, lowest first; each imports only from those before it (tests/engine/test_layout.py):
model (what a case is), machine (what this machine runs), generate (strategies, data), backends
(protocol, registry, adapters), findings (known issues per framework), judge (checks, verdicts),
run (suite, isolation, threads), report, certify; then the entry points __main__ and pytest_plugin.
"""
