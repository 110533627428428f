"""Data-quality checks with Great Expectations: suites for raw inputs and marts (python -m segmentation check)."""
