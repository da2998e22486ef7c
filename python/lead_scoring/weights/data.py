"""The backtest rows the fit learns from: one per lead and cutoff, with one feature per rule.

Read from a built warehouse: ``int_backtest_scores`` (the current score, tier and outcome),
``int_leads_enriched`` (when each lead was created: a one-cutoff fit holds out the latest-created) and
``int_backtest_score_ledger`` (which rules applied, and each signal's decayed units before points and
cap; signals at 0 points keep their rows, so a switched-off signal can come back). Without a single
backtest row, ``int_backtest_cutoff_candidates`` says why, and what to set, in one line.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from lead_scoring.weights.seeds import Rule

ROWS_SQL = """
    select
        row_number() over (order by scores.cutoff_date, scores.lead_id) - 1 as row_index,
        scores.cutoff_date,
        scores.as_of_date,
        cutoffs.outcome_window_end_date,
        scores.lead_id,
        cast(leads.created_at as timestamp) as created_at,
        scores.is_converted,
        cast(scores.total_score as double) as total_score,
        scores.tier
    from intermediate.int_backtest_scores as scores
    inner join intermediate.int_backtest_cutoffs as cutoffs
        on scores.cutoff_date = cutoffs.cutoff_date
    inner join intermediate.int_leads_enriched as leads
        on scores.lead_id = leads.lead_id
    where scores.scoring_model = $model
"""

CANDIDATES_SQL = """
    select
        cast(min(first_data_date) as varchar) as first_data_date,
        cast(max(outcomes_known_until) as varchar) as outcomes_known_until,
        max(outcome_window_days) as outcome_window_days,
        max(longest_usable_outcome_window_days) as longest_usable_outcome_window_days,
        count(*) filter (where unusable_reason is null) as usable_cutoffs
    from intermediate.int_backtest_cutoff_candidates
"""

LEDGER_SQL = f"""
    with scored as ({ROWS_SQL})
    select
        scored.row_index,
        ledger.component || ':' || ledger.rule_id as rule_key,
        coalesce(cast(ledger.decayed_units as double), 0) as decayed_units
    from intermediate.int_backtest_score_ledger as ledger
    inner join scored
        on ledger.as_of_date = scored.as_of_date
        and ledger.lead_id = scored.lead_id
    where ledger.scoring_model = $model
"""


class DataError(Exception):
    """The warehouse lacks what the fit needs; the message says what to run."""


@dataclass(frozen=True)
class BacktestRows:
    """Backtest rows in cutoff order with their outcome, current score and features per rule."""

    cutoff_date: np.ndarray  # datetime64[D]
    outcome_window_end_date: np.ndarray  # datetime64[D]
    lead_id: np.ndarray  # str
    created_at: np.ndarray  # datetime64[s]: when the lead was created
    converted: np.ndarray  # bool
    total_score: np.ndarray  # the current weights' score, as built
    tier: np.ndarray  # the current tier, as built
    rules: tuple[Rule, ...]
    presence: np.ndarray  # (rows, rules): 1.0 when the rule applied / the signal has events
    units: np.ndarray  # (rows, rules): a signal's decayed units before points and cap, else 0

    def __len__(self) -> int:
        return len(self.converted)

    def column(self, key: tuple[str, str]) -> int:
        for index, rule in enumerate(self.rules):
            if rule.key == key:
                return index
        raise KeyError(key)

    def subset(self, mask: np.ndarray) -> BacktestRows:
        return BacktestRows(
            self.cutoff_date[mask],
            self.outcome_window_end_date[mask],
            self.lead_id[mask],
            self.created_at[mask],
            self.converted[mask],
            self.total_score[mask],
            self.tier[mask],
            self.rules,
            self.presence[mask],
            self.units[mask],
        )


def feature_arrays(
    rules: tuple[Rule, ...], row_count: int, row_index: np.ndarray, rule_keys: np.ndarray, decayed: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Scatter ledger rows (row index, ``component:rule_id``, decayed units) into presence and
    units matrices; return them and the rule keys of ``rules`` that have no ledger row at all.

    A penalty row not built yet (``<signal>_penalty``, added by the last fit) takes its presence
    from its signal: the same events, without a window.
    """
    columns = {f"{rule.component}:{rule.rule_id}": index for index, rule in enumerate(rules)}
    presence = np.zeros((row_count, len(rules)))
    units = np.zeros((row_count, len(rules)))
    unique_keys, inverse = np.unique(rule_keys.astype(str), return_inverse=True)
    column_of_key = np.array([columns.get(key, -1) for key in unique_keys], dtype=int)
    column = column_of_key[inverse] if len(unique_keys) else np.zeros(0, dtype=int)
    known = column >= 0
    presence[row_index[known], column[known]] = 1.0
    units[row_index[known], column[known]] = decayed[known]
    seen = set(np.unique(column[known]).tolist())
    missing = [key for key, index in columns.items() if index not in seen]
    for index, rule in enumerate(rules):
        if rule.penalty_of is not None and index not in seen:
            signal_column = columns.get(f"behavioral:{rule.penalty_of}")
            if signal_column is not None:
                presence[:, index] = presence[:, signal_column]
    return presence, units, missing


