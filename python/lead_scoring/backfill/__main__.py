"""``python -m lead_scoring.backfill``: see lead_scoring.backfill.cli."""

import sys

from lead_scoring.backfill.cli import main

sys.exit(main())
