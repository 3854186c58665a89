"""Predictive maintenance: health index, failure probability and RUL models, the per-tenant model registry,
recommendations and work orders.
"""
