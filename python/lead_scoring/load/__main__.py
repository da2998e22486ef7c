"""``python -m lead_scoring.load``: see lead_scoring.load.cli."""

import sys

from lead_scoring.load.cli import main

sys.exit(main())
