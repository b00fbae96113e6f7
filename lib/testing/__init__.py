"""Test-only generators: synthetic documents with their truth, for tests and benchmarks; the app never imports them."""
