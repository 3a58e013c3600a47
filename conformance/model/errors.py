"""The error a command reports as a usage error (exit 2): a bad argument, a backend that cannot load, an unreadable
report.  Defined below every layer that raises it; the command line (conformance.__main__) prints it in one line."""


class UsageError(Exception):
    pass
