"""Headless Chromium driven over the Chrome DevTools protocol on a pipe (no extra Python package).

    with open_page() as page:
        page.navigate("file:///.../calibration_report.html")
        title = page.evaluate("document.title")
        page.screenshot(Path("page.png"))
    page.console_errors()

Needs a Chromium binary: Debian's ``chromium`` (scripts/install_chromium.sh), or $CHROMIUM_PATH.
Used by the calibration report's ``--screenshot`` check (check.py) and by the tests that look at
pages as a person would (the docs site).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import math
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--window-size=1280,900",
    "--remote-debugging-pipe",
)
NOT_INSTALLED = "Chromium is not installed: run scripts/install_chromium.sh (Debian package chromium)"
MAX_SCREENSHOT_HEIGHT = 16000


def find_chromium() -> str | None:
    """Path of a Chromium binary: $CHROMIUM_PATH, else the first of CHROMIUM_NAMES on PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(Exception):
    """Chromium could not be started or did not answer in time."""


@dataclass
class DevTools:
    """A minimal Chrome DevTools protocol client over --remote-debugging-pipe (fd 3 in, fd 4 out)."""

    process: subprocess.Popen
    to_browser: int
    from_browser: int
    deadline: float
    events: list[dict[str, Any]] = field(default_factory=list)
    _buffer: bytes = b""
    _next_id: int = 0

    def _read_message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self.from_browser], [], [], min(remaining, 0.5))
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise BrowserError(f"Chromium closed the DevTools pipe (exit code {self.process.poll()})")
                self._buffer += chunk
            elif self.process.poll() is not None:
                raise BrowserError(f"Chromium exited with code {self.process.returncode}")
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self._next_id += 1
        request: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        payload = json.dumps(request).encode() + b"\0"
        while payload:
            payload = payload[os.write(self.to_browser, payload) :]
        while True:
            message = self._read_message()
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method: str, session: str, since: int = 0) -> dict[str, Any]:
        """The first event ``method`` of ``session`` from the ``since``-th event received on."""
        seen = since
        while True:
            for event in self.events[seen:]:
                if event["method"] == method and event.get("sessionId") == session:
                    return event
            seen = max(len(self.events), since)
            message = self._read_message()
            if "method" in message:
                self.events.append(message)

    def drain(self, seconds: float) -> None:
        """Collect the events that arrive within ``seconds`` (late console errors)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.from_browser], [], [], max(end - time.monotonic(), 0))
            if not ready:
                break
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                break
            self._buffer += chunk
            while b"\0" in self._buffer:
                message, self._buffer = self._buffer.split(b"\0", 1)
                parsed = json.loads(message)
                if "method" in parsed:
                    self.events.append(parsed)


def _high_fd(fd: int) -> int:
    return fcntl.fcntl(fd, fcntl.F_DUPFD, 10)


def console_errors(events: Sequence[dict[str, Any]], session: str) -> list[str]:
    """Uncaught exceptions, console.error/assert calls and error log entries of a page session."""
    errors = []
    for event in events:
        if event.get("sessionId") != session:
            continue
        params = event.get("params", {})
        if event["method"] == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            errors.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
        elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(
                " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            )
        elif event["method"] == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            errors.append(f"{entry.get('text', '')} {entry.get('url', '')}".strip())
    return errors


def external_requests(events: Sequence[dict[str, Any]], session: str, page_url: str) -> list[str]:
    """Requests of a page session to anything but the page itself and data:/about: URLs."""
    urls = [
        event["params"]["request"]["url"]
        for event in events
        if event.get("sessionId") == session and event["method"] == "Network.requestWillBeSent"
    ]
    return [url for url in urls if url != page_url and not url.startswith(("data:", "about:"))]


@dataclass
class Page:
    """One tab of the headless browser (a DevTools session with Page, Runtime, Log, Network on)."""

    devtools: DevTools
    session: str

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.devtools.call(method, params, session=self.session)

    def navigate(self, url: str) -> None:
        """Load ``url`` and wait for its load event."""
        since = len(self.devtools.events)
        self.call("Page.navigate", {"url": url})
        self.devtools.wait_for("Page.loadEventFired", self.session, since)

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable values only)."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": await_promise, "returnByValue": True},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            description = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"evaluating {expression[:80]!r} failed: {description}")
        return result["result"].get("value")

    def wait_until(self, expression: str, timeout: float = 15.0, what: str | None = None) -> Any:
        """Poll a JavaScript expression until it is truthy (pages that render after their load event)."""
        end = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > end:
                raise BrowserError(f"timed out after {timeout:.0f}s waiting for {what or expression}")
            time.sleep(0.1)

    def layout_size(self) -> tuple[int, int]:
        """Width and height of the whole page, in CSS pixels."""
        metrics = self.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        return math.ceil(size["width"]), math.ceil(size["height"])

    def screenshot(self, path: Path, max_height: int = MAX_SCREENSHOT_HEIGHT, full_page: bool = True) -> Path:
        """Save a PNG of the page (the whole page up to ``max_height`` px, or the window)."""
        params: dict[str, Any] = {"format": "png", "fromSurface": True}
        if full_page:
            width, height = self.layout_size()
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {
                    "width": max(width, 1280),
                    "height": min(height, max_height),
                    "deviceScaleFactor": 1,
                    "mobile": False,
                },
            )
            params["captureBeyondViewport"] = True
        shot = self.call("Page.captureScreenshot", params)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def console_errors(self) -> list[str]:
        return console_errors(self.devtools.events, self.session)

    def external_requests(self, page_url: str) -> list[str]:
        return external_requests(self.devtools.events, self.session, page_url)


@contextlib.contextmanager
def open_page(chromium: str | None = None, timeout: float = 30.0) -> Iterator[Page]:
    """A fresh headless Chromium (own temporary profile) with one blank tab; closed on exit.

    ``timeout`` bounds the whole session: any call after it raises BrowserError. On leaving, late
    events are collected for 0.3 s, so ``page.console_errors()`` after the block sees them too.
    """
    binary = chromium or find_chromium()
    if binary is None:
        raise BrowserError(NOT_INSTALLED)
    with tempfile.TemporaryDirectory(prefix="lead-scoring-chromium-") as profile:
        command_read, command_write = os.pipe()
        reply_read, reply_write = os.pipe()

        def child_fds() -> None:  # runs in the child before exec: its DevTools pipe must be fds 3 and 4
            high_read, high_write = _high_fd(command_read), _high_fd(reply_write)
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        log_path = Path(profile) / "chromium.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                preexec_fn=child_fds,  # the caller is single-threaded: no fork-safety issue
                close_fds=False,
            )
        os.close(command_read)
        os.close(reply_write)
        devtools = DevTools(process, command_write, reply_read, time.monotonic() + timeout)
        try:
            target = devtools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = devtools.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log", "Network"):
                devtools.call(f"{domain}.enable", session=session)
            yield Page(devtools, session)
            devtools.drain(0.3)
            with contextlib.suppress(BrowserError, OSError):
                devtools.call("Browser.close")
        except BrowserError as error:
            log_tail = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
            raise BrowserError(f"{error}\n{log_tail}".strip()) from error
        finally:
            os.close(command_write)
            os.close(reply_read)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
