"""Predictive segmentations: buy-till-you-die models (docs/decisions/0012)."""
