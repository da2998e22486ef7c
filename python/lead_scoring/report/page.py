"""The HTML page: formatting, one function per section, the whole page, and writing it."""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lead_scoring.report.charts import build_charts
from lead_scoring.report.figures import Chart
from lead_scoring.report.queries import CHARTS_DIR, HTML_NAME, ReportData, frame_length, frame_rows
from lead_scoring.report.rules import (
    BANDS_SEED,
    NO_BACKTEST_NOTE,
    POLICY_SEED,
    SEED_COLUMNS,
    _finite_or_none,
    _flag,
    cumulative_gains,
    gains_points,
    headline_verdicts,
    largest_calibration_gaps,
    overall_verdict,
    threshold_advice,
    tier_matrix,
    tiers_in_order,
)

STYLESHEET = Path(__file__).parent / "templates" / "calibration_report.css"

SECTIONS = (
    ("headline", "Headline"),
    ("tiers", "Conversion by tier"),
    ("cutoffs", "Performance per backtest cutoff"),
    ("reliability", "Reliability of the probabilities"),
    ("calibrations", "Live probabilities: the calibration in use"),
    ("gains", "Cumulative gains and lift"),
    ("distribution", "Live score distribution"),
    ("thresholds", "MQL threshold"),
    ("signals", "Signal lift and suggested weights"),
    ("weights", "Learned weights on held-out cutoffs"),
    ("drift", "Score drift"),
    ("segments", "Segments with the largest calibration gaps"),
    ("accounts", "Accounts: conversion by account tier and buying-group coverage"),
    ("models", "Scoring models side by side"),
)


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def text(value: Any) -> str:
    return "–" if value is None else esc(value)


def markup(value: Any) -> str:
    """A cell that is already HTML (built by this module from escaped parts)."""
    return "" if value is None else str(value)


def fmt_pct(value: Any, digits: int = 1) -> str:
    return "–" if _is_missing(value) else f"{float(value):.{digits}%}"


def fmt_pct2(value: Any) -> str:
    return fmt_pct(value, 2)


def fmt_num(value: Any, digits: int = 2) -> str:
    return "–" if _is_missing(value) else f"{float(value):,.{digits}f}"


def fmt_num1(value: Any) -> str:
    return fmt_num(value, 1)


def fmt_num3(value: Any) -> str:
    return fmt_num(value, 3)


def fmt_num4(value: Any) -> str:
    return fmt_num(value, 4)


def fmt_int(value: Any) -> str:
    return "–" if _is_missing(value) else f"{round(float(value)):,}"


def fmt_times(value: Any, digits: int = 2) -> str:
    return "–" if _is_missing(value) else f"{float(value):.{digits}f}×"


def fmt_points(value: Any) -> str:
    return "–" if _is_missing(value) else f"{float(value):g}"


# A table column: (heading, key of the row, formatter). Text and markup cells align left, numbers right.
Columns = Sequence[tuple[str, str, Callable[[Any], str]]]


def html_table(
    columns: Columns,
    rows: Sequence[dict[str, Any]],
    row_classes: Sequence[str] | None = None,
    table_class: str = "",
) -> str:
    def cell(tag: str, content: str, formatter: Callable[[Any], str]) -> str:
        numeric = formatter not in (text, markup)
        return f"<{tag}{' class=num' if numeric else ''}>{content}</{tag}>"

    head = "".join(cell("th", esc(title), formatter) for title, _, formatter in columns)
    body = "".join(
        f'<tr class="{row_classes[i] if row_classes else ""}">'
        + "".join(cell("td", formatter(row[key]), formatter) for _, key, formatter in columns)
        + "</tr>"
        for i, row in enumerate(rows)
    )
    css = f' class="{table_class}"' if table_class else ""
    table = f"<table{css}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="table-wrap">{table}</div>'


def number_markup(value: Any) -> str:
    """Like markup, but aligned as a number."""
    return markup(value)


def figure_html(chart: Chart | None, caption: str = "") -> str:
    if chart is None:
        return ""
    source = "data:image/svg+xml;base64," + base64.b64encode(chart.svg).decode("ascii")
    caption_html = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return (
        f'<figure id="chart-{esc(chart.name)}"><img src="{source}" alt="{esc(chart.alt)}" '
        f'title="{esc(chart.title)}" data-chart="{esc(chart.name)}">{caption_html}</figure>'
    )


def act(body: str) -> str:
    return f'<div class="act"><strong>How to act on this</strong>{body}</div>'


def note(body: str) -> str:
    return f'<p class="note">{body}</p>'


