"""Tooling for the customer-segmentation warehouse: demo data, raw contract, checks, CLI."""

__version__ = "0.1.0"
