"""``python -m lead_scoring.weights``: see lead_scoring.weights.cli."""

import sys

from lead_scoring.weights.cli import main

sys.exit(main())