NO_BACKTESTS = note(
    'No usable backtest cutoff: nothing to show here (see <a href="#headline">Headline</a> for why).'
)


def _code(words: str) -> str:
    """Escaped text with its `backquoted` parts as <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(words))


def _inactive_html(data: ReportData) -> str:
    """A note when the model's own signals match no event of this data (it is not judged)."""
    active = data.activity.get("is_active")
    if active is None or bool(active):
        return ""
    return note(
        f"<strong>Inactive on this data:</strong> none of this model's own signals "
        f"({esc(data.activity.get('own_signal_list') or 'none')}) matches an event, so its scores carry no "
        "behavior and its calibration is not judged (the build reports it once, "
        "assert_scoring_models_match_events). Use a model whose signals this data has."
    )


def _headline_html(data: ReportData) -> str:
    return _inactive_html(data) + _headline_body(data)


def _headline_body(data: ReportData) -> str:
    performance = data.pooled_performance
    if performance is None:
        reasons = "".join(
            f"<li>cutoff {esc(row['cutoff_date'])}: {esc(row['unusable_reason'])}</li>"
            for row in data.cutoff_candidates
        )
        span = ""
        if data.cutoff_candidates:
            first = data.cutoff_candidates[0]
            span = (
                f"<p>The data runs from {esc(first['first_data_date'])} and outcomes are known until "
                f"{esc(first['outcomes_known_until'])}.</p>"
            )
        longest = data.outcome_windows.get("longest_usable_outcome_window_days")
        if longest is not None and not _is_missing(longest):
            span += (
                f"<p>The outcome window in use is {fmt_int(data.outcome_windows.get('outcome_window_days'))} "
                f"days; the longest that leaves this data a cutoff is {fmt_int(longest)} days: "
                f"<code>make build OUTCOME_WINDOW_DAYS={fmt_int(longest)}</code>.</p>"
            )
        return note(_code(NO_BACKTEST_NOTE)) + (f"<ul>{reasons}</ul>" if reasons else "") + span
    pooled = data.pooled_tiers
    tiers = [str(tier) for tier in pooled["tier"]]
    in_order = tiers_in_order(pooled["conversion_rate"])
    ratio = _finite_or_none(pooled["top_to_bottom_tier_conversion_ratio"][0]) if tiers else None
    top_tier, bottom_tier = (tiers[-1], tiers[0]) if tiers else ("top tier", "bottom tier")
    separation_status = str(pooled["separation_status"][0]) if tiers else "unknown"
    verdicts = headline_verdicts(
        _finite_or_none(performance["auc"]),
        str(performance["auc_status"]),
        in_order,
        ratio,
        separation_status,
        _finite_or_none(performance["mean_predicted_probability"]),
        _finite_or_none(performance["base_rate"]),
        data.policy,
        top_tier,
        bottom_tier,
    )
    items = "".join(
        f'<li class="{v.status}"><span class="status {v.status}">{esc(v.status)}</span> '
        f"<strong>{esc(v.topic)}:</strong> {esc(v.text)}</li>"
        for v in verdicts
    )
    metrics = [
        ("Backtest leads (all cutoffs)", fmt_int(performance["leads"])),
        ("Conversions", fmt_int(performance["conversions"])),
        ("Base rate (random pick)", fmt_pct(performance["base_rate"], 2)),
        ("AUC (0.5 random, 1 perfect)", fmt_num(performance["auc"], 3)),
        ("Brier score (lower is better)", fmt_num(performance["brier_score"], 4)),
        ("Log loss (lower is better)", fmt_num(performance["log_loss"], 4)),
        (
            "Held-out Brier score (bins learned on earlier cutoffs)",
            fmt_num(performance["held_out_brier_score"], 4),
        ),
        ("Held-out log loss", fmt_num(performance["held_out_log_loss"], 4)),
        ("Backtest rows with a held-out probability", fmt_int(performance["held_out_leads"])),
        ("Mean predicted probability", fmt_pct(performance["mean_predicted_probability"], 2)),
        ("Top score bin conversion rate", fmt_pct(performance["top_bin_conversion_rate"], 1)),
        ("Top score bin lift", fmt_times(performance["top_bin_lift"])),
        (f"{top_tier} / {bottom_tier} conversion ratio", fmt_times(ratio)),
        ("Tiers in order", "–" if in_order is None else ("yes" if in_order else "no")),
    ]
    table = html_table(
        [("Metric", "metric", text), ("Value", "value", number_markup)],
        [{"metric": name, "value": value} for name, value in metrics],
        table_class="metrics",
    )
    return (
        f'<p class="verdict">{esc(overall_verdict(verdicts))}</p><ul class="verdicts">{items}</ul>{table}'
        + act(
            "AUC under 0.6 or tiers out of order mean the weights need work: start with the "
            '<a href="#signals">signal lift</a> section. If the tiers are in order but the top tier is '
            'not several times the bottom one, move the tier bounds (see <a href="#thresholds">MQL '
            "threshold</a>). Probabilities far from the base rate mean too little history or a shifting "
            'population (see <a href="#drift">drift</a>).'
        )
    )


