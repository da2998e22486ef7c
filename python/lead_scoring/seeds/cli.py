"""Command line of ``lead-scoring seeds check|upgrade`` (``lead-scoring seeds``): see
lead_scoring.seeds.headers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lead_scoring.seeds import headers
from lead_scoring.seeds.headers import EXIT_MISSING, check, report, upgrade


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lead-scoring seeds", description=headers.__doc__.splitlines()[0])
    parser.add_argument("action", choices=("check", "upgrade"))
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="the seeds folder")
    parser.add_argument(
        "--project", type=Path, default=Path("dbt_project.yml"), help="for the seed column types"
    )
    args = parser.parse_args(argv)
    if args.action == "upgrade":
        for path, columns in upgrade(args.seeds, args.project).items():
            print(f"{path}: added {', '.join(columns)}")
    missing, absent = check(args.seeds, args.project)
    if not missing and not absent:
        if args.action == "check":
            print(f"seed files: every header has the columns the project expects ({args.seeds})")
        return 0
    for line in report(missing, absent):
        print(line, file=sys.stderr)
    return EXIT_MISSING


if __name__ == "__main__":
    sys.exit(main())
