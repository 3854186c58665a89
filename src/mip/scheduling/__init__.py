"""Finite-capacity scheduling: CP-SAT flexible job shop, greedy baseline, benchmarks."""
