"""What stops the reading of an extract: every problem found, each naming the file (and column,
line) it is about, so that one run lists all there is to fix."""

from __future__ import annotations

from pathlib import Path


class ExtractError(ValueError):
    """The extract cannot be read as it is; ``problems`` lists each thing to fix."""

    def __init__(self, raw_dir: Path, problems: list[str]):
        self.raw_dir = raw_dir
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"the extract in {raw_dir} cannot be read as it is:\n{listed}")
