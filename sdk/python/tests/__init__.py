"""Unit tests of the Python SDK: ``python3 -m unittest discover -s sdk/python/tests -t sdk/python`` (from the repo root)."""
