"""Unit tests: no I/O."""
