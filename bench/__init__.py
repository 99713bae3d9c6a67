"""Throughput benchmarks of the kernel against plain baselines (run: ``make bench``)."""
