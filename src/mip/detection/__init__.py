"""Detection rules: rule specs, the stateful vectorised rule engine the stream workers run, backtesting and the
unsupervised anomaly scorer.
"""
