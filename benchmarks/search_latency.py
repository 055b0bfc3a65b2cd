"""A reader's first search result, in headless Chromium: from the page's load event to the
first result shown, and the JavaScript heap then.

The home page is opened (from disk, `file://`, or from a server on 127.0.0.1), the search
dialog opened with Material's `s` shortcut as soon as the page has loaded and the query
typed; a MutationObserver notes when the first result appears. From `file://` the search
worker runs in an iframe (the iframe-worker shim) in the page's own V8 isolate, so the
heap measured there (CDP `Runtime.getHeapUsage`, after a garbage collection, once every
summary is indexed) holds the index too; from a server the worker is a real Worker, whose
heap is not counted.

    python benchmarks/search_latency.py SITE_DIR QUERY [--runs 3]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"

#: set up before typing: {shown: a promise of performance.now() when a result item appears}
#: (in an object: a handle to a bare promise would wait for it)
WATCH = """() => ({ shown: new Promise(resolve => {
  const found = () => document.querySelector(".md-search-result__item");
  if (found()) return resolve(performance.now());
  new MutationObserver((_, observer) => {
    if (found()) { observer.disconnect(); resolve(performance.now()); }
  }).observe(document.body, { childList: true, subtree: true });
}) })"""


#: Dossier's worker has indexed every summary (true at once for Material's lunr worker)
SETTLED = """() => [...document.querySelectorAll("iframe")].every(f => {
  const w = f.contentWindow;
  return !w || !w.texts || !w.rows || w.texts.documentCount >= w.rows.length;
})"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def first_result(browser: object, url: str, query: str) -> tuple[float, float]:
    """(seconds from the load event to the first result, MB of JS heap used once the index
    is whole: from disk, the worker's too)."""
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(url, wait_until="load", timeout=300_000)
        watcher = page.evaluate_handle(WATCH)
        page.keyboard.press("s")
        box = page.locator("input.md-search__input")
        box.fill(query, timeout=600_000)  # a page busy loading a large index may not answer for long
        box.press("End", timeout=600_000)  # Material reads the query on keyup
        shown = page.evaluate("w => w.shown", watcher)
        loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        if url.startswith("file:"):  # Dossier's worker, in the shim's iframe: its summaries indexed too
            page.wait_for_function(SETTLED, timeout=600_000)
        cdp = page.context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        heap = cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6
        return (shown - loaded) / 1000, heap
    finally:
        page.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("query")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    root = args.site.resolve()
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = {"file": (root / "index.html").as_uri(),
            "http": f"http://127.0.0.1:{server.server_address[1]}/index.html"}
    out: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for mode, url in urls.items():
            runs = [first_result(browser, url, args.query) for _ in range(args.runs)]
            out[mode] = {"first_result_s": statistics.median(r[0] for r in runs),
                         "heap_mb": statistics.median(r[1] for r in runs)}
        browser.close()
    server.shutdown()
    index = [root / "search" / name for name in ("search_index.json", "entries.js")]
    out["index_kb"] = {"total": sum(p.stat().st_size for p in index if p.exists()) / 1024}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