def _tiers_html(data: ReportData, built: dict[str, Chart]) -> str:
    pooled = data.pooled_tiers
    if not frame_length(pooled):
        return NO_BACKTESTS
    columns = [
        ("Tier", "tier", text),
        ("Leads", "leads", fmt_int),
        ("Conversions", "conversions", fmt_int),
        ("Conversion rate", "conversion_rate", fmt_pct2),
        ("Lift over base rate", "lift", fmt_times),
    ]
    return (
        figure_html(built.get("conversion_by_tier"), "All cutoffs pooled; the dashed line is the base rate.")
        + html_table(columns, frame_rows(pooled))
        + figure_html(built.get("conversion_by_tier_per_cutoff"), "One group of bars per backtest cutoff.")
        + act(
            "Each tier should convert better than the one below, and the top tier several times the bottom "
            f"one. If a tier converts like its neighbour, move its bounds in <code>{BANDS_SEED}</code> "
            "(rows with band_type = tier) or fix the weights that push leads into it."
        )
    )


def _cutoffs_html(data: ReportData) -> str:
    rows = frame_rows(data.cutoff_performance)
    if not rows:
        return NO_BACKTESTS
    in_order: dict[str, bool | None] = {}
    if frame_length(data.cutoff_tiers):
        labels, _, matrix = tier_matrix(data.cutoff_tiers)
        in_order = {label: tiers_in_order(matrix[:, i]) for i, label in enumerate(labels)}
    words = {None: "–", True: "yes", False: "no"}
    for row in rows:
        row["tiers_in_order"] = words[in_order.get(str(row["cutoff_date"]))]
    columns = [
        ("Cutoff", "cutoff_date", text),
        ("Leads", "leads", fmt_int),
        ("Conversions", "conversions", fmt_int),
        ("Base rate", "base_rate", fmt_pct2),
        ("AUC", "auc", fmt_num3),
        ("Brier", "brier_score", fmt_num4),
        ("Log loss", "log_loss", fmt_num4),
        ("Mean predicted", "mean_predicted_probability", fmt_pct2),
        ("Top-bin lift", "top_bin_lift", fmt_times),
        ("Tiers in order", "tiers_in_order", text),
    ]
    return html_table(columns, rows) + act(
        "One weak cutoff is noise; an AUC that falls cutoff after cutoff means the signals are ageing: "
        'check <a href="#signals">signal lift</a> and <a href="#drift">drift</a> and re-weight.'
    )


def _reliability_html(data: ReportData, built: dict[str, Chart]) -> str:
    if not frame_length(data.reliability):
        return NO_BACKTESTS
    columns = [
        ("Bin", "score_bin", fmt_int),
        ("Scores from", "lower_score", fmt_points),
        ("to (excl.)", "upper_score", fmt_points),
        ("Leads", "leads", fmt_int),
        ("Conversions", "conversions", fmt_int),
        ("Mean predicted", "mean_predicted_probability", fmt_pct2),
        ("Observed", "observed_conversion_rate", fmt_pct2),
        ("Gap (observed − predicted)", "calibration_gap", fmt_pct2),
        ("Held-out rows", "held_out_leads", fmt_int),
        ("Held-out predicted", "mean_held_out_probability", fmt_pct2),
        ("Held-out observed", "held_out_observed_conversion_rate", fmt_pct2),
    ]
    return (
        figure_html(
            built.get("reliability_curve"),
            "Each point is a score bin (its number is written beside it; bigger dots hold more leads). "
            "On the dashed diagonal the predicted probability equals the observed rate.",
        )
        + html_table(columns, frame_rows(data.reliability))
        + act(
            "fct_lead_scores.conversion_probability comes from these bins and is re-learned at every "
            "build. A point above the diagonal means leads in that bin convert more than predicted, below "
            "means less. Large gaps mean too little history per bin: add backtest cutoffs (var "
            "backtest_cutoff_count) or use fewer bins (var calibration_bins). The held-out columns are the "
            "honest check: probabilities learned only on earlier cutoffs whose outcomes had ended, "
            "compared with what the later leads did (held-out Brier score and log loss in the headline)."
        )
    )


