"""The `dossier` command: a thin shell over the pipeline.

Diagnostics go to stderr as `path:line:column: severity: message`, then a
one-line summary; exit status 1 when the content fails (errors, or warnings
under --strict), 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from . import __version__
from .build import BuildError, Spool, build_site, site_dir_problem, write_tree
from .config import DEFAULT_CONFIG_DIR
from .diagnostics import Diagnostics
from .pipeline import Options, Result, check, collecting_as_usual, collecting_less, run
from .progress import Progress

#: below this many profiles a build is quick, and its non-terminal log stays as it was
BIG_DOSSIER = 1000
MAX_JOBS = 4


def _common(p: argparse.ArgumentParser, strict: bool = True, edition: bool = True) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                   help="the content folder (default: content)")
    p.add_argument("--config", type=Path, default=None, metavar="DIR",
                   help="site configuration folder (default: ./site_config, else the built-in one)")
    p.add_argument("--templates", type=Path, default=None, metavar="DIR",
                   help="your own templates; a file here overrides the built-in one of that name")
    if strict:
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    if edition:
        p.add_argument("--edition", default="full",
                       help="which edition to publish: full (default) or public (up to TLP:GREEN)")


def _progress_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--progress", choices=["auto", "bar", "lines", "off"], default="auto",
                   help="progress on stderr: a bar on a terminal, plain lines elsewhere for "
                        f"dossiers of {BIG_DOSSIER:,} profiles or more (auto, the default)")


def _progress(args: argparse.Namespace) -> Progress:
    """The progress reporter the command line asks for (see `--progress`)."""
    mode = getattr(args, "progress", "off")
    if mode == "auto":
        tty = sys.stderr.isatty()
        return Progress(sys.stderr, "bar" if tty else "lines", quiet_below=0 if tty else BIG_DOSSIER)
    return Progress(sys.stderr, mode)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dossier", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"dossier {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="validate the content only")
    _common(p)
    p = sub.add_parser("build", help="validate, render and build the site")
    _common(p)
    p.add_argument("--site-dir", type=Path, default=Path("site"), metavar="DIR")
    _progress_option(p)
    p = sub.add_parser("render", help="write the Markdown tree and its mkdocs.yml")
    _common(p)
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    _progress_option(p)
    p = sub.add_parser("serve", help="live preview that reloads on edits")
    _common(p)
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT")
    p = sub.add_parser("new", help="scaffold a profile file")
    p.add_argument("type", help="person, agency, domain, event, installation, country or source")
    p.add_argument("name", help="the display name")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    p = sub.add_parser("export", help="export the linked dossier")
    _common(p, strict=False)
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="FILE")
    sub.add_parser("schema", help="print the JSON Schema of content files")
    return parser


def _options(args: argparse.Namespace) -> Options:
    config = args.config
    if config is None:
        config = Path("site_config") if (Path("site_config") / "vocabularies.yml").exists() \
            else DEFAULT_CONFIG_DIR
    return Options(
        content_dir=args.content,
        config_dir=config,
        templates_dir=args.templates,
        edition=getattr(args, "edition", "full"),
        strict=getattr(args, "strict", False),
    )


def report(diags: Diagnostics, strict: bool = False) -> None:
    """Print every diagnostic, then the summary line, to stderr."""
    for d in diags.sorted():
        print(d.format(), file=sys.stderr)
    verdict = "failed" if diags.failed(strict) else "ok"
    suffix = " (--strict: warnings count as errors)" if strict and diags.warnings else ""
    print(f"dossier: {verdict}: {diags.summary()}{suffix}", file=sys.stderr)


def _run_checked(opts: Options, render: bool, progress: Progress | None = None) -> Result | None:
    result = run(opts, progress) if render else check(opts)
    if progress is not None:
        progress.finish()
    report(result.diags, opts.strict)
    return None if result.failed(opts.strict) else result


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":  # a long-running process: the collector as usual
        return _main(args)
    with collecting_less():
        return _main(args)


def _main(args: argparse.Namespace) -> int:
    if args.command == "schema":
        from .export import json_schema

        print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
        return 0
    if args.command == "new":
        from .scaffold import new_profile

        return new_profile(args.content, args.type, args.name)
    opts = _options(args)
    if args.command != "serve":  # no threads in these commands: forking helpers is safe
        opts.jobs = min(os.cpu_count() or 1, MAX_JOBS)
    if args.command == "check":
        return 0 if _run_checked(opts, render=False) else 1
    if args.command == "export":
        from .export import export_json

        result = _run_checked(opts, render=False)
        if result is None or result.linked is None:
            return 1
        text = json.dumps(export_json(result.linked), indent=2, ensure_ascii=False) + "\n"
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if args.command == "serve":
        from .serve import serve

        return serve(opts, args.dev_addr)
    progress = _progress(args)
    # where render workers write pages: beside the tree (render) or the temporary tree (build),
    # so that moving them in is a rename; removed whatever happens
    near = Path(args.out).resolve().parent if args.command == "render" else Path(tempfile.gettempdir())
    near.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".dossier-spool-", dir=near) as folder:
        spool = Spool(Path(folder))
        opts.sink = spool
        return _render_or_build(args, opts, progress, spool)


def _render_or_build(args: argparse.Namespace, opts: Options, progress: Progress,
                     spool: Spool) -> int:
    result = _run_checked(opts, render=True, progress=progress)
    if result is None or result.site is None:
        return 1
    if args.command == "render":
        write_tree(result.site, args.out, opts.config_dir, progress, spool=spool)
        print(f"dossier: wrote {len(result.site.page_paths())} pages and mkdocs.yml to {args.out}",
              file=sys.stderr)
        return 0
    problem = site_dir_problem(args.site_dir, {
        "the content folder": opts.content_dir, "the site configuration": opts.config_dir,
        "the working folder": Path.cwd()})
    if problem:
        print(f"dossier: error: {problem}; choose another --site-dir", file=sys.stderr)
        return 1
    site, pages = result.site, len(result.site.page_paths())
    result.site = result.linked = None  # MkDocs needs only the tree on disk: free the model first
    try:
        with collecting_as_usual():
            build_site(site, opts.config_dir, args.site_dir, progress=progress, spool=spool)
    except BuildError as exc:
        progress.finish()
        print(f"dossier: mkdocs build failed; {args.site_dir} left as it was:\n{exc}",
              file=sys.stderr)
        return 1
    print(f"dossier: built {pages} pages into {args.site_dir}", file=sys.stderr)
    return 0


def entry_point() -> None:
    """The `dossier` command: `main`, then exit without tearing the heap down.

    Why: after a build of 10,000 profiles the interpreter would spend a second
    freeing millions of objects one by one at exit; the operating system takes
    the whole process back at once. Output is flushed first. (`main` itself
    returns normally, for callers in the same process, such as the tests.)
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry_point()
