"""Headless Chromium (Debian's, never a Playwright download) over sites served on loopback."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"

playwright_api = pytest.importorskip("playwright.sync_api")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Served:
    """A built site served from 127.0.0.1, and its folder for file:// use."""

    root: Path
    url: str


def serve(root: Path) -> Iterator[Served]:
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(root, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser-deps)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-background-networking", "--disable-component-update"])
        yield b
        b.close()


@dataclass
class Watch:
    """Every request a page made and every console error it logged."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def check(self) -> None:
        for url in self.requests:
            parts = urlsplit(url)
            assert parts.scheme in ("file", "data", "blob", "about") or \
                parts.hostname == "127.0.0.1", f"request left the machine: {url}"
        assert not self.errors, self.errors


@pytest.fixture
def page(browser: object) -> Iterator[tuple[object, Watch]]:
    context = browser.new_context()  # type: ignore[attr-defined]
    pg = context.new_page()
    watch = Watch()
    pg.on("request", lambda r: watch.requests.append(r.url))
    pg.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: watch.errors.append(str(e)))
    yield pg, watch
    context.close()


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The default dossier (content/) built once per test process and served from
    127.0.0.1: for browser tests that read the shipped dossier as a reader would."""
    from generator.cli import main

    out = tmp_path_factory.mktemp("default-site") / "site"
    content = Path(__file__).resolve().parents[2] / "content"
    assert main(["build", "--content", str(content), "--site-dir", str(out)]) == 0
    yield from serve(out)


def search(pg: object, query: str) -> None:
    """Open Material's search dialog on the page `pg` shows, type `query`, and wait for the
    first result."""
    pg.keyboard.press("s")  # type: ignore[attr-defined]  # Material's shortcut opens the dialog
    box = pg.locator("input.md-search__input")  # type: ignore[attr-defined]
    box.wait_for(state="visible")
    box.fill(query)
    box.press("End")  # Material reads the query on keyup, which fill() does not send
    pg.locator(".md-search-result__item a").first.wait_for(timeout=15000)  # type: ignore[attr-defined]
