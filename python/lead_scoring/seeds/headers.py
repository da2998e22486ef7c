"""Seed files from an earlier version: check their headers before a build, and upgrade them.

Usage::

    lead-scoring seeds check [--seeds seeds] [--project dbt_project.yml]
    lead-scoring seeds upgrade [--seeds seeds] [--project dbt_project.yml]

The columns the project expects of each seed are its ``+column_types`` in dbt_project.yml (every
seed is typed there, column by column). A column added after a seed first shipped documents the
value an older file should get in its seed YAML (``seeds/<folder>/_<folder>__seeds.yml``), as
``config: {meta: {default_when_missing: "..."}}`` ("" = blank). ``check`` names every file whose
header lacks a column, the column and that default (exit 1; ``make build`` runs it first, so an old
file stops the build with this message instead of a binder error deep in the models). ``upgrade``
adds the missing columns that have a default, in the project's column order, and leaves every row's
own values and the row order as they are; a missing column without a default must be added by hand.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROJECT_NAME = "lead_scoring"
DEFAULT_KEY = "default_when_missing"
EXIT_MISSING = 1


@dataclass(frozen=True)
class SeedSpec:
    """What the project expects of one seed file."""

    name: str
    path: Path  # the CSV file
    columns: tuple[str, ...]  # in the project's order
    defaults: dict[str, str]  # column -> value for files without it (absent: no default)


@dataclass(frozen=True)
class MissingColumn:
    path: Path
    column: str
    default: str | None  # None: no default, add by hand

    def describe(self) -> str:
        if self.default is None:
            fix = "no default: add the column and its values by hand"
        else:
            shown = "blank" if self.default == "" else repr(self.default)
            fix = f"default {shown}"
        return f"{self.path}: missing column {self.column} ({fix})"


def _typed_seeds(config: dict[str, Any], folder: Path) -> Iterator[tuple[str, Path, tuple[str, ...]]]:
    """(seed name, folder, columns) of every seed with ``+column_types`` under ``config``."""
    for key, value in config.items():
        if not isinstance(value, dict) or key.startswith("+"):
            continue
        if "+column_types" in value:
            yield key, folder, tuple(value["+column_types"])
        else:
            yield from _typed_seeds(value, folder / key)


def _defaults(seeds_dir: Path) -> dict[str, dict[str, str]]:
    """seed name -> column -> default_when_missing, from every seed YAML under ``seeds_dir``."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(seeds_dir.rglob("_*__seeds.yml")):
        for seed in (yaml.safe_load(path.read_text()) or {}).get("seeds") or []:
            for column in seed.get("columns") or []:
                meta = (column.get("config") or {}).get("meta") or {}
                if DEFAULT_KEY in meta:
                    value = meta[DEFAULT_KEY]
                    found.setdefault(seed["name"], {})[column["name"]] = "" if value is None else str(value)
    return found


def expected_seeds(seeds_dir: Path, project_file: Path) -> list[SeedSpec]:
    """Every typed seed of the project, with its columns and the defaults of added columns."""
    project = yaml.safe_load(project_file.read_text()) or {}
    config = (project.get("seeds") or {}).get(PROJECT_NAME) or {}
    defaults = _defaults(seeds_dir)
    return [
        SeedSpec(name, seeds_dir / folder / f"{name}.csv", columns, defaults.get(name, {}))
        for name, folder, columns in _typed_seeds(config, Path())
    ]


def _header(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        return next(csv.reader(handle), [])


def check(seeds_dir: Path, project_file: Path) -> tuple[list[MissingColumn], list[Path]]:
    """The columns missing from the seed files, and the seed files missing altogether."""
    missing: list[MissingColumn] = []
    absent: list[Path] = []
    for spec in expected_seeds(seeds_dir, project_file):
        if not spec.path.is_file():
            absent.append(spec.path)
            continue
        header = set(_header(spec.path))
        missing.extend(
            MissingColumn(spec.path, column, spec.defaults.get(column))
            for column in spec.columns
            if column not in header
        )
    return missing, absent


def upgrade_file(spec: SeedSpec) -> list[str]:
    """Add the missing columns of ``spec`` that have a default; return the columns added."""
    with spec.path.open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        rows = list(reader)
    added = [column for column in spec.columns if column not in header and column in spec.defaults]
    if not added:
        return []
    # the project's order, then any column the project does not know, where it was
    order = [column for column in spec.columns if column in header or column in added]
    order += [column for column in header if column not in spec.columns]
    position = {column: index for index, column in enumerate(header)}
    upgraded = [
        [row[position[column]] if column in position else spec.defaults[column] for column in order]
        for row in rows
    ]
    with spec.path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(order)
        writer.writerows(upgraded)
    return added


def upgrade(seeds_dir: Path, project_file: Path) -> dict[Path, list[str]]:
    """Upgrade every seed file that lacks columns with a default; return the columns added per file."""
    added: dict[Path, list[str]] = {}
    for spec in expected_seeds(seeds_dir, project_file):
        if spec.path.is_file():
            columns = upgrade_file(spec)
            if columns:
                added[spec.path] = columns
    return added


def report(missing: list[MissingColumn], absent: list[Path]) -> list[str]:
    """What ``check`` prints: one line per problem, then what to run."""
    lines = [item.describe() for item in missing]
    lines += [
        f"{path}: missing seed file (restore it from the project: git checkout -- {path})" for path in absent
    ]
    if any(item.default is not None for item in missing):
        lines.append(
            "the seed files predate this version of the project: `lead-scoring seeds upgrade` "
            "(make seeds-upgrade) adds the columns with their defaults and leaves your rows alone"
        )
    return lines
