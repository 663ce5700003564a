"""`python -m course ...`: the `course` command where its script is not on PATH (Windows, conda)."""

import sys

from .cli import main

sys.exit(main())
