"""Weights learned from backtest outcomes: a joint fit in seed units, checked on held-out cutoffs.

- ``settings``: the fit's settings (dbt vars in dbt_project.yml, overridable on the command line)
- ``seeds``: read and rewrite the scoring seed CSVs (fit rules, signals, negative rules, bands)
- ``data``: the backtest rows (lead x cutoff) and their features, read from the built warehouse
- ``metrics``: AUC, Brier score, log loss, top-decile lift, conversion per tier
- ``fit``: the joint regularised logistic fit and its translation into seed values
- ``holdout``: current vs suggested vs unconstrained models on the held-out cutoffs (or, with one
  usable cutoff, on its latest-created leads)
- ``calibration``: the score-to-probability bins the fit validates on the held-out rows and stores
- ``cli``: the command line (``lead-scoring weights``, ``make weights``): fit, check, write the seeds
"""
