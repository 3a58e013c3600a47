"""How a backend's answer is judged: the checks (forward, gradients, invariants, invalid configs, large tensors),
the verdict against the oracle's bound, and what a run saw (recording, coverage)."""
