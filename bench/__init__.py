"""Benchmarks: `make bench` runs bench/run.py and records the figures in docs/performance.md."""
