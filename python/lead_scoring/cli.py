"""The ``lead-scoring`` command: one subcommand per job, each the job's own command line.

    lead-scoring <job> [the job's options]
    lead-scoring <job> --help

Each job parses its own options (its package's ``cli.main(argv)``, also run by ``python -m
lead_scoring.<job>``): this module only names the jobs and hands the rest of the command line, as
it was typed, to the one asked for, so every option is defined once, beside its job. A job's module
is imported only when it runs, so ``lead-scoring --help`` does not load dbt, matplotlib or pandas.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True)
class Job:
    module: str  # the module whose main(argv) runs the job
    summary: str  # the line `lead-scoring --help` shows


JOBS: dict[str, Job] = {
    "generate": Job(
        "lead_scoring.generate.cli",
        "write deterministic sample raw data (--shape files, salesforce, hubspot, segment, or export: "
        "a lead export with one activity snapshot per lead)",
    ),
    "report": Job("lead_scoring.report.cli", "write the calibration report of a built warehouse"),
    "weights": Job(
        "lead_scoring.weights.cli",
        "fit the weights on the backtests, check them on held-out cutoffs, write them into the seeds",
    ),
    "export": Job(
        "lead_scoring.export.cli",
        "the CRM change set as HubSpot and Salesforce import files (or --push it through their APIs)",
    ),
    "backfill": Job("lead_scoring.backfill.cli", "extend the score history to the last N days"),
    "bench": Job("lead_scoring.bench.cli", "benchmark the project at scale and print the measured table"),
    "load": Job(
        "lead_scoring.load.cli",
        "copy the raw files (or a DuckDB file's connector schemas) into PostgreSQL or Spark",
    ),
    "summary": Job("lead_scoring.summary.cli", "print the short summary of a built warehouse"),
    "seeds": Job(
        "lead_scoring.seeds.cli", "check seed files from an earlier version (check), or upgrade them"
    ),
}


def _version() -> str:
    try:
        return metadata.version("lead-scoring")
    except metadata.PackageNotFoundError:  # run from the source tree without installing it
        return "not installed"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lead-scoring",
        description="The Python jobs of the lead-scoring dbt project; make targets call them.",
        epilog="`lead-scoring <job> --help` lists the job's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    jobs = parser.add_subparsers(title="jobs", dest="job", metavar="<job>", required=True)
    for name, job in JOBS.items():
        # the job's own parser reads its options, --help included
        jobs.add_parser(name, help=job.summary, add_help=False)
    return parser


def run_job(name: str, argv: Sequence[str]) -> int:
    main = importlib.import_module(JOBS[name].module).main
    return main(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in JOBS:
        # passed on verbatim, not through argparse: "--", option-like values and the job's own
        # --help reach the job as typed
        return run_job(argv[0], argv[1:])
    # no job, an unknown one, --help or --version: argparse prints it and exits (2 on an error)
    build_parser().parse_args(argv)
    return 2  # not reached: without a known job the parse always exits


if __name__ == "__main__":
    sys.exit(main())
