"""The ``lead-scoring`` command (lead_scoring.cli): every job listed, each job's own --help, an unknown
job refused, and the arguments handed to the job as typed (the same output as ``python -m``)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from lead_scoring import cli
from lead_scoring.generate import snapshot_sample

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "python" / "lead_scoring"
# the jobs the issue names, and the seed check beside them
EXPECTED_JOBS = ("generate", "report", "weights", "export", "backfill", "bench", "load", "summary", "seeds")


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exited:
        code = exited.code if isinstance(exited.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_lists_every_job(capsys):
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0
    assert set(cli.JOBS) == set(EXPECTED_JOBS)
    for job in EXPECTED_JOBS:
        assert f"    {job} " in out, f"{job} missing from lead-scoring --help"


@pytest.mark.parametrize("job", EXPECTED_JOBS)
def test_each_job_has_its_own_help(capsys, job):
    code, out, _ = run_cli(capsys, job, "--help")
    assert code == 0
    assert out.startswith("usage: ")
    assert "--" in out  # the job's own options, not the command's list of jobs
    assert "<job>" not in out


def test_an_unknown_job_exits_2_naming_the_jobs(capsys):
    code, _, err = run_cli(capsys, "nope")
    assert code == 2
    assert "invalid choice: 'nope'" in err
    assert "seeds" in err


def test_no_job_exits_2(capsys):
    code, _, err = run_cli(capsys)
    assert code == 2
    assert "required: <job>" in err


def test_a_jobs_own_argument_errors_are_its_own(capsys):
    code, _, err = run_cli(capsys, "generate", "--leads", "10", "--days", "5", "--out", "x", "--snapshot")
    assert code == 2
    assert err.strip().endswith("--snapshot is for --shape export")


def test_seeds_check_runs_as_python_dash_m_does():
    """The command hands the arguments over as typed: the same output and exit code as the module."""
    args = ["seeds", "check", "--seeds", "seeds", "--project", "dbt_project.yml"]
    through_cli = subprocess.run(
        [sys.executable, "-m", "lead_scoring", *args], cwd=REPO, capture_output=True, text=True
    )
    module = subprocess.run(
        [sys.executable, "-m", "lead_scoring.seeds", *args[1:]], cwd=REPO, capture_output=True, text=True
    )
    assert through_cli.returncode == module.returncode == 0, through_cli.stderr + module.stderr
    assert through_cli.stdout == module.stdout
    assert "every header has the columns the project expects" in through_cli.stdout


def test_the_installed_command_runs():
    """make install / install-dev installs the package editable, with its console script."""
    script = Path(sys.executable).with_name("lead-scoring")
    assert script.exists(), "lead-scoring is not installed in this venv: run make install-dev"
    result = subprocess.run([str(script), "--help"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert all(job in result.stdout for job in EXPECTED_JOBS)


def test_generate_shape_export_writes_the_snapshot_sample(capsys, tmp_path):
    """`generate --shape export` is the one-snapshot generator, its defaults included (seed 7)."""
    end = dt.date(2026, 1, 31)
    code, out, _ = run_cli(
        capsys, "generate", "--shape", "export", "--snapshot", "--leads", "300", "--days", "60",
        "--end-date", end.isoformat(), "--out", str(tmp_path / "cli"),
    )  # fmt: skip
    assert code == 0
    counts = snapshot_sample.write_snapshot_sample(tmp_path / "direct", 300, 60, end, snapshot=True)
    assert out.splitlines()[0] == f"{'leads':<16} {counts['leads']:>10,}"
    for name in ("leads.csv", "events.csv", "opportunities.csv"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "direct" / name).read_bytes()


def test_generate_shape_export_refuses_the_files_options(capsys, tmp_path):
    code, _, err = run_cli(
        capsys, "generate", "--shape", "export", "--format", "parquet", "--out", str(tmp_path)
    )
    assert code == 2
    assert "--shape export does not take --format" in err


def test_no_loose_modules_beside_the_job_packages():
    """Every job is a package; only the command itself (and the package's own files) sit at the top."""
    loose = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "cli.py"]