SOURCES = {
    "backtests": "learned from this warehouse's backtests",
    "stored_fit": "stored by the last weight fit",
}


def _calibrations_html(data: ReportData) -> str:
    rows = data.calibrations
    if not rows:
        return note(
            "No calibration: the live <code>conversion_probability</code> is null. It comes from this "
            "warehouse's backtests, or, without a usable cutoff, from the calibration the last weight fit "
            "stored (<code>make weights</code> on a build with a usable cutoff stores one; "
            "<code>reports.rpt_score_calibrations</code> lists both)."
        )
    in_use = next((row for row in rows if row["is_used"]), None)
    if in_use is None:
        used = "neither: the live <code>conversion_probability</code> is null"
    elif in_use["calibration_source"] == "stored_fit":
        used = (
            "the one <strong>stored by the last weight fit</strong> (learned at its cutoff "
            f"{esc(in_use['fitted_cutoff_date'])}, held-out Brier "
            f"{fmt_num4(in_use['held_out_brier_score'])}): this warehouse has no usable backtest cutoff"
        )
    else:
        used = "the one <strong>learned from this warehouse's backtests</strong>"
    columns = [
        ("Calibration", "source", text),
        ("In use", "in_use", text),
        ("Bin", "score_bin", fmt_int),
        ("Scores from", "lower_score", fmt_points),
        ("to (excl.)", "upper_score", fmt_points),
        ("Leads", "leads", fmt_int),
        ("Conversions", "conversions", fmt_int),
        ("Probability", "conversion_probability", fmt_pct2),
    ]
    shown = [
        {
            **row,
            "source": SOURCES.get(str(row["calibration_source"]), str(row["calibration_source"])),
            "in_use": "yes" if row["is_used"] else "no",
        }
        for row in rows
    ]
    return (
        f"<p>The live probabilities (<code>fct_lead_scores.conversion_probability</code>) use {used}.</p>"
        + html_table(columns, shown)
        + act(
            "The backtests' calibration is learned again at every build; the stored one maps the scores of "
            "the weights the fit wrote with it, so after editing the weights by hand run "
            "<code>make weights</code> again before relying on it."
        )
    )


def _gains_html(data: ReportData, built: dict[str, Chart]) -> str:
    reliability = data.reliability
    if not frame_length(reliability):
        return NO_BACKTESTS
    try:
        lead_share, conversion_share = cumulative_gains(
            reliability["score_bin"], reliability["leads"], reliability["conversions"]
        )
    except ValueError:
        return note("No conversions in the backtests: the gains curve needs at least one converted lead.")
    sentences = "; ".join(
        f"the top {leads:.0%} of leads caught {caught:.0%} of conversions ({caught / leads:.1f}× random)"
        for leads, caught in gains_points(lead_share, conversion_share, (0.1, 0.2, 0.3, 0.5))
    )
    return (
        figure_html(
            built.get("cumulative_gains"),
            "Built from the pooled score bins, highest bin first; the dashed line is a random order.",
        )
        + f"<p>In the backtests, {esc(sentences)}.</p>"
        + act(
            "Size the sales queue with it: pick the share of leads sales can work and read off the share "
            "of conversions it catches. A curve close to the diagonal means the score adds little over a "
            'random order: re-weight (see <a href="#signals">signal lift</a>).'
        )
    )


def _distribution_html(data: ReportData, built: dict[str, Chart]) -> str:
    live = data.live_tiers
    if not frame_length(live):
        return note(f"No live scores for scoring model {esc(data.scoring_model)} in marts.fct_lead_scores.")
    rows = frame_rows({**live, "share": live["leads"] / np.sum(live["leads"])})
    columns = [
        ("Tier", "tier", text),
        ("Leads", "leads", fmt_int),
        ("Share", "share", fmt_pct),
        ("Mean score", "mean_total_score", fmt_num1),
        ("Lowest score", "min_total_score", fmt_points),
        ("Highest score", "max_total_score", fmt_points),
    ]
    as_of = f" as of {data.score_as_of}" if data.score_as_of else ""
    return (
        figure_html(built.get("score_distribution"), f"Live scores{as_of}, stacked by tier.")
        + html_table(columns, rows)
        + act(
            "If most leads pile up in one tier, the bounds do not split the population usefully: move "
            f"them in <code>{BANDS_SEED}</code>. The gap between the current and the recommended MQL "
            "threshold shows how many leads a move would change."
        )
    )


