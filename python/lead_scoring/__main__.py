"""``python -m lead_scoring``: the ``lead-scoring`` command (lead_scoring.cli)."""

import sys

from lead_scoring.cli import main

sys.exit(main())
