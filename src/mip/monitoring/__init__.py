"""Live monitoring: the plant overview (machine status, current values, open alarms)."""
