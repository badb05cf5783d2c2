"""The parts of `make bench` (scripts/bench.py is the entry point; its docstring says what runs)."""
