"""``python -m lead_scoring.summary``: see lead_scoring.summary.cli."""

import sys

from lead_scoring.summary.cli import main

sys.exit(main())
