"""The reduced reproducers of the known issues, one runnable file per key (the key, dashes as underscores).

Each runs as `python -m conformance.findings.reproducers.<name>` (or as a plain file) with its
framework and numpy alone, and is the one copy of its finding's reproducer: reports print that
command, and tests/findings/test_reproducers.py runs every file as a strict xfail where the key's
platform holds.  A file exits 0 where the framework computes right, 1 printing what it got and what
is exact where the finding shows, or dies (a signal, an abort) as a crash finding does; it exits 77
with its reason on the last line where a precondition of its case does not hold on this machine
(the kernel it needs does not run here).  Anything a finding depends on (threads, memory layout) is
set inside the file, before the framework loads.
"""
