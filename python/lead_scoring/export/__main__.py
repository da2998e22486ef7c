import sys

from lead_scoring.export.cli import main

sys.exit(main())
