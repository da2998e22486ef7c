"""Macros a newcomer can look up (issue 24), checked as text, without dbt.

- every folder under macros/ has exactly one `_<folder>__macros.yml`;
- a public macro `x` lives in `x.sql` with all its warehouse variants (`default__x`, `duckdb__x`,
  `postgres__x`, `spark__x`); another macro in that file is a private helper: its YAML description
  starts "Private to `x`" and no other file calls it;
- every public macro has a YAML entry with a description and every argument of its signature;
- no macro reads a model or source itself (`ref(` / `source(`): the models pass the relations in.
  The one exception is the project's override of dbt's own ref() and source() (ref.sql, source.sql).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
MACROS = REPO / "macros"
VARIANT_PREFIXES = ("default__", "duckdb__", "postgres__", "spark__")
# The strict CSV reader is one plain-Jinja module that python/lead_scoring/load/strict_csv.py renders
# without dbt: its two entry points and their strict_csv_* helpers share the one file.
MODULES = {"raw/strict_csv.sql": {"strict_csv_records_sql", "strict_csv_rows_sql"}}
# The override of dbt's own ref() and source(): the one place under macros/ that calls them.
BUILTIN_OVERRIDES = {"warehouses/ref.sql", "warehouses/source.sql"}
# Where a macro can be called from.
CALLER_FOLDERS = ("macros", "models", "tests", "analyses", "snapshots")

MACRO_START = re.compile(r"\{%-?\s*macro\s+(\w+)\s*\(([^)]*)\)", re.S)
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)


@dataclass(frozen=True)
class Macro:
    name: str
    path: Path
    arguments: tuple[str, ...]

    @property
    def file(self) -> str:
        return self.path.relative_to(MACROS).as_posix()

    @property
    def base_name(self) -> str:
        for prefix in VARIANT_PREFIXES:
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


def _arguments(signature: str) -> tuple[str, ...]:
    parts = re.split(r",(?![^\[]*\])", signature)
    return tuple(part.split("=")[0].strip() for part in parts if part.strip())


def _macros() -> list[Macro]:
    return [
        Macro(match.group(1), path, _arguments(match.group(2)))
        for path in sorted(MACROS.rglob("*.sql"))
        for match in MACRO_START.finditer(path.read_text())
    ]


@cache
def _docs(folder: Path) -> dict[str, dict]:
    document = yaml.safe_load((folder / f"_{folder.name}__macros.yml").read_text()) or {}
    return {entry["name"]: entry for entry in document.get("macros", [])}


def _code(path: Path) -> str:
    return JINJA_COMMENT.sub("", path.read_text())


@cache
def _calls() -> dict[Path, set[str]]:
    """The names each .sql file a macro can be called from calls, as name( outside comments."""
    call = re.compile(r"(?<![\w.])(\w+)\s*\(")
    return {
        path: set(call.findall(MACRO_START.sub("", _code(path))))
        for folder in CALLER_FOLDERS
        for path in (REPO / folder).rglob("*.sql")
    }


MACROS_FOUND = _macros()
NAMES = {macro.name for macro in MACROS_FOUND}


def _is_public(macro: Macro) -> bool:
    """A macro others may call: named after its file, a module's entry point, or a variant of one of
    dbt's own macros (spark__load_csv_rows, default__test_not_null), documented under its own name."""
    if macro.name in MODULES.get(macro.file, set()):
        return True
    if macro.base_name != macro.name:
        return macro.base_name not in NAMES
    return macro.name == macro.path.stem


def test_every_macro_folder_has_its_yaml():
    assert not list(MACROS.glob("*.sql")), "a macro file belongs in a folder under macros/"
    folders = {path.parent for path in MACROS.rglob("*.sql")}
    for folder in sorted(folders):
        yamls = sorted(path.name for path in folder.glob("*.yml"))
        assert yamls == [f"_{folder.name}__macros.yml"], f"{folder.relative_to(REPO)}: {yamls}"


def test_macro_names_are_unique():
    names = [macro.name for macro in MACROS_FOUND]
    assert len(names) == len(set(names)), sorted({name for name in names if names.count(name) > 1})


def test_variants_live_with_their_macro():
    misplaced = [
        f"{macro.name} belongs in {macro.base_name}.sql, not {macro.file}"
        for macro in MACROS_FOUND
        if macro.base_name != macro.name and macro.path.stem != macro.base_name
    ]
    assert not misplaced, misplaced


def test_other_macros_are_private_helpers():
    problems = []
    for macro in MACROS_FOUND:
        if _is_public(macro) or macro.base_name != macro.name:
            continue
        owner = macro.path.stem
        description = _docs(macro.path.parent).get(macro.name, {}).get("description") or ""
        if not description.startswith(f"Private to `{owner}`"):
            problems.append(
                f"{macro.name} ({macro.file}) is not named after its file: give it its own file, or "
                f'document it as a helper of {owner} ("Private to `{owner}` ...")'
            )
        callers = [
            path.relative_to(REPO).as_posix()
            for path, names in _calls().items()
            if path != macro.path and macro.name in names
        ]
        if callers:
            problems.append(f"the private helper {macro.name} ({macro.file}) is called from {callers}")
    assert not problems, problems


def test_public_macros_are_documented():
    problems = []
    for macro in MACROS_FOUND:
        if not _is_public(macro):
            continue
        entry = _docs(macro.path.parent).get(macro.name) or {}
        if not (entry.get("description") or "").strip():
            problems.append(
                f"{macro.name} ({macro.file}): no description in _{macro.path.parent.name}__macros.yml"
            )
        documented = entry.get("arguments") or []
        if tuple(argument["name"] for argument in documented) != macro.arguments:
            problems.append(f"{macro.name}: the YAML's arguments differ from the signature {macro.arguments}")
        problems += [
            f"{macro.name}({argument['name']}): no description or type"
            for argument in documented
            if not (argument.get("description") or "").strip() or not (argument.get("type") or "").strip()
        ]
    assert not problems, problems


def test_yaml_entries_name_macros_of_their_folder():
    for folder in sorted({macro.path.parent for macro in MACROS_FOUND}):
        defined = {macro.name for macro in MACROS_FOUND if macro.path.parent == folder}
        stale = sorted(set(_docs(folder)) - defined)
        assert not stale, f"_{folder.name}__macros.yml documents macros not in {folder.name}/: {stale}"


def test_no_ref_or_source_in_macros():
    reads = re.compile(r"(?<![\w.])(ref|source)\s*\(")
    builtin_reads = re.compile(r"\bbuiltins\.(ref|source)\s*\(")
    for path in sorted(MACROS.rglob("*.sql")):
        code = MACRO_START.sub("", _code(path))
        file = path.relative_to(MACROS).as_posix()
        found = [match.group(0) for match in reads.finditer(code)]
        assert not found, f"{file} calls {found}: take the relation as an argument, the model passes ref()"
        if file not in BUILTIN_OVERRIDES:
            assert not builtin_reads.search(code), f"{file} calls dbt's builtins.ref/source"
