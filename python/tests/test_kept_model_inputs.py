"""The plans of kept models fingerprint every var those models read, checked as text, without dbt:
a var read by a model that reads int_calibration_inputs (or base_crm__lead_inputs), or by a macro
it calls (directly or through other macros), must be listed in the plan's own list of vars (or, for
the calibration, in int_scoring_configuration's scoring_vars). Otherwise a changed var would leave
the kept models as an earlier run computed them. (Seeds: assert_calibration_inputs_cover_seeds and
assert_lead_inputs_cover_seeds.)"""

from __future__ import annotations

import re

import pytest
from test_model_folders import CALL, _jinja, _model_paths, _reads, macro_reads

VAR = re.compile(r"\bvar\(\s*['\"](\w+)['\"]")

# plan, its list of vars, other plans' lists it may rely on, a model it must plan
PLANS = [
    (
        "int_calibration_inputs",
        "calibration_vars",
        [("int_scoring_configuration", "scoring_vars")],
        "int_backtest_scores_calibrated",
    ),
    ("base_crm__lead_inputs", "lead_vars", [], "int_lead_accounts"),
]


def _listed(model: str, name: str) -> set[str]:
    """The names in the Jinja list `name` that `model` sets (`{%- set name = [...] -%}`)."""
    text = _model_paths()[model].read_text()
    found = re.search(r"set " + name + r" = \[(.*?)\]", text, re.S)
    assert found, f"{model} sets no list {name}"
    return set(re.findall(r"'(\w+)'", found.group(1)))


def test_a_var_is_found_through_the_macros_a_model_calls():
    macro_vars = macro_reads(VAR)
    assert macro_vars["score_probability_bins"] == {"calibration_bins", "calibration_prior_strength"}
    # clean_text reads null_markers itself; clean_id reaches it through clean_text
    assert "null_markers" in macro_vars["clean_id"]


@pytest.mark.parametrize(("plan", "var_list", "also_listed", "planned"), PLANS, ids=[p[0] for p in PLANS])
def test_the_plan_fingerprints_every_var_its_kept_models_read(plan, var_list, also_listed, planned):
    kept_models = sorted(name for name, read in _reads().items() if plan in read)
    assert planned in kept_models
    macro_vars = macro_reads(VAR)
    read = {}
    for model in kept_models:
        sql = _jinja(_model_paths()[model].read_text())
        through_macros = (macro_vars.get(called, set()) for called in CALL.findall(sql))
        for var in set(VAR.findall(sql)).union(*through_macros):
            read.setdefault(var, []).append(model)
    listed = _listed(plan, var_list).union(*(_listed(model, name) for model, name in also_listed))
    missing = {var: models for var, models in read.items() if var not in listed}
    assert not missing, (
        f"vars read by models that {plan} plans but not fingerprinted: {missing}; list them in "
        f"{var_list} of {_model_paths()[plan]}"
    )
    # and the list holds no var nothing reads any more
    assert _listed(plan, var_list) <= read.keys()
