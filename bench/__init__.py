"""Benchmarks: they print figures and never fail a build."""
