"""Running checks: the shipped suite's helper, a backend in its own process (isolation), thread budgets and
the kernel paths a backend can reach here."""
