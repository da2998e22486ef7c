"""The dbt docs site, as a person sees it: generated for the messy fixture on DuckDB, served over
HTTP on 127.0.0.1 and opened in headless Chromium (python/lead_scoring/report/browser.py).

The site must show the score mart (name, description, what it depends on, what references it)
and let a reader walk the lineage from the raw source `crm.leads` to `fct_lead_scores` page by
page, through `int_leads_fit_scored` and `fct_lead_score_ledger`: on every page of that path the
next model is listed under "Referenced By" and the previous one under "Depends On", linked.

Needs Debian's `chromium` (scripts/install_chromium.sh; `make pytest` installs it). Without it the
tests skip on a developer's machine but fail under CI (CI=true).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import struct
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dbt_runner
import pytest
from conftest import FIXTURES, REPO
from lead_scoring.report import browser

CHROMIUM = browser.find_chromium()
PROJECT = "lead_scoring"
SOURCE_ID = f"source.{PROJECT}.crm.leads"
MART_ID = f"model.{PROJECT}.fct_lead_scores"
LEDGER_ID = f"model.{PROJECT}.fct_lead_score_ledger"
FIT_ID = f"model.{PROJECT}.int_leads_fit_scored"
LEAD_VERSIONS_ID = f"model.{PROJECT}.stg_crm__lead_versions"
SERVER_LIFETIME_SECONDS = 600
BROWSER_TIMEOUT_SECONDS = 180

# For the sections of a node page: every tab of each reference list ("Models", "Sources", ...),
# clicked in turn as a reader would, with the links it shows.
REFERENCE_LISTS_JS = """
(() => {
  const view = document.querySelector('.app-body[ui-view]');
  const heading = view.querySelector('h1');
  const result = {title: heading ? heading.innerText.trim() : '', text: view.innerText};
  for (const id of ['referenced_by', 'depends_on']) {
    const anchor = view.querySelector('#' + id);
    const section = anchor && anchor.closest('section');
    const lists = {};
    if (section && !section.classList.contains('ng-hide')) {
      for (const tab of section.querySelectorAll('ul.nav-tabs > li > a')) {
        tab.click();
        lists[tab.innerText.trim()] = Array.from(section.querySelectorAll('ul.list-unstyled a'))
          .map(a => [a.innerText.trim(), a.getAttribute('href')]);
      }
    }
    result[id] = lists;
  }
  return result;
})()
"""


@pytest.fixture(autouse=True)
def _need_chromium():
    if CHROMIUM is not None:
        return
    message = f"{browser.NOT_INSTALLED}; needed to look at the docs site"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}. The docs site test must run in CI")
    pytest.skip(message)


@pytest.fixture(scope="module")
def docs_site(messy_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt docs generate` on the built messy fixture, into a target folder of its own."""
    folder = tmp_path_factory.mktemp("docs")
    dbt_runner.run_dbt(
        ["docs", "generate"],
        REPO,
        messy_warehouse,
        {"raw_data_path": str(FIXTURES / "messy"), "score_as_of": "2026-06-30"},
        extra_env={"DBT_TARGET_PATH": str(folder / "target"), "DBT_LOG_PATH": str(folder / "logs")},
    )
    target = folder / "target"
    for name in ("index.html", "manifest.json", "catalog.json"):
        assert (target / name).is_file(), f"dbt docs generate did not write {name}"
    return target


@pytest.fixture(scope="module")
def manifest(docs_site: Path) -> dict[str, Any]:
    return json.loads((docs_site / "manifest.json").read_text())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def docs_url(docs_site: Path) -> Iterator[str]:
    """The docs site served by http.server on 127.0.0.1 (a free port), for at most 10 minutes."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(docs_site))
    )
    server.daemon_threads = True
    serving = threading.Thread(target=server.serve_forever, name="docs-http", daemon=True)
    serving.start()
    deadline = threading.Timer(SERVER_LIFETIME_SECONDS, server.shutdown)
    deadline.daemon = True
    deadline.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        deadline.cancel()
        server.shutdown()
        server.server_close()
        serving.join(timeout=10)


def node_page(unique_id: str) -> str:
    """The docs site's address (after the #) of a node: #!/model/model.lead_scoring.x."""
    return f"#!/{unique_id.split('.')[0]}/{unique_id}"


def display_name(unique_id: str, manifest: dict[str, Any]) -> str:
    if unique_id.startswith("source."):
        source = manifest["sources"][unique_id]
        return f"{source['source_name']}.{source['name']}"
    return manifest["nodes"][unique_id]["name"]