def _thresholds_html(data: ReportData, built: dict[str, Chart]) -> str:
    thresholds = data.thresholds
    if not frame_length(thresholds):
        return NO_BACKTESTS
    current = _flag(thresholds, "is_current_threshold", "mql_threshold")
    recommended = _flag(thresholds, "is_recommended", "mql_threshold")
    target = _finite_or_none(thresholds["target_precision"][0])
    minimum = _finite_or_none(thresholds["min_mql_leads_per_cutoff"][0])
    mql_tier = str(data.pooled_tiers["tier"][-1]) if frame_length(data.pooled_tiers) else "MQL"
    rows = frame_rows(thresholds)
    classes = []
    for row in rows:
        flags = [
            name
            for name, on in (("recommended", row["is_recommended"]), ("current", row["is_current_threshold"]))
            if on
        ]
        row["flags"] = "".join(f'<span class="tag {name}">{name}</span>' for name in flags)
        classes.append(" ".join(flags))
    columns = [
        ("Threshold", "mql_threshold", fmt_points),
        ("", "flags", markup),
        ("MQLs", "mql_leads", fmt_int),
        ("MQLs per cutoff", "mql_leads_per_cutoff", fmt_num1),
        ("Converted", "mql_conversions", fmt_int),
        ("Precision", "mql_precision", fmt_pct),
        ("Recall", "mql_recall", fmt_pct),
        ("Conversion below the line", "below_threshold_conversion_rate", fmt_pct2),
    ]
    basis = thresholds["recommendation_basis"][0] if "recommendation_basis" in thresholds else None
    required = (
        _finite_or_none(thresholds["required_precision"][0]) if "required_precision" in thresholds else None
    )
    advice = esc(threshold_advice(current, recommended, mql_tier, target, minimum, basis, required))
    return (
        figure_html(built.get("mql_thresholds"), "Pooled over all backtest cutoffs.")
        + f"<p>Policy (<code>{POLICY_SEED}</code>): precision at least {fmt_pct(target, 0)} with at least "
        f"{fmt_int(minimum)} MQLs per cutoff; the recommended threshold is the lowest that meets both.</p>"
        + html_table(columns, rows, classes)
        + act(
            advice.replace(BANDS_SEED, f"<code>{BANDS_SEED}</code>").replace(
                POLICY_SEED, f"<code>{POLICY_SEED}</code>"
            )
        )
    )


def _signals_html(data: ReportData, built: dict[str, Chart]) -> str:
    rows = frame_rows(data.signals)
    if not rows:
        return NO_BACKTESTS
    for row in rows:
        row["rule"] = f"{esc(row['reason_label'])}<br><code>{esc(row['rule_id'])}</code>"
        usable = row["has_support"] and not _is_missing(row["suggested_points"])
        row["suggested"] = fmt_points(row["suggested_points"]) if usable else "keep *"
        change = usable and not _is_missing(row["current_points"])
        row["change"] = f"{row['suggested_points'] - row['current_points']:+g}" if change else "–"
        has_cap = not (_is_missing(row["current_cap_points"]) and _is_missing(row["suggested_cap_points"]))
        caps = (fmt_points(row["current_cap_points"]), fmt_points(row["suggested_cap_points"]))
        row["cap"] = "&nbsp;→&nbsp;".join(caps) if has_cap else ""
        rates = (fmt_pct(row["conversion_rate_with"]), fmt_pct(row["conversion_rate_without"]))
        row["conversion"] = " / ".join(rates)
    columns = [
        ("Component", "component", text),
        ("Rule", "rule", markup),
        ("Leads with", "leads_with", fmt_int),
        ("Converted with / without", "conversion", number_markup),
        ("Lift", "lift", fmt_times),
        ("Log odds", "log_odds_ratio", fmt_num),
        ("Current", "current_points", fmt_points),
        ("Suggested", "suggested", number_markup),
        ("Change", "change", number_markup),
        ("Cap now → new", "cap", number_markup),
    ]
    seeds = "".join(
        f"<li>{component} → <code>{path}</code>, column <code>{column}</code>"
        + (" (and suggested_cap_points into <code>cap_points</code>)" if component == "behavioral" else "")
        + "</li>"
        for component, (path, column) in SEED_COLUMNS.items()
    )
    return (
        figure_html(
            built.get("signal_weights"),
            "Units follow the seeds: fit points are signed, behavioral values are points per unit, "
            "negative values are the points deducted. * = too few leads on one side: keep the current value.",
        )
        + html_table(columns, rows)
        + act(
            "Copy <code>suggested_points</code> into the seeds, matching rule_id (signal_id for "
            f"behavioral):<ul>{seeds}</ul>A suggestion of 0 means the rule does not help prediction: set "
            "it to 0 or drop it. Rules marked * keep their value. Then run <code>make build</code> and "
            "check that the AUC and the tier order above did not get worse."
        )
    )


