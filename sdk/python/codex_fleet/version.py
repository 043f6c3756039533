"""The SDK version (also in pyproject.toml; tests/test_build.py checks they agree)."""

__version__ = "0.1.0"
