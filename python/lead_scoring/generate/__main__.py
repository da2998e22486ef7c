import sys

from lead_scoring.generate.cli import main

sys.exit(main())