WEIGHT_MODELS = {
    "current": "current seeds",
    "suggested": "suggested seeds (joint fit)",
    "logistic": "unconstrained logistic regression, same features",
    "gradient_boosting": "gradient boosting, same features",
}


def _weights_html(data: ReportData) -> str:
    status = data.weights_status
    command = "lead-scoring weights --duckdb <warehouse> --dry-run"
    if not status:
        return note(
            "The weights are <strong>unvalidated</strong>: no joint fit has been run on this warehouse. "
            f"Run <code>{esc(command)}</code> (it writes the held-out table this section shows)."
        )
    if status.get("status") == "declined":
        return note(
            f"The weights are <strong>unvalidated</strong>: the fit declined. {esc(status.get('reason', ''))}"
        )
    rows = []
    for row in data.weights_table:
        rows.append(
            {
                "model": WEIGHT_MODELS.get(row["model"], row["model"]),
                "auc": _number(row["auc"]),
                "brier_score": _number(row["brier_score"]),
                "log_loss": _number(row["log_loss"]),
                "top_decile_lift": _number(row["top_decile_lift"]),
                "tier_conversion": row["tier_conversion"] or "–",
            }
        )
    columns = [
        ("Weights", "model", text),
        ("AUC", "auc", fmt_num3),
        ("Brier", "brier_score", fmt_num4),
        ("Log loss", "log_loss", fmt_num4),
        ("Top-decile lift", "top_decile_lift", fmt_times),
        ("Conversion by tier (leads)", "tier_conversion", text),
    ]
    train = ", ".join(status.get("train_cutoffs", []))
    held = ", ".join(status.get("holdout_cutoffs", []))
    verdict = {
        "validated": "validated: they rank the held-out leads at least as well as the current ones",
        "refused": "refused: they rank the held-out leads worse; lead-scoring weights left the seeds alone",
        "forced": "FORCED: written although they rank the held-out leads worse",
    }.get(str(status.get("status")), str(status.get("status")))
    notes = "".join(f"<li>{esc(line)}</li>" for line in status.get("notes", []))
    if status.get("split") == "latest_created_leads":
        split = f"{esc(status.get('split_description', ''))}. "
    else:
        split = (
            f"Fitted on the cutoffs {esc(train)} ({fmt_int(status.get('train_converted_leads'))} converted "
            f"leads), measured on the held-out cutoff(s) {esc(held)} only. "
        )
    stored = status.get("calibration") or {}
    calibration = (
        f"<p>The calibration stored with the weights ({fmt_int(stored.get('bins'))} score bins) has a "
        f"held-out Brier score of {fmt_num4(stored.get('held_out_brier_score'))} and a largest bin gap of "
        f"{fmt_pct(stored.get('largest_bin_gap'))}.</p>"
        if stored
        else ""
    )
    return (
        f"<p>{split}Suggested weights: {esc(verdict)}. Scaling: {esc(status.get('scaling_rule', ''))}.</p>"
        + html_table(columns, rows)
        + calibration
        + (f"<ul>{notes}</ul>" if notes else "")
        + act(
            "The gap between the suggested seeds and the unconstrained models is what the readable points "
            "format costs in ranking. Write the suggested seeds with "
            "<code>lead-scoring weights --duckdb &lt;warehouse&gt;</code> (it refuses "
            "weights whose held-out AUC is lower than the current ones), review <code>git diff seeds</code> "
            "and run <code>make build</code>."
        )
    )


