"""OEE: machine state from signals and operator input, downtime reasons, availability x performance x quality per
machine, line and shift.
"""
