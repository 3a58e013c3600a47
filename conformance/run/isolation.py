"""Run a backend's calls in a child process, so a segfault or a hang fails one case, not the run.

`IsolatedBackend(spec)` looks like the backend named by `spec` (registry name or
'module:attr'), but every forward/grads call is sent to a long-lived worker process.
If the worker dies (a signal, an abort) the call raises BackendCrash; if it does not
answer within `timeout` seconds it is killed and the call raises BackendTimeout.  The
next call starts a fresh worker, so the rest of the run goes on; `dead_calls` lists what the dead worker
had run before (checks._call re-runs a crashing case in a fresh worker and looks there for an earlier
call that may have corrupted the process's memory).  An ordinary Python
exception inside the backend (e.g. torch rejecting a bad config) comes back as
BackendError carrying the original type name and message.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import traceback

from conformance.run import threads
from conformance.backends import registry
from conformance.backends.protocol import BackendCrash, BackendTimeout, process_env, tensor_layouts


class BackendError(RuntimeError):
    """An exception raised inside the isolated backend; `type_name` is the original class."""

    def __init__(self, type_name: str, message: str, remote_traceback: str = ""):
        self.type_name = type_name
        self.remote_traceback = remote_traceback
        super().__init__(f"{type_name}: {message}")


def _serve(spec: str, conn) -> None:
    from conformance.backends.protocol import runtime_info

    backend = registry.load(spec)
    while True:
        try:
            method, args = conn.recv()
        except EOFError:
            return
        try:
            if method == "runtime_info":
                answer = runtime_info(backend)
            elif method == "run_in_process":  # a module-level function of (backend, *args), sent by reference
                answer = args[0](backend, *args[1:])
            else:
                answer = getattr(backend, method)(*args)
            conn.send(("ok", answer))
        except Exception as exc:  # noqa: BLE001 - every backend failure is reported to the parent
            conn.send(("error", (type(exc).__name__, str(exc), traceback.format_exc())))


class IsolatedBackend:
    """A proxy for backend `spec` whose calls run in a child process with a time limit."""

    def __init__(self, spec: str, timeout: float = 120.0):
        local = registry.load(spec)  # validates the name here, with the caller's error handling
        self.spec = spec
        self.name = local.name
        self.capabilities = local.capabilities
        self._unavailable = getattr(local, "unavailable", lambda: None)
        self.local = local  # for what needs no call: its version, its standalone reproducers
        self.env = process_env(local)
        self.timeout = timeout
        self._process = None
        self._conn = None
        # (method, config, dtype, layouts) of each forward/grads call the live process served, and of the process
        # that died last: a crash can be a later call tripping over memory an earlier call corrupted
        self.calls = []
        self.dead_calls = []
        self._threads = None

    def unavailable(self):
        return self._unavailable()

    def _start(self) -> None:
        ctx = mp.get_context("spawn")  # no fork: torch's thread pools do not survive a fork
        parent, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(self.spec, child), daemon=True)
        # one core's share per pytest-xdist worker; what the backend needs before its framework loads
        with threads.spawn_env(threads.xdist_workers()), threads.variables(self.env):
            self._process.start()
        child.close()
        self._conn = parent
        self.calls = []

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self.dead_calls = self.calls
        self._process = self._conn = None
        self.calls = []

    def _request(self, method: str, *args, timeout=None):
        if self._process is None or not self._process.is_alive():
            self._start()
        self._conn.send((method, args))
        timeout = self.timeout if timeout is None else timeout
        if not self._conn.poll(timeout):
            self.close()
            raise BackendTimeout(f"{self.name}.{method} did not return within {timeout:g} s (killed)")
        try:
            status, payload = self._conn.recv()
        except (EOFError, ConnectionResetError):
            self._process.join(5)
            code = self._process.exitcode
            self.close()
            how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
            raise BackendCrash(f"{self.name}.{method} killed its process ({how})") from None
        if status == "error":
            raise BackendError(*payload)
        return payload

    def runtime_info(self) -> dict:
        """The worker's runtime_info() (protocol.runtime_info), starting the worker if needed."""
        return self._request("runtime_info")

    def threads(self):
        """The worker's thread count (protocol.call_threads), asked once: every worker is spawned the same way."""
        if self._threads is None and callable(getattr(self.local, "threads", None)):
            self._threads = self._request("threads")
        return self._threads

    def run_in_process(self, function, *args, timeout=None):
        """function(backend, *args) in the worker (a module-level function: it travels by name), e.g. making
        data too big to send (conformance.judge.large); `timeout` replaces the per-call limit for this call."""
        return self._request("run_in_process", function, *args, timeout=timeout)

    def layouts(self, arrays: dict):
        """The local backend's layout plan for these arrays (protocol.tensor_layouts): no call to the worker."""
        return tensor_layouts(self.local, arrays)

    def version(self):
        version = getattr(self.local, "version", None)
        return version() if callable(version) else None

    def forward(self, config, x, weight, bias, dtype):
        return self._logged("forward", config, dtype, dict(input=x, weight=weight, bias=bias))

    def grads(self, config, x, weight, bias, grad_output, dtype):
        return self._logged("grads", config, dtype, dict(input=x, weight=weight, bias=bias, grad_output=grad_output))

    def _logged(self, method, config, dtype, arrays: dict):
        answer = self._request(method, config, *arrays.values(), dtype)
        # only calls the process came back from
        self.calls.append((method, config, dtype, self.layouts(arrays)))
        return answer
