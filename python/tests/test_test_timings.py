"""The tests' own timing aids: the dbt invocation log and the longest-files-first order."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import SimpleNamespace

import conftest
import dbt_runner
import pytest


def test_an_invocation_is_logged_with_its_test_seconds_and_full_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "dbt.jsonl"
    monkeypatch.setenv(dbt_runner.INVOCATION_LOG_ENV, str(log))
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "python/tests/test_x.py::test_y (call)")
    reparsed = "Unable to do partial parsing because saved manifest not found.\n"
    full = subprocess.CompletedProcess(["dbt"], 0, reparsed)
    partial = subprocess.CompletedProcess(["dbt"], 1, "Found 96 models\n")
    dbt_runner.log_invocation(["build"], tmp_path, 12.345, full)
    dbt_runner.log_invocation(["test", "--select", "x"], tmp_path, 3.0, partial)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert records == [
        {
            "test": "python/tests/test_x.py::test_y (call)",
            "args": ["build"],
            "project": str(tmp_path),
            "seconds": 12.35,
            "returncode": 0,
            "full_parse": True,
        },
        {
            "test": "python/tests/test_x.py::test_y (call)",
            "args": ["test", "--select", "x"],
            "project": str(tmp_path),
            "seconds": 3.0,
            "returncode": 1,
            "full_parse": False,
        },
    ]


def test_nothing_is_logged_without_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(dbt_runner.INVOCATION_LOG_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    dbt_runner.log_invocation(["build"], tmp_path, 1.0, subprocess.CompletedProcess(["dbt"], 0, ""))
    assert list(tmp_path.iterdir()) == []


def test_the_longest_files_come_first_and_a_file_keeps_its_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "FILE_SECONDS", {"test_long.py": 300, "test_mid.py": 50})
    names = ["test_quick.py::a", "test_mid.py::a", "test_long.py::a", "test_quick.py::b", "test_long.py::b"]
    items = [SimpleNamespace(path=Path(name.split("::")[0]), name=name) for name in names]
    conftest.pytest_collection_modifyitems(items)
    assert [item.name for item in items] == [
        "test_long.py::a",
        "test_long.py::b",
        "test_mid.py::a",
        "test_quick.py::a",
        "test_quick.py::b",
    ]
