"""MIP telemetry domain."""
