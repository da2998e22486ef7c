"""The calibration report as a person sees it: opened in headless Chromium, every chart must render
(non-zero natural size) with a clean console and no request leaving the file.

Needs Debian's `chromium` (scripts/install_chromium.sh). Without it the tests skip on a developer's
machine but fail under CI (CI=true), so a missing browser never passes silently.
"""

from __future__ import annotations

import os

import pytest
from lead_scoring import report as r
from test_report import ALL_CHARTS, build_warehouse, png_size

CHROMIUM = r.find_chromium()


@pytest.fixture(autouse=True)
def _need_chromium():
    if CHROMIUM is not None:
        return
    message = "Chromium is not installed: run scripts/install_chromium.sh (Debian package chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; the browser test must run in CI")
    pytest.skip(message)


def test_every_chart_renders_in_chromium(tmp_path, capsys):
    warehouse = build_warehouse(tmp_path / "tiny.duckdb")
    out = tmp_path / "out"
    assert r.main(["--duckdb", str(warehouse), "--out", str(out), "--screenshot"]) == 0
    assert f"{len(ALL_CHARTS)}/{len(ALL_CHARTS)} charts rendered, 0 console errors" in capsys.readouterr().out

    inspection = r.inspect_page(out / r.HTML_NAME)
    assert inspection.problems == []
    assert inspection.title == "Lead score calibration report: default"
    assert {image.name for image in inspection.images} == ALL_CHARTS
    for image in inspection.images:
        assert image.natural_width > 300 and image.natural_height > 200, image
        assert image.shown_width > 300 and image.shown_height > 150, image
    assert inspection.console_errors == ()
    assert inspection.external_requests == ()

    width, height = png_size(out / r.SCREENSHOT_NAME)
    assert width >= 1280
    assert height == min(inspection.page_height, r.MAX_SCREENSHOT_HEIGHT) > 3000


def test_report_without_backtests_renders_in_chromium(tmp_path):
    warehouse = build_warehouse(tmp_path / "tiny.duckdb", with_backtests=False)
    files = r.build_report(warehouse, tmp_path / "out")
    inspection = r.inspect_page(files.html)
    assert inspection.problems == []
    assert [image.name for image in inspection.images] == ["score_distribution"]


def test_the_check_catches_a_broken_page(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>broken</title></head><body>"
        '<img src="missing-chart.png" alt="missing"><img src="data:image/png;base64,AAAA" alt="corrupt">'
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    inspection = r.inspect_page(page)
    assert [image.rendered for image in inspection.images] == [False, False]
    assert any("boom" in message for message in inspection.console_errors)
    assert len(inspection.problems) >= 3
