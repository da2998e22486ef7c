"""Looking at the page in headless Chromium (Chrome DevTools protocol over a pipe: no extra package)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lead_scoring.report.browser import MAX_SCREENSHOT_HEIGHT, BrowserError, open_page

IMAGE_STATE_JS = """
(async () => {
  const images = Array.from(document.images);
  const decoded = await Promise.all(images.map(img => img.decode().then(() => true, () => false)));
  return images.map((img, i) => ({
    name: img.dataset.chart || img.alt,
    complete: img.complete,
    decoded: decoded[i],
    naturalWidth: img.naturalWidth,
    naturalHeight: img.naturalHeight,
    shownWidth: Math.round(img.getBoundingClientRect().width),
    shownHeight: Math.round(img.getBoundingClientRect().height),
  }));
})()
"""


@dataclass(frozen=True)
class ImageState:
    name: str
    complete: bool
    decoded: bool
    natural_width: int
    natural_height: int
    shown_width: int
    shown_height: int

    @property
    def rendered(self) -> bool:
        return (
            self.complete
            and self.decoded
            and min(self.natural_width, self.natural_height, self.shown_width) > 0
        )


@dataclass(frozen=True)
class PageInspection:
    """What a person opening the page would get: its images, console errors and outside requests."""

    title: str
    images: tuple[ImageState, ...]
    console_errors: tuple[str, ...]
    external_requests: tuple[str, ...]
    page_width: int
    page_height: int
    screenshot: Path | None = None

    @property
    def problems(self) -> list[str]:
        found = [f"chart {image.name!r} did not render" for image in self.images if not image.rendered]
        found += [f"console error: {message}" for message in self.console_errors]
        found += [f"request outside the page: {url}" for url in self.external_requests]
        return found


def inspect_page(
    html_path: Path, screenshot: Path | None = None, chromium: str | None = None, timeout: float = 30.0
) -> PageInspection:
    """Open ``html_path`` in headless Chromium and report what rendered; optionally save a full-page PNG."""
    page_url = html_path.resolve().as_uri()
    with open_page(chromium, timeout) as page:
        page.navigate(page_url)
        try:
            states = page.evaluate(IMAGE_STATE_JS, await_promise=True)
        except BrowserError as error:
            raise BrowserError(f"checking the images failed: {error}") from error
        title = page.evaluate("document.title") or ""
        width, height = page.layout_size()
        if screenshot is not None:
            page.screenshot(screenshot, MAX_SCREENSHOT_HEIGHT)
    images = tuple(
        ImageState(
            name=str(state["name"]),
            complete=bool(state["complete"]),
            decoded=bool(state["decoded"]),
            natural_width=int(state["naturalWidth"]),
            natural_height=int(state["naturalHeight"]),
            shown_width=int(state["shownWidth"]),
            shown_height=int(state["shownHeight"]),
        )
        for state in states or []
    )
    return PageInspection(
        title=str(title),
        images=images,
        console_errors=tuple(page.console_errors()),
        external_requests=tuple(page.external_requests(page_url)),
        page_width=width,
        page_height=height,
        screenshot=screenshot,
    )
