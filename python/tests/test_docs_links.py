"""The README and the pages under docs/: every relative link points at a file that exists, every
#anchor at a heading of its target, the README stays a short map and links every page.

Pure Python, no dbt: it reads the Markdown files only. External http(s) links are not fetched.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
DOCS = REPO / "docs"
README_MAX_LINES = 300

FENCE = re.compile(r"^(```|~~~)")
INLINE_CODE = re.compile(r"`+[^`]*`+")
# [text](target) and ![alt](target); a title after the target ("...") is allowed.
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:, ...


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, with their line numbers."""
    lines, in_fence = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line.lstrip()):
            in_fence = not in_fence
            continue
        if not in_fence:
            lines.append((number, line))
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped (letters, digits, `_`, `-` and
    spaces kept), spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading keeps its text
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def anchors(path: Path) -> set[str]:
    """Every anchor GitHub gives the headings of a Markdown file (repeats get -1, -2, ...)."""
    seen: dict[str, int] = {}
    result = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def links(path: Path) -> list[tuple[int, str]]:
    """The link targets of a Markdown file (not inside code), with their line numbers."""
    found = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for match in LINK.finditer(INLINE_CODE.sub("", line)):
            found.append((number, match.group(1)))
    return found


def checked_files() -> list[Path]:
    """README.md, every docs/*.md, and any other Markdown file they link to."""
    files = [README, *sorted(DOCS.glob("*.md"))]
    index = 0
    while index < len(files):
        for _, target in links(files[index]):
            if EXTERNAL.match(target) or target.startswith("#"):
                continue
            linked = (files[index].parent / target.split("#", 1)[0]).resolve()
            if linked.suffix == ".md" and linked.is_file() and linked not in files:
                files.append(linked)
        index += 1
    return files


def broken_links(path: Path) -> list[str]:
    problems = []
    for number, target in links(path):
        if EXTERNAL.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        where = f"{path.relative_to(REPO)}:{number}: {target}"
        if not linked.exists():
            problems.append(f"{where}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            problems.append(f"{where}: no heading with the anchor #{anchor} in {linked.name}")
    return problems


@pytest.mark.parametrize("path", checked_files(), ids=lambda path: str(path.relative_to(REPO)))
def test_relative_links_point_at_existing_files_and_headings(path: Path) -> None:
    assert broken_links(path) == []


def test_readme_is_a_short_map() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines; keep it under {README_MAX_LINES} and move topics to docs/"
    )


def test_every_docs_page_is_linked_from_the_readme() -> None:
    linked = {
        (REPO / target.split("#", 1)[0]).resolve()
        for _, target in links(README)
        if not EXTERNAL.match(target) and not target.startswith("#")
    }
    unlinked = [page.name for page in sorted(DOCS.glob("*.md")) if page.resolve() not in linked]
    assert unlinked == [], f"docs pages the README does not link to: {unlinked}"


def test_the_slug_rule_matches_github() -> None:
    cases = {
        "Two scoring models: `default` and `pql`": "two-scoring-models-default-and-pql",
        "Weights learned from outcomes: `make weights`": "weights-learned-from-outcomes-make-weights",
        "Replaying the 20,000-lead sample day by day": "replaying-the-20000-lead-sample-day-by-day",
        "Stages only move forward; a skip is recorded": "stages-only-move-forward-a-skip-is-recorded",
        "`apply_weights` and `make test`": "apply_weights-and-make-test",
    }
    assert {heading: slug(heading) for heading in cases} == cases
