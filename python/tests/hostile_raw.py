"""Hostile raw lines of issue 9, appended to a copy of the messy fixture by the tests that read them
(test_strict_reader.py on DuckDB and Spark, test_warehouses.py through the PostgreSQL loader).

Each line reproduces a defect: a stray quote, a field too many or too few, numbers too large for
their type, decimal commas, a quoted line break, ids differing only in case, a NUL byte, a lone CR,
a Latin-1 byte, a future lead, an event before its lead, a unicode email; plus an empty line (no
record, but it counts for the line numbers) and a CRLF line ending.
"""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "fixtures"

GOOD_DATES = "2026-05-01T00:00:00Z,2026-05-01T00:00:00Z"
# leads.csv has 18 lines: these are lines 19 to 30
HOSTILE_LEADS = [
    f"L020,big@example.com,Big,Co,Analyst,Example,Retail,99999999999999999999999,,US,web,{GOOD_DATES}".encode(),
    f"L021,rich@example.com,Rich,Co,Analyst,Example,Retail,10,99999999999999999999999,US,web,{GOOD_DATES}".encode(),
    f'L022,dec@example.com,Dec,Comma,Analyst,Example,Retail,10,"1,5",US,web,{GOOD_DATES}'.encode(),
    f'L023,eu@example.com,Eu,Grouping,Analyst,Example,Retail,10,"1.500,50",US,web,{GOOD_DATES}'.encode(),
    f"L024,josé@exämple.com,José,Unicode,Analyst,Example,Retail,10,1200.5,US,web,{GOOD_DATES}".encode(),
    b"L025,future@example.com,Fu,Ture,Analyst,Example,Retail,10,,US,web,2099-01-01T00:00:00Z,",
    f"L026,upper@example.com,Up,Per,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}".encode(),
    f"l026,lower@example.com,Low,Er,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}".encode(),
    f"L027,nul@example.com,Nul\x00,Byte,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}".encode(),
    f"L028,latin@example.com,Jos\xe9,Latin,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}".encode("latin-1"),
    f'L029,sep@example.com,Sep,Arated,Analyst,Example,Retail,"1,200",,US,web,{GOOD_DATES}'.encode(),
    # the stray quote of the issue, last line of the file
    f'L050,stray@example.com,Stray,"Quote,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}'.encode(),
]
# appended after the last line of events.csv (39 lines: its own events, the sales touches and the
# product events P001-P011): lines 40 to 50 (E100 spans 42 and 43, line 49 is empty); the tests
# count these numbers from the end of the fixture (test_strict_reader.FIRST_HOSTILE_EVENT_LINE)
HOSTILE_EVENTS = [
    b"E240,L003,page_view,2026-06-29T10:00:00Z,/compare?ids=3,4,",
    b"E241,L003",
    b'E100,L001,page_view,2026-06-29T10:00:00Z,"/pricing\nsecond line",30',
    b"E221,L003,page_view,2026-06-29T10:00:00Z,/a,5",
    b"e221,L003,page_view,2026-06-29T10:00:00Z,/a,5",
    b"E230,L001,page_view,2026-01-01T00:00:00Z,/early,5",
    b"E231,L003,page_view,2026-06-29T10:00:00Z,/long,99999999",
    b"E232,L003,page_view,2026-06-29T10:00:00Z,/cr\rhere,5",
    b"",
    b"E233,L003,page_view,2026-06-29T10:00:00Z,/crlf,5\r",
]
# a stray quote on line 4 of leads.csv: the quote runs to the end of the file, no line can be trusted
UNRECOVERABLE_QUOTE = HOSTILE_LEADS[-1]


def append_lines(path: Path, lines: list[bytes]) -> None:
    with open(path, "ab") as handle:
        handle.write(b"\n".join(lines) + b"\n")


def hostile_copy(destination: Path) -> Path:
    """A copy of the messy fixture in destination/messy with the hostile lines appended."""
    raw = destination / "messy"
    shutil.copytree(FIXTURES / "messy", raw)
    append_lines(raw / "leads.csv", HOSTILE_LEADS)
    append_lines(raw / "events.csv", HOSTILE_EVENTS)
    return raw


def unrecoverable_copy(destination: Path) -> Path:
    """A copy of the messy fixture in destination/messy with UNRECOVERABLE_QUOTE as line 4 of leads.csv."""
    raw = destination / "messy"
    shutil.copytree(FIXTURES / "messy", raw)
    lines = (raw / "leads.csv").read_bytes().split(b"\n")
    lines.insert(3, UNRECOVERABLE_QUOTE)
    (raw / "leads.csv").write_bytes(b"\n".join(lines))
    return raw
