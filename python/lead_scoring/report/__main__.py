"""``python -m lead_scoring.report``: see lead_scoring.report.cli."""

import sys

from lead_scoring.report.cli import main

sys.exit(main())