def _number(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def _drift_html(data: ReportData) -> str:
    rows = frame_rows(data.drift)
    if not rows:
        return NO_BACKTESTS
    for row in rows:
        status = str(row["psi_status"])
        row["status"] = f'<span class="tag {status.split()[0]}">{status}</span>'
    columns = [
        ("Cutoff", "cutoff_date", text),
        ("Compared with", "previous_cutoff_date", text),
        ("Leads", "leads", fmt_int),
        ("Mean score", "mean_total_score", fmt_num1),
        ("MQL share", "mql_share", fmt_pct),
        ("PSI", "population_stability_index", fmt_num3),
        ("Status", "status", markup),
    ]
    policy = data.policy
    return html_table(columns, rows) + act(
        f"PSI under {policy.psi_moving_min:g} is stable, {policy.psi_moving_min:g} to "
        f"{policy.psi_shifted_min:g} moving, over {policy.psi_shifted_min:g} shifted "
        f"(<code>{POLICY_SEED}</code>). When the population shifts, the "
        "probabilities learned from older cutoffs may not hold: look for a new lead source or campaign, "
        "and re-read the reliability curve before trusting the probabilities."
    )


def _segments_html(data: ReportData, min_leads: int, limit: int) -> str:
    segments = data.segments
    if not frame_length(segments):
        return NO_BACKTESTS
    positions, enough = largest_calibration_gaps(segments, min_leads, limit)
    rows = frame_rows(segments, positions)
    for row in rows:
        gap = row["calibration_gap"]
        row["direction"] = "–" if _is_missing(gap) else ("underrated" if gap > 0 else "overrated")
    caveat = (
        f"<p>The {len(rows)} segments with at least {min_leads} backtest leads whose observed "
        "conversion is furthest from the predicted probability.</p>"
        if enough
        else note(f"No segment has {min_leads} backtest leads: the gaps below rest on few leads each.")
    )
    columns = [
        ("Segment type", "segment_type", text),
        ("Segment", "segment", text),
        ("Leads", "leads", fmt_int),
        ("Conversions", "conversions", fmt_int),
        ("Observed", "conversion_rate", fmt_pct2),
        ("Predicted", "mean_predicted_probability", fmt_pct2),
        ("Gap", "calibration_gap", fmt_pct2),
        ("Score", "direction", text),
        ("Mean score", "mean_total_score", fmt_num1),
        ("MQL share", "mql_share", fmt_pct),
    ]
    return (
        caveat
        + html_table(columns, rows)
        + act(
            "An underrated segment (converts more than predicted) may deserve a fit rule: add one in "
            f"<code>{SEED_COLUMNS['fit'][0]}</code>. An overrated one (converts less) calls for lowering "
            f"the rule that favours it, or a negative rule in <code>{SEED_COLUMNS['negative'][0]}</code>."
        )
    )


def _accounts_html(data: ReportData) -> str:
    tiers = frame_rows(data.account_tiers)
    coverage = frame_rows(data.account_coverage)
    if not tiers and not coverage:
        return note(
            "No account backtest rows for this scoring model (it has no rows in "
            "<code>seeds/scoring/scoring_account_components.csv</code>, or no backtest cutoff)."
        )
    tier_columns = [
        ("Account tier", "account_tier", text),
        ("Accounts", "accounts", fmt_int),
        ("Conversions", "conversions", fmt_int),
        ("Conversion", "conversion_rate", fmt_pct2),
        ("Lift", "lift", fmt_times),
    ]
    coverage_columns = [
        ("Coverage band", "coverage_band", text),
        ("Accounts", "accounts", fmt_int),
        ("Mean coverage", "mean_buying_group_coverage", fmt_pct),
        ("Mean contacts", "mean_contacts", fmt_num1),
        ("Conversions", "conversions", fmt_int),
        ("Conversion", "conversion_rate", fmt_pct2),
        ("Lift", "lift", fmt_times),
    ]
    ratio = tiers[0]["top_to_bottom_tier_conversion_ratio"] if tiers else None
    return (
        "<p>Accounts scored the day before each cutoff (from the lead scores and lead versions valid "
        "then), pooled over the cutoffs; an account converts when an opportunity of any of its leads "
        "is created within the outcome window. Accounts with an opportunity before the cutoff are "
        f"left out. Top to bottom account tier: {fmt_times(ratio)}.</p>"
        + html_table(tier_columns, tiers)
        + html_table(coverage_columns, coverage)
        + act(
            "More contacts bring more roles and more chances of an opportunity: compare the mean "
            "contacts of the coverage bands before crediting coverage itself. Account tiers are the "
            "<code>account_tier</code> bands of <code>seeds/scoring/scoring_bands.csv</code>; the "
            "weights are in <code>seeds/scoring/scoring_account_components.csv</code>."
        )
    )


def _models_html(data: ReportData) -> str:
    rows = [dict(row) for row in data.model_comparison]
    if not rows:
        return note(
            "No comparison: <code>reports.rpt_scoring_model_comparison</code> is missing or empty "
            "(run <code>make build</code>)."
        )
    classes = []
    for row in rows:
        row["scope"] = "all cutoffs" if row["is_overall"] else row["cutoff_date"]
        model = str(row["scoring_model"])
        row["model"] = f"<strong>{esc(model)}</strong>" if model == data.scoring_model else esc(model)
        best = not _is_missing(row["auc_rank"]) and int(row["auc_rank"]) == 1
        row["best"] = '<span class="tag good">best AUC</span>' if best else ""
        classes.append("current" if row["is_overall"] else "")
    columns = [
        ("Cutoff", "scope", text),
        ("Model", "model", markup),
        ("Leads", "leads", fmt_int),
        ("Base rate", "base_rate", fmt_pct2),
        ("AUC", "auc", fmt_num3),
        ("", "best", markup),
        ("Top-bin lift", "top_bin_lift", fmt_times),
        ("MQLs", "mql_leads", fmt_int),
        ("MQL share", "mql_share", fmt_pct),
        ("MQL conversion", "mql_conversion_rate", fmt_pct),
        ("MQL lift", "mql_lift", fmt_times),
        ("MQL recall", "mql_recall", fmt_pct),
    ]
    models = sorted({str(row["scoring_model"]) for row in rows})
    return (
        f"<p>Every scoring model ({', '.join(esc(model) for model in models)}) scores the same leads at "
        "the same backtest cutoffs, so each row compares like with like: how well the model ranks "
        "(AUC, top-bin lift) and what its MQL line would have sent to sales (for <code>pql</code> the "
        "MQL tier is <code>product_qualified</code>: a PQL). This page is about "
        f"<strong>{esc(data.scoring_model)}</strong>; <code>--scoring-model</code> switches.</p>"
        + html_table(columns, rows, classes)
        + act(
            "Run the models side by side and route each lead by the one meant for its motion: "
            "<code>pql</code> for product-led sign-ups (trials, active days, invites), "
            "<code>default</code> for marketing-led leads. A model whose AUC stays lower at every cutoff "
            "on the leads it is meant for needs new weights (<code>make weights SCORING_MODEL=...</code>); "
            "compare MQL volume before moving a threshold. <code>analyses/compare_scoring_models.sql</code> "
            "puts two models in one row per cutoff."
        )
    )


def render_html(
    data: ReportData, built: dict[str, Chart], min_segment_leads: int = 50, top_segments: int = 10
) -> str:
    """The whole page as one string: inline CSS, charts as data: URIs, no script, no external reference."""
    cutoffs = sorted({str(value) for value in data.cutoff_performance["cutoff_date"]})
    backtests = (
        f"{len(cutoffs)} backtest cutoff{'s' if len(cutoffs) != 1 else ''} ({cutoffs[0]} to {cutoffs[-1]})"
        if cutoffs
        else "no backtest cutoff"
    )
    as_of = f"live scores as of {data.score_as_of}" if data.score_as_of else "no live scores"
    bodies = {
        "headline": _headline_html(data),
        "tiers": _tiers_html(data, built),
        "cutoffs": _cutoffs_html(data),
        "reliability": _reliability_html(data, built),
        "calibrations": _calibrations_html(data),
        "gains": _gains_html(data, built),
        "distribution": _distribution_html(data, built),
        "thresholds": _thresholds_html(data, built),
        "signals": _signals_html(data, built),
        "weights": _weights_html(data),
        "drift": _drift_html(data),
        "segments": _segments_html(data, min_segment_leads, top_segments),
        "accounts": _accounts_html(data),
        "models": _models_html(data),
    }
    toc = "".join(f'<li><a href="#{anchor}">{esc(title)}</a></li>' for anchor, title in SECTIONS)
    sections = "".join(
        f'<section id="{anchor}"><h2>{esc(title)}</h2>{bodies[anchor]}</section>'
        for anchor, title in SECTIONS
    )
    title = esc(f"Lead score calibration report: {data.scoring_model}")
    meta = esc(f"{backtests} · {as_of} · warehouse {data.source_name}")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>\n{STYLESHEET.read_text(encoding='utf-8')}</style></head>"
        f'<body><main><h1>{title}</h1><p class="meta">{meta}</p><nav><ol>{toc}</ol></nav>{sections}'
        "</main></body></html>\n"
    )


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    charts: tuple[Path, ...]


def write_report(data: ReportData, out_dir: Path, min_segment_leads: int = 50) -> ReportFiles:
    """Render the charts and the page into ``out_dir``; stale chart PNGs from an earlier run are removed."""
    built = build_charts(data)
    chart_dir = out_dir / CHARTS_DIR
    chart_dir.mkdir(parents=True, exist_ok=True)
    for stale in chart_dir.glob("*.png"):
        if stale.stem not in built:
            stale.unlink()
    chart_paths = []
    for chart in built.values():
        path = chart_dir / f"{chart.name}.png"
        path.write_bytes(chart.png)
        chart_paths.append(path)
    page = out_dir / HTML_NAME
    partial = page.with_suffix(".html.partial")
    partial.write_text(render_html(data, built, min_segment_leads), encoding="utf-8")
    partial.replace(page)
    return ReportFiles(html=page, charts=tuple(chart_paths))