def no_cutoff_message(connection: duckdb.DuckDBPyConnection) -> str:
    """Why the warehouse has no backtest row, in one line with the exact var to set."""
    try:
        first, known, window, longest, usable = connection.execute(CANDIDATES_SQL).fetchone() or (None,) * 5
    except (duckdb.CatalogException, duckdb.BinderException):
        return (
            "no backtest rows: no cutoff has a complete outcome window (see int_backtest_cutoff_candidates)"
        )
    if usable:
        return "the backtest cutoffs have no rows: no lead was left to score at them"
    if longest is None:
        return (
            f"no usable backtest cutoff: no month start between the data's first day ({first}) and its last "
            f"({known}) has backtest_min_history_days of data before it: lower that var "
            "(--vars '{backtest_min_history_days: N}') or load a longer history, then make build"
        )
    return (
        f"no usable backtest cutoff: outcome_window_days {window} ends after the data's last day ({known}); "
        f"the longest window that leaves one is {longest} days: make build OUTCOME_WINDOW_DAYS={longest} "
        f"(var outcome_window_days: {longest}), then make weights"
    )


def load_backtest_rows(
    connection: duckdb.DuckDBPyConnection, scoring_model: str, rules: list[Rule]
) -> tuple[BacktestRows, list[str]]:
    """The backtest rows of ``scoring_model`` and the rule keys without any ledger row."""
    try:
        rows = connection.execute(ROWS_SQL, {"model": scoring_model}).fetchnumpy()
        ledger = connection.execute(LEDGER_SQL, {"model": scoring_model}).fetchnumpy()
    except duckdb.CatalogException as error:
        raise DataError(f"the warehouse has no backtest tables ({error}): run `make build` first") from error
    count = len(rows["row_index"])
    if count == 0:
        if connection.execute("select count(*) from intermediate.int_backtest_scores").fetchone()[0]:
            raise DataError(f"no backtest rows for scoring model {scoring_model!r} (--scoring-model)")
        raise DataError(no_cutoff_message(connection))
    presence, units, missing = feature_arrays(
        tuple(rules),
        count,
        np.asarray(ledger["row_index"], dtype=int),
        np.asarray(ledger["rule_key"], dtype=object),
        np.asarray(ledger["decayed_units"], dtype=float),
    )
    backtest = BacktestRows(
        cutoff_date=np.asarray(rows["cutoff_date"], dtype="datetime64[D]"),
        outcome_window_end_date=np.asarray(rows["outcome_window_end_date"], dtype="datetime64[D]"),
        lead_id=np.asarray(rows["lead_id"], dtype=object).astype(str),
        created_at=np.asarray(rows["created_at"], dtype="datetime64[s]"),
        converted=np.asarray(rows["is_converted"], dtype=bool),
        total_score=np.asarray(rows["total_score"], dtype=float),
        tier=np.asarray(rows["tier"], dtype=object).astype(str),
        rules=tuple(rules),
        presence=presence,
        units=units,
    )
    return backtest, missing
