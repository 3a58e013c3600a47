"""What this machine runs: its CPU flags (cpu) and the implementation oneDNN dispatches for a call
(onednn_dispatch), read from what really runs, never assumed."""
