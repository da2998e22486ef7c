"""Command line of ``lead-scoring load`` (``lead-scoring load``): see the package docstring."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lead_scoring.load import schemas
from lead_scoring.load.raw_files import RAW_SOURCES, LoadError, load_postgres, pg_connect


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="lead-scoring load",
        description="Copy the raw files into a warehouse that cannot read them in place.",
    )
    parser.add_argument(
        "--target",
        default=os.environ.get("LEAD_SCORING_TARGET", "postgres"),
        help="dbt target: postgres loads; duckdb and spark read the files in place (nothing to do)",
    )
    parser.add_argument("--raw-data-path", default="data/raw", type=Path, help="folder of the raw files")
    parser.add_argument("--schema", default="raw", help="schema of the raw tables (dbt var raw_schema)")
    parser.add_argument(
        "--tables",
        nargs="+",
        choices=sorted(RAW_SOURCES),
        default=list(RAW_SOURCES),
        help="raw sources to load (default: all)",
    )
    parser.add_argument(
        "--from-duckdb",
        type=Path,
        metavar="FILE",
        help="instead of the raw files: copy whole schemas of this DuckDB file (connector tables, typed) "
        "into postgres, or as Parquet for spark (lead_scoring.load.schemas)",
    )
    parser.add_argument(
        "--schemas",
        nargs="+",
        help="with --from-duckdb: the schemas to copy (default: those of salesforce, hubspot, segment in it)",
    )
    parser.add_argument("--parquet-dir", type=Path, help="with --from-duckdb --target spark: output folder")
    args = parser.parse_args(argv)

    try:
        if args.from_duckdb is not None:
            try:
                schemas.run(args.target, args.from_duckdb, args.schemas, args.parquet_dir, pg_connect)
            except schemas.SchemaCopyError as exc:
                raise LoadError(str(exc)) from exc
        elif args.target == "postgres":
            load_postgres(args.raw_data_path, args.schema, args.tables)
        elif args.target in ("duckdb", "spark"):
            print(
                f"target {args.target} reads the raw files in place (dbt registers them at run start): "
                "nothing to load",
                file=sys.stderr,
            )
        else:
            parser.error(f"unknown target {args.target!r} (postgres, duckdb or spark)")
    except LoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
