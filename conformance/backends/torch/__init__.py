"""The PyTorch backends: eager (CPU, layouts, ISA caps, threads), compiled (Inductor), the standalone
reproducer writer and the call wrapper they share."""
