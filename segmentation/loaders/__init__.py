"""Public datasets mapped into the raw-data contract (``python -m segmentation load <name>``)."""
