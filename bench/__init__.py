"""Benchmarks printed side by side: ``make bench`` (``python -m bench``)."""
