"""How cases are drawn: the Hypothesis strategies (`conv_configs`, the bug families), the data kinds, the
profiles and the documented historical bugs."""
