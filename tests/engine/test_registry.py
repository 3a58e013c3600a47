"""Loading a plug-in backend by 'package.module:attr': every way it can fail is a usage error naming the cause."""

import sys

import pytest

from conformance.backends import registry


@pytest.fixture
def plugin_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in ("broken_syntax_backend", "raising_backend", "empty_backend"):
        sys.modules.pop(name, None)


@pytest.mark.parametrize("source, spec, says", [
    ("def backend(:\n", "broken_syntax_backend:backend", r"raised SyntaxError at .*broken_syntax_backend.py:1: "),
    ("raise RuntimeError('no licence server')\n", "raising_backend:backend",
     r"importing 'raising_backend' raised RuntimeError: no licence server"),
    ("x = 1\n", "empty_backend:backend", r"module 'empty_backend' has no 'backend'"),
    (None, "no_such_module_here:backend", r"cannot import 'no_such_module_here' \(No module named"),
])
def test_a_plugin_that_cannot_load_is_an_unknown_backend_naming_why(plugin_dir, source, spec, says):
    if source is not None:
        (plugin_dir / f"{spec.partition(':')[0]}.py").write_text(source)
    with pytest.raises(registry.UnknownBackend, match=says):
        registry.load(spec)
