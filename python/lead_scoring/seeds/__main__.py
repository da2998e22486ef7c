"""``python -m lead_scoring.seeds``: see lead_scoring.seeds.cli."""

import sys

from lead_scoring.seeds.cli import main

sys.exit(main())
