"""Benchmarks: scripts run by ``make bench``, never timed tests (a shared machine is noisy).

Each compares the project's code with a floor measured in the same run on the same machine,
and reports ratios.
"""
