"""Benchmarks (``python -m bench [NAME]``), each against a baseline measured in the same run."""
