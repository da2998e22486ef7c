"""lead_scoring.common.dbt_steps: the arguments of each dbt command run in one process."""

from __future__ import annotations

import pytest
from lead_scoring.common import dbt_steps


def test_each_step_gets_the_common_arguments_after_its_own() -> None:
    common, steps = dbt_steps.split_steps(
        ["--target", "spark", "--step", "run-operation", "op", "--args", "{path: x}", "--step", "build"]
    )
    assert common == ["--target", "spark"]
    assert steps == [["run-operation", "op", "--args", "{path: x}"], ["build"]]


@pytest.mark.parametrize("argv", [[], ["--target", "spark"], ["--step"], ["--step", "build", "--step"]])
def test_a_missing_command_is_refused(argv: list[str], capsys) -> None:
    with pytest.raises(ValueError, match="give each dbt command after --step"):
        dbt_steps.split_steps(argv)
    assert dbt_steps.main(argv) == 2
    assert "dbt_steps: error" in capsys.readouterr().err
