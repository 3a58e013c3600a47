"""Certification: the rows (one Hypothesis run per cell and data kind, run in a pytest item) and the
controller that plans them, runs them on pytest-xdist and writes the reports."""
