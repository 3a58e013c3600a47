"""The package's folders are its architecture: layers that import only downwards, no cycle, small modules.

Every import of every module of `oracle/` and `conformance/` counts, the ones inside functions
included (a lazy import is still a dependency).  The layers, lowest first, are LAYERS below; the
findings and the reports in particular know no backend adapter and no runner, so a finding or a
report never changes with how a backend is wired or a check is run.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# lowest first: a module may import from its own layer and the layers before it
LAYERS = (
    "oracle",                    # ground truth: numpy only
    "conformance.model",         # what a config, a dtype, a bound and a row's identity are
    "conformance.machine",      # what this machine runs: CPU flags, what oneDNN dispatches
    "conformance.zoo",           # the model zoo: published networks' layers, as data with provenance
    "conformance.generate",      # Hypothesis strategies, data kinds, profiles, historical bugs
    "conformance.backends",      # the protocol, the registry and the adapters (torch's in backends/torch)
    "conformance.findings",      # the known issues, one module per framework
    "conformance.judge",         # checks, verdicts, bounds applied, invariants, coverage and what a run saw
    "conformance.run",           # running checks: the suite, isolation, threads, reachable kernel paths
    "conformance.report",        # report.json/md/html, standalone reproducers
    "conformance.certify",       # certification: rows and the controller
    "conformance.certification",  # the pytest module certification runs (one item per row)
    "conformance.tests",         # the shipped suite
    "conformance.entry",         # the entry points: conformance.__main__ (CLI), conformance.pytest_plugin
)
ENTRY_POINTS = {"conformance.__main__", "conformance.pytest_plugin", "conformance"}
# the backends modules findings may consult (a backend's process environment, a variant's built-in): not adapters
BACKEND_INTERFACE = {"conformance.backends", "conformance.backends.protocol", "conformance.backends.registry"}
MAX_LINES = 500


def _modules() -> dict:
    found = {}
    for top in ("oracle", "conformance"):
        for path in (ROOT / top).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set:
    """The package modules `name` imports, anywhere in its body (`from pkg import submodule` names the submodule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: up level-1 packages from this module's package
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            subs = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES}
            out.update(subs)
            if len(subs) < len(node.names):
                out.add(base)
    return {m for m in out if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def layer(name: str) -> int:
    if name in ENTRY_POINTS:
        return LAYERS.index("conformance.entry")
    return max(i for i, prefix in enumerate(LAYERS) if name == prefix or name.startswith(prefix + "."))


def _cycle(graph: dict):
    """One import cycle of `graph` as a list of modules, or None."""
    state = {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, stack)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def test_every_module_belongs_to_a_layer():
    assert all(layer(name) >= 0 for name in MODULES)
    assert "conformance.findings.onednn" in MODULES and "oracle.naive" in MODULES  # the walk found the package


def test_no_import_cycle_between_modules():
    assert _cycle(GRAPH) is None, " -> ".join(_cycle(GRAPH))


def test_imports_go_down_the_layers():
    upward = sorted(f"{a} ({LAYERS[layer(a)]}) imports {b} ({LAYERS[layer(b)]})"
                    for a, targets in GRAPH.items() for b in targets if layer(b) > layer(a))
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize("layer_name", ["conformance.findings", "conformance.report"])
def test_findings_and_reports_know_no_adapter_and_no_runner(layer_name):
    bad = sorted(f"{a} imports {b}" for a, targets in GRAPH.items() if layer(a) == LAYERS.index(layer_name)
                 for b in targets
                 if (b.startswith("conformance.backends") and b not in BACKEND_INTERFACE)
                 or b.startswith(("conformance.run", "conformance.certify")) or b in ENTRY_POINTS)
    assert not bad, "\n".join(bad)


def test_the_oracle_knows_nothing_of_the_suite():
    assert not {b for a, targets in GRAPH.items() if a.startswith("oracle") for b in targets
                if not b.startswith("oracle")}


def test_no_module_is_longer_than_the_limit():
    files = [*MODULES.values(), *(ROOT / "tests").rglob("*.py"), *(ROOT / "scripts").rglob("*.py"),
             *(ROOT / "benchmarks").rglob("*.py")]
    long = sorted(f"{p.relative_to(ROOT)}: {n} lines" for p in files
                  if (n := len(p.read_text().splitlines())) > MAX_LINES)
    assert not long, f"split these (at most {MAX_LINES} lines a module):\n" + "\n".join(long)


def test_the_checker_sees_a_cycle_and_an_upward_import():
    """The checks above can fail: a cycle and an upward import planted in a copy of the graph are found."""
    graph = {k: set(v) for k, v in GRAPH.items()}
    graph["conformance.model.config"].add("conformance.generate.families")  # families imports config
    assert _cycle(graph) is not None
    assert layer("conformance.model.config") < layer("conformance.generate.families")
