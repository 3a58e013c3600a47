"""Backends under test: the protocol, the shipped torch and scipy backends, and name lookup."""

from conformance.backends.protocol import (Backend, BackendCrash, BackendTimeout, Capabilities, GradResult, Result,
                                          unavailable)
from conformance.backends.registry import ENTRY_POINT_GROUP, UnknownBackend, default_names, load, names

__all__ = ["Backend", "BackendCrash", "BackendTimeout", "Capabilities", "ENTRY_POINT_GROUP", "GradResult", "Result",
           "UnknownBackend", "default_names", "load", "names", "unavailable"]
