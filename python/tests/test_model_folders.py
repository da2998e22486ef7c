"""The model folders follow the order of the work (issue 25), checked as text, without dbt.

- the layers read only earlier layers: staging, then audit (the raw volume guard), then intermediate,
  then marts, then reports;
- the folders of models/intermediate/ read each other without a loop, each only folders earlier
  in FOLDER_ORDER: rules, leads, events, run_planning, states, scoring, accounts, calibration,
  then activation and lifecycle (which read leads and staging only);
- a model that reads a table a previous run left through a macro (previous_run_relation, or a
  macro that calls it) names every such table in `config.meta.reads_previous_run_of` in its YAML.

A read is a ref() inside a Jinja tag of the model's SQL: the body, its `-- depends_on:` comments
and its hooks alike.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
MACROS = REPO / "macros"

LAYER_ORDER = ("staging", "audit", "intermediate", "marts", "reports")
# The order of the work. A new folder under models/intermediate/ takes its place here.
FOLDER_ORDER = (
    "rules",
    "leads",
    "events",
    "run_planning",
    "states",
    "scoring",
    "accounts",
    "calibration",
    "activation",
    "lifecycle",
)

JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
REF = re.compile(r"\bref\(\s*['\"]([^'\"]+)['\"]\s*(?:,\s*['\"]([^'\"]+)['\"]\s*)?[,)]")
MACRO = re.compile(r"\{%-?\s*macro\s+(\w+)\s*\((.*?)\{%-?\s*endmacro", re.S)
CALL = re.compile(r"\b(\w+)\(")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PREVIOUS_RUN = re.compile(r"\bprevious_run_relation\(\s*['\"](\w+)['\"]\s*\)")


def _jinja(text: str) -> str:
    """The Jinja tags of a file, comments left out: where dbt sees ref() and macro calls."""
    return "\n".join(JINJA_TAG.findall(JINJA_COMMENT.sub("", text)))


@cache
def _model_paths() -> dict[str, Path]:
    paths: dict[str, Path] = {}
    for path in sorted(MODELS.rglob("*.sql")):
        assert path.stem not in paths, f"two models named {path.stem}: {paths[path.stem]}, {path}"
        paths[path.stem] = path
    return paths


def _folder(model: str) -> str:
    """`staging`, `marts` or `reports`, or `intermediate/<area>`."""
    parts = _model_paths()[model].relative_to(MODELS).parts
    return "/".join(parts[:2]) if parts[0] == "intermediate" else parts[0]


@cache
def _reads() -> dict[str, set[str]]:
    """Each model and the models it reads (refs to seeds left out)."""
    models = _model_paths()
    seeds = {path.stem for path in (REPO / "seeds").rglob("*.csv")}
    reads = {}
    for name, path in models.items():
        refs = {match[1] or match[0] for match in REF.findall(_jinja(path.read_text()))}
        unknown = refs - models.keys() - seeds
        assert not unknown, f"{path.relative_to(REPO)} reads {sorted(unknown)}: no such model or seed"
        reads[name] = refs & models.keys()
    return reads


def _folder_edges() -> dict[tuple[str, str], list[str]]:
    """(reading folder, read folder) -> the model reads behind it, between different folders."""
    edges: dict[tuple[str, str], list[str]] = {}
    for model, parents in _reads().items():
        for parent in parents:
            edge = (_folder(model), _folder(parent))
            if edge[0] != edge[1]:
                edges.setdefault(edge, []).append(f"{model} reads {parent}")
    return edges


def _intermediate_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for reader, read in _folder_edges():
        if reader.startswith("intermediate/") and read.startswith("intermediate/"):
            graph.setdefault(reader.split("/")[1], set()).add(read.split("/")[1])
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for successor in sorted(graph.get(node, ())):
            if state.get(successor) == 1:
                return path[path.index(successor) :] + [successor]
            if successor not in state and (found := visit(successor)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_models_are_found_and_read_each_other():
    assert len(_model_paths()) > 50
    assert sum(len(parents) for parents in _reads().values()) > 100


def test_every_intermediate_folder_has_its_place_in_the_order():
    folders = {path.name for path in (MODELS / "intermediate").iterdir() if path.is_dir()}
    assert folders == set(FOLDER_ORDER), (
        f"folders not in FOLDER_ORDER: {sorted(folders - set(FOLDER_ORDER))}; "
        f"in FOLDER_ORDER but gone: {sorted(set(FOLDER_ORDER) - folders)}"
    )


def test_layers_read_only_earlier_layers():
    wrong = {
        edge: reads
        for edge, reads in _folder_edges().items()
        if LAYER_ORDER.index(edge[0].split("/")[0]) < LAYER_ORDER.index(edge[1].split("/")[0])
    }
    assert not wrong, f"a layer reads a later one: {wrong}"


def test_intermediate_folders_have_no_loop():
    cycle = _cycle(_intermediate_graph())
    assert cycle is None, "intermediate folders read each other in a loop: " + " reads ".join(cycle)


def test_intermediate_folders_read_only_earlier_folders():
    wrong = {
        (reader, read): _folder_edges()[(f"intermediate/{reader}", f"intermediate/{read}")]
        for reader, reads in _intermediate_graph().items()
        for read in reads
        if FOLDER_ORDER.index(read) > FOLDER_ORDER.index(reader)
    }
    assert not wrong, f"an intermediate folder reads a later one (FOLDER_ORDER): {wrong}"


def test_a_loop_between_folders_is_found():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def macro_reads(pattern: re.Pattern[str]) -> dict[str, set[str]]:
    """Each macro and what `pattern` finds in its Jinja (its first group), through the macros it
    calls too: the tables of a previous run it reads, the vars it reads."""
    bodies = {}
    for path in MACROS.rglob("*.sql"):
        for name, body in MACRO.findall(JINJA_COMMENT.sub("", path.read_text())):
            bodies[name] = _jinja(body)
    reads = {name: set(pattern.findall(body)) for name, body in bodies.items()}
    calls = {name: set(CALL.findall(body)) & bodies.keys() - {name} for name, body in bodies.items()}
    changed = True
    while changed:
        changed = False
        for name in bodies:
            reached = set().union(*(reads[called] for called in calls[name])) - reads[name]
            if reached:
                reads[name] |= reached
                changed = True
    return reads


@cache
def _macro_previous_run_reads() -> dict[str, set[str]]:
    return macro_reads(PREVIOUS_RUN)


def _declared_previous_run_reads() -> dict[str, set[str]]:
    declared = {}
    for path in MODELS.rglob("*.yml"):
        text = path.read_text()
        if "reads_previous_run_of" not in text:  # parsing every YAML would take a second
            continue
        for model in (yaml.load(text, Loader=SAFE_LOADER) or {}).get("models") or []:
            meta = (model.get("config") or {}).get("meta") or {}
            if "reads_previous_run_of" in meta:
                declared[model["name"]] = set(meta["reads_previous_run_of"])
    return declared


def test_reads_of_a_previous_run_are_declared_in_the_yaml():
    macro_reads = _macro_previous_run_reads()
    assert macro_reads["score_history_bounds"] == {"fct_lead_score_history"}
    found = {}
    for name, path in _model_paths().items():
        sql = _jinja(path.read_text())
        tables = set(PREVIOUS_RUN.findall(sql)).union(
            *(macro_reads.get(called, set()) for called in CALL.findall(sql))
        )
        if tables:
            found[name] = tables
    assert "int_scoring_dates" in found
    assert found == _declared_previous_run_reads(), (
        "config.meta.reads_previous_run_of differs from the tables the models read through macros"
    )
