"""Progress lines of a long generation run, one per step as it ends, like dbt's log lines."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

LINE_WIDTH = 64


class Progress:
    """Prints ``HH:MM:SS  <step> ....... <rows> rows in <s>s`` through `emit` (nothing when None)."""

    def __init__(self, emit: Callable[[str], None] | None) -> None:
        self.emit = emit

    @contextmanager
    def step(self, label: str) -> Iterator[dict[str, object]]:
        """Time the block; the block sets result["rows"] (and optionally result["note"])."""
        result: dict[str, object] = {}
        started = time.perf_counter()
        yield result
        if self.emit is None:
            return
        seconds = time.perf_counter() - started
        rows = result.get("rows")
        outcome = f"{rows:,} rows in {seconds:.2f}s" if isinstance(rows, int) else f"done in {seconds:.2f}s"
        note = result.get("note")
        if note:
            outcome += f" ({note})"
        clock = time.strftime("%H:%M:%S", time.gmtime())
        self.emit(f"{clock}  {label} {'.' * max(3, LINE_WIDTH - len(label))} [{outcome}]")
