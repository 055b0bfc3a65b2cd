"""`dossier serve`: live preview.

The Markdown tree is rendered into `.dossier/serve/`; MkDocs' own live-reload
server serves it. A watcher re-runs the pipeline when anything under the content,
templates or site configuration changes and rewrites only the pages whose text
changed, which MkDocs picks up and reloads in the browser. When an edit breaks
the content, the errors are printed and the tree is left alone, so the last good
site keeps being served.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from .build import write_tree
from .config import DEFAULT_TEMPLATES_DIR
from .pipeline import Options, run

SERVE_DIR = Path(".dossier/serve")


def refresh(opts: Options, tree: Path) -> bool:
    """Re-render into `tree`; False (and the tree untouched) when the content fails."""
    from .cli import report

    result = run(opts)
    if result.site is None or result.failed(opts.strict):
        report(result.diags, opts.strict)
        print("dossier: still serving the last good site", file=sys.stderr)
        return False
    changed = write_tree(result.site, tree, opts.config_dir)
    print(f"dossier: regenerated; {changed} file(s) changed", file=sys.stderr)
    return True


def watched_paths(opts: Options) -> list[Path]:
    paths = [opts.content_dir, opts.config_dir, DEFAULT_TEMPLATES_DIR]
    if opts.templates_dir:
        paths.append(opts.templates_dir)
    return [p for p in paths if p.exists()]


def _watch(opts: Options, tree: Path, stop: threading.Event) -> None:
    from watchfiles import watch

    for _changes in watch(*watched_paths(opts), stop_event=stop, debounce=200, step=50):
        refresh(opts, tree)


def serve(opts: Options, dev_addr: str) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve

    tree = SERVE_DIR.resolve()
    if not refresh(opts, tree):
        return 1
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(opts, tree, stop), daemon=True)
    watcher.start()
    try:
        mkdocs_serve(config_file=str(tree / "mkdocs.yml"), livereload=True, dev_addr=dev_addr)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
    return 0
