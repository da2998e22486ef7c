"""The progress bar (stderr) of a long push and the summary it prints at the end (stdout)."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

BAR_WIDTH = 30
# A push of more records than one batch shows a bar; on a terminal it is redrawn at most this often,
# elsewhere (a log file) a line is written every tenth of the way.
REDRAW_SECONDS = 0.2


class Progress:
    def __init__(self, label: str, total: int, batch_size: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.shown = total > batch_size
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self._tenths = 0

    def advance(self, count: int) -> None:
        self.done += count
        if not self.shown:
            return
        now = time.monotonic()
        if self.tty:
            if now - self._drawn_at >= REDRAW_SECONDS or self.done >= self.total:
                self._drawn_at = now
                self.stream.write("\r" + self._line(now))
                self.stream.flush()
            return
        tenths = self.done * 10 // max(self.total, 1)
        if tenths > self._tenths:
            self._tenths = tenths
            self.stream.write(self._line(now) + "\n")
            self.stream.flush()

    def _line(self, now: float) -> str:
        share = self.done / max(self.total, 1)
        filled = int(share * BAR_WIDTH)
        return (
            f"{self.label:<20} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{self.done:,}/{self.total:,} {share:4.0%} {now - self.started:5.0f} s"
        )

    def close(self) -> None:
        if self.shown and self.tty:
            self.stream.write("\n")
            self.stream.flush()


@dataclass
class ObjectSummary:
    name: str
    records: int = 0
    pending: int = 0
    unchanged: int = 0
    not_matchable: int = 0
    updated: int = 0
    created: int = 0
    confirmed: int = 0  # read back after an interrupted push: the CRM held the values
    cleared: int = 0  # records of leads that left the input, their fields cleared (also in updated)
    gone: int = 0  # records to clear that the CRM no longer has
    failed: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # a message per failure code

    @property
    def sent(self) -> int:
        return self.updated + self.created

    def lines(self) -> list[str]:
        parts = [f"sent {self.sent:,} (updated {self.updated:,}, created {self.created:,})"]
        parts.append(f"failed {sum(self.failed.values()):,}")
        parts.append(f"unchanged {self.unchanged:,}")
        if self.confirmed:
            parts.append(f"confirmed after an interrupted push {self.confirmed:,}")
        if self.cleared or self.gone:
            parts.append(
                f"cleared (lead left the input) {self.cleared:,}, already gone from the CRM {self.gone:,}"
            )
        if self.not_matchable:
            parts.append(f"not sent (known by no CRM id, no external id field) {self.not_matchable:,}")
        lines = [f"{self.name:<20} " + ", ".join(parts)]
        for code, count in self.failed.most_common():
            lines.append(f"{'':<22}failed {code}: {count:,} (e.g. {self.examples.get(code, '')[:160]})")
        return lines