def lineage_path(manifest: dict[str, Any], start: str, end: str) -> list[str]:
    """The shortest chain of models from `start` (a source or model) down to `end`."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == end:
            break
        for child in manifest["child_map"].get(node, []):
            if child.startswith("model.") and child not in previous:
                previous[child] = node
                queue.append(child)
    assert end in previous, f"{end} does not descend from {start} in the manifest"
    path = [end]
    while (parent := previous[path[-1]]) is not None:
        path.append(parent)
    return path[::-1]


def plain(text: str) -> str:
    """Markdown source or rendered text reduced to comparable words."""
    return " ".join(re.sub(r"[`*_]", "", text).split())


def site_errors(console_errors: list[str]) -> list[str]:
    """Console errors, less the dbt-docs app's own: its index.html requests two Angular templates
    before they are rendered ({{ getIcon(...) }}) and a webpack favicon placeholder (${require(...)}),
    which 404 whatever the project."""
    return [error for error in console_errors if not re.search(r"status of 404 .* http\S*%7B", error)]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def open_node(page: browser.Page, unique_id: str, manifest: dict[str, Any]) -> dict[str, Any]:
    """Go to a node's page (as clicking a link does: the hash changes) and read it once rendered."""
    name = display_name(unique_id, manifest)
    page.evaluate(f"location.hash = {json.dumps(node_page(unique_id))}")
    page.wait_until(
        "(() => { const h = document.querySelector('.app-body[ui-view] h1');"
        f" return !!h && h.innerText.trim().split(/\\s+/)[0] === {json.dumps(name)}; }})()",
        what=f"the page of {unique_id}",
    )
    # The reference lists fill in within the same render; wait until at least one has links.
    return page.wait_until(
        f"(() => {{ const r = {REFERENCE_LISTS_JS.strip()}; "
        "return Object.keys(r.referenced_by).length + Object.keys(r.depends_on).length > 0 ? r : null; })()",
        what=f"the reference lists of {unique_id}",
    )


def links(page_state: dict[str, Any], section: str) -> set[tuple[str, str]]:
    return {(name, href) for entries in page_state[section].values() for name, href in entries}


def test_the_score_mart_page_shows_its_name_description_and_neighbours(docs_url, manifest, tmp_path):
    mart = manifest["nodes"][MART_ID]
    with browser.open_page(CHROMIUM, timeout=BROWSER_TIMEOUT_SECONDS) as page:
        page.navigate(docs_url + node_page(MART_ID))
        state = open_node(page, MART_ID, manifest)
        text = state["text"]
        first_shot = page.screenshot(tmp_path / "fct_lead_scores.png", full_page=False)
        # The "Depends On" list as a reader sees it: its Models tab, scrolled into the middle.
        page.evaluate(
            "(() => { const section = document.querySelector('#depends_on').closest('section');"
            " section.querySelector('ul.nav-tabs > li > a').click();"
            " section.scrollIntoView({block: 'center'}); })()"
        )
        second_shot = page.screenshot(tmp_path / "fct_lead_scores_depends_on.png", full_page=False)
    assert site_errors(page.console_errors()) == []

    assert state["title"].split()[0] == "fct_lead_scores"
    assert "table" in state["title"]
    assert plain(mart["description"]) in plain(text)
    for heading in ("Description", "Columns", "Referenced By", "Depends On", "total_score", "tier"):
        assert heading in text

    depends_on = links(state, "depends_on")
    assert ("fct_lead_score_ledger", node_page(LEDGER_ID)) in depends_on
    assert ("int_leads_scored_by_date", node_page(f"model.{PROJECT}.int_leads_scored_by_date")) in depends_on
    parent_models = {node for node in mart["depends_on"]["nodes"] if node.startswith("model.")}
    assert {href for _, href in depends_on} >= {node_page(node) for node in parent_models}
    referenced_by = links(state, "referenced_by")
    assert (
        "revops_lead_routing_dashboard",
        node_page(f"exposure.{PROJECT}.revops_lead_routing_dashboard"),
    ) in (referenced_by)

    for shot in (first_shot, second_shot):
        width, height = png_size(shot)
        assert width >= 1280 and height >= 600


def test_lineage_from_the_crm_source_to_the_score_mart(docs_url, manifest):
    # through staging: the shortest chain would pass the volume guard's ledger (models/audit)
    path = (
        lineage_path(manifest, SOURCE_ID, LEAD_VERSIONS_ID)
        + lineage_path(manifest, LEAD_VERSIONS_ID, FIT_ID)[1:]
        + [LEDGER_ID, MART_ID]
    )
    assert [display_name(node, manifest) for node in path][:4] == [
        "crm.leads",
        "base_inputs__leads",
        "base_crm__lead_versions",
        "stg_crm__lead_versions",
    ]
    assert LEDGER_ID in manifest["child_map"][FIT_ID] and MART_ID in manifest["child_map"][LEDGER_ID]

    with browser.open_page(CHROMIUM, timeout=BROWSER_TIMEOUT_SECONDS) as page:
        page.navigate(docs_url + node_page(SOURCE_ID))
        pages = {node: open_node(page, node, manifest) for node in path}
    assert site_errors(page.console_errors()) == []

    source = manifest["sources"][SOURCE_ID]
    assert pages[SOURCE_ID]["title"].startswith("crm.leads")
    assert plain(source["description"]) in plain(pages[SOURCE_ID]["text"])
    assert "SOURCE\ncrm" in pages[SOURCE_ID]["text"]
    for parent, child in zip(path, path[1:], strict=False):
        child_link = (display_name(child, manifest), node_page(child))
        parent_link = (display_name(parent, manifest).split(".")[-1], node_page(parent))
        assert child_link in links(pages[parent], "referenced_by"), (parent, pages[parent])
        assert parent_link in links(pages[child], "depends_on"), (child, pages[child])
