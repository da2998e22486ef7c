"""int_calibration_inputs fingerprints every var the calibration models read, checked as text,
without dbt: a var read by a model that reads int_calibration_inputs, or by a macro it calls
(directly or through other macros), must be listed in the model's calibration_vars or in
int_scoring_configuration's scoring_vars. Otherwise a changed var would leave the calibration
models as an earlier run computed them. (Seeds: assert_calibration_inputs_cover_seeds.)"""

from __future__ import annotations

import re

from test_model_folders import CALL, _jinja, _model_paths, _reads, macro_reads

VAR = re.compile(r"\bvar\(\s*['\"](\w+)['\"]")


def _listed(model: str, name: str) -> set[str]:
    """The names in the Jinja list `name` that `model` sets (`{%- set name = [...] -%}`)."""
    text = _model_paths()[model].read_text()
    found = re.search(r"set " + name + r" = \[(.*?)\]", text, re.S)
    assert found, f"{model} sets no list {name}"
    return set(re.findall(r"'(\w+)'", found.group(1)))


def test_the_calibration_inputs_fingerprint_every_var_the_calibration_models_read():
    calibration_models = sorted(name for name, read in _reads().items() if "int_calibration_inputs" in read)
    assert "int_backtest_scores_calibrated" in calibration_models
    macro_vars = macro_reads(VAR)
    assert macro_vars["score_probability_bins"] == {"calibration_bins", "calibration_prior_strength"}
    read = {}
    for model in calibration_models:
        sql = _jinja(_model_paths()[model].read_text())
        through_macros = (macro_vars.get(called, set()) for called in CALL.findall(sql))
        for var in set(VAR.findall(sql)).union(*through_macros):
            read.setdefault(var, []).append(model)
    listed = _listed("int_calibration_inputs", "calibration_vars") | _listed(
        "int_scoring_configuration", "scoring_vars"
    )
    missing = {var: models for var, models in read.items() if var not in listed}
    assert not missing, (
        f"vars read by calibration models but not fingerprinted: {missing}; list them in calibration_vars "
        "of models/intermediate/run_planning/int_calibration_inputs.sql"
    )
    # and the list holds no var nothing reads any more
    assert _listed("int_calibration_inputs", "calibration_vars") <= read.keys()
