import sys

from lead_scoring.bench.cli import main

sys.exit(main())
