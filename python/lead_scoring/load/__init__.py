"""Loading data into a warehouse that cannot read it in place (``lead-scoring load``).

- ``raw_files``: the raw files (leads, events, opportunities) into PostgreSQL, read strictly
- ``strict_csv``: the strict CSV reader, with the very SQL of ``macros/raw/strict_csv.sql``
- ``schemas``: whole schemas of a DuckDB file (connector tables) into PostgreSQL, or as Parquet for Spark
- ``cli``: the command line
"""

from lead_scoring.load.cli import main
from lead_scoring.load.raw_files import (
    RAW_SOURCES,
    LoadError,
    RawFile,
    find_raw_file,
    load_postgres,
    pg_connect,
    write_copy_csv,
)

__all__ = [
    "RAW_SOURCES",
    "LoadError",
    "RawFile",
    "find_raw_file",
    "load_postgres",
    "main",
    "pg_connect",
    "write_copy_csv",
]
