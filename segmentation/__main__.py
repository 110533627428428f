"""Entry point for ``python -m segmentation``."""

from segmentation.cli import main

raise SystemExit(main())
