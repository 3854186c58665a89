"""Tamper-evident audit log: every mutation, per-tenant hash chain, signed checkpoints, verification."""
