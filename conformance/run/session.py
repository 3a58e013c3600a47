"""Which pytest sessions are convconf's, and the options it adds to pytest.

Installing convconf installs its pytest plugin (a pytest11 entry point) into every pytest session of the
environment.  In a session that is not convconf's (no --convconf-backend/--backend, no certification, none of
convconf's own tests collected) the plugin stays inert: it imports no backend, parametrizes nothing and prints
nothing.  Its options are namespaced (--convconf-backend, --convconf-no-isolate, --convconf-backend-timeout);
the short names (--backend, --no-isolate, --backend-timeout) are added only where no other plugin or initial
conftest defines them, so a project with its own --backend keeps it (docs/suite.md#options).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

PACKAGES = tuple(Path(__import__(name).__file__).resolve().parent for name in ("conformance", "oracle"))
ACTIVE_KEY = pytest.StashKey[bool]()

# canonical name -> (short alias, dest, addoption keywords)
OPTIONS = {
    "--convconf-backend": ("--backend", "convconf_backend", dict(
        action="append", default=None, metavar="NAME",
        help="backend to test: a built-in or installed name, or package.module:attr (repeatable)")),
    "--convconf-no-isolate": ("--no-isolate", "convconf_no_isolate", dict(
        action="store_true", help="call backends in-process (no crash/hang isolation)")),
    "--convconf-known-issues": ("--known-issues", "convconf_known_issues", dict(
        action="append", default=None, metavar="FILE",
        help="known issues of your own, as narrow as the built-in ones (TOML or JSON; repeatable; "
             "docs/backends.md#declaring-known-issues)")),
    "--convconf-backend-timeout": ("--backend-timeout", "convconf_backend_timeout", dict(
        type=float, default=120.0, metavar="SECONDS", help="a backend call taking longer counts as hung "
                                                           "(default 120)")),
}


def _taken(parser) -> set:
    """Every option name already defined, in any group (pytest checks clashes within a group only)."""
    groups = [parser._anonymous, *parser._groups]  # noqa: SLF001 - no public listing of the options
    return {name for group in groups for option in group.options for name in option.names()}


def add_options(group) -> None:
    for canonical, (alias, dest, keywords) in OPTIONS.items():
        group.addoption(canonical, dest=dest, **dict(keywords, help=keywords["help"] + f" (also {alias}, where "
                                                                                       "free)"))


def add_aliases(parser) -> list:
    """The short names no other plugin or conftest took; the names added."""
    taken, added = _taken(parser), []
    group = parser.getgroup("convconf")
    for canonical, (alias, dest, keywords) in OPTIONS.items():
        if alias not in taken:
            group.addoption(alias, dest=dest, **dict(keywords, help=f"short for {canonical}"))
            added.append(alias)
    return added


def backend_specs(config):
    """The backends given on the command line, or None (a default run)."""
    return config.getoption("convconf_backend")


def _inside(path: Path) -> bool:
    return any(path == package or package in path.parents or path in package.parents for package in PACKAGES)


def is_convconf_session(config) -> bool:
    """Whether this session is convconf's: a backend or a certification was asked for, or it collects convconf's own
    tests (an argument inside the installed packages or the checkout, `--pyargs conformance...`, or a rootdir
    that is a convconf checkout)."""
    if backend_specs(config) or config.getoption("certify_profile", None):
        return True
    if (config.rootpath / "conformance" / "pytest_plugin.py").is_file():
        return True
    for arg in config.args:
        name = str(arg).split("::")[0]
        if config.option.pyargs and name.split(".")[0] in ("conformance", "oracle"):
            return True
        path = Path(name)
        path = (path if path.is_absolute() else config.invocation_params.dir / path).resolve()
        if path.exists() and _inside(path):
            return True
    return False


def active(config) -> bool:
    """is_convconf_session, decided once per session (pytest_configure)."""
    return config.stash.get(ACTIVE_KEY, False)


def own_environment(config) -> None:
    """In an xdist worker started by a popen gateway on another interpreter (`--tx popen//python=/venv/bin/python`):
    put that interpreter's own import path first.  xdist gives popen workers the controller's sys.path, so a
    worker in another venv would import the controller's packages (its torch, not the venv's) and so would the
    backend processes it spawns.  The packages already loaded here (pytest, xdist, numpy, convconf) stay the
    controller's: environments compared this way should share them (or use socket/ssh gateways)."""
    import json
    import subprocess

    controller = getattr(config, "workerinput", {}).get("convconf_controller_prefix")
    if controller is None or os.path.realpath(controller) == os.path.realpath(sys.prefix):
        return
    own = json.loads(subprocess.run([sys.executable, "-c", "import json, sys; print(json.dumps(sys.path[1:]))"],
                                    capture_output=True, text=True, check=True).stdout)
    sys.path[:] = own + [p for p in sys.path if p not in own]


REPRODUCERS = "conformance.findings.reproducers."


def load_own_modules() -> None:
    """Import every module of oracle and conformance now.  Hypothesis draws some choices from the constants of the
    local modules loaded so far (its 'local constants'), so a draw depended on which modules earlier items of the
    same process had imported: the same item drew other configs under -n 1 than under -n auto (seen: 3 of 1,685
    items changed verdict).  Loaded up front, every process has the same constants before any item runs."""
    import importlib
    import pkgutil

    for root in ("oracle", "conformance"):
        package = importlib.import_module(root)
        for found in pkgutil.walk_packages(package.__path__, prefix=f"{root}."):
            if found.name.startswith(REPRODUCERS):  # scripts, run in their own process: never imported here
                continue
            try:
                importlib.import_module(found.name)
            except Exception:  # noqa: BLE001 - a module needing an absent extra is not drawn from either
                continue


__all__ = ["OPTIONS", "active", "add_aliases", "add_options", "backend_specs", "is_convconf_session",
           "load_own_modules", "own_environment"]
