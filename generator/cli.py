"""The `dossier` command: a thin shell over the pipeline.

Diagnostics go to stderr as `path:line:column: severity: message`, then a
one-line summary; exit status 1 when the content fails (errors, or warnings
under --strict) or an output path is refused (see `outputs`), 2 for a wrong
command line, 128 + the signal's number when stopped by SIGTERM or SIGINT (after
removing its temporary folders).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from . import outputs
from .build import BuildError, build_site, write_tree
from .cli_args import BIG_DOSSIER, MAX_JOBS, command_line
from .config import DEFAULT_CONFIG_DIR
from .diagnostics import Diagnostic, Diagnostics, Format, Loc, report
from .gc_control import garbage_collector
from .pipeline import Options, Result, check, run
from .progress import Progress
from .spool import Spool, spool_for
from .types import TYPES_TABLE


def _progress(args: argparse.Namespace) -> Progress:
    """The progress reporter the command line asks for (see `--progress`)."""
    mode = getattr(args, "progress", "off")
    if mode == "auto":
        tty = sys.stderr.isatty()
        return Progress(sys.stderr, "bar" if tty else "lines", quiet_below=0 if tty else BIG_DOSSIER)
    return Progress(sys.stderr, mode)


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


def _run_checked(opts: Options, render: bool, progress: Progress | None = None,
                 problems: list[Diagnostic] | None = None, fmt: Format = "text") -> Result | None:
    """Run the pipeline and report; None when it failed. `problems` found before (in the
    command line's paths) are reported with the content's, and the content not rendered."""
    result = run(opts, progress) if render and not problems else check(opts)
    result.diags.items += problems or []
    if progress is not None:
        progress.finish()
    report(result.diags, opts.strict, fmt)
    return None if result.failed(opts.strict) else result


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGINT in the main process: unwinds like Ctrl-C, so `finally` blocks
    and context managers remove the temporary folders (`except KeyboardInterrupt` sees it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stopping_in_order() -> Iterator[None]:
    """SIGTERM and SIGINT raise `Stopped` in this process; a forked worker (render's Pool,
    `parallel`'s helpers) that gets one exits at once, running none of this process's
    cleanup. After the first signal, more are ignored while the cleanup runs (SIGKILL
    still stops it; the next run then removes what was left, see `outputs.remove_stale`).
    """
    if threading.current_thread() is not threading.main_thread():  # signals reach only it
        yield
        return
    main_pid = os.getpid()

    def stop(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != main_pid:
            os._exit(128 + signum)
        for each in (signal.SIGTERM, signal.SIGINT):
            signal.signal(each, signal.SIG_IGN)
        raise Stopped(signum)

    before = {each: signal.signal(each, stop) for each in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for each, handler in before.items():
            signal.signal(each, handler)


def main(argv: list[str] | None = None) -> int:
    parser = command_line()
    args = parser.parse_args(argv)
    if getattr(args, "format", None) == "csv" and args.output is None:  # export's, no terminal zip
        parser.error("--format csv writes a zip file: name it with -o FILE.zip")
    if args.command == "serve":  # a long-running process: the collector as usual
        return _main(args)
    try:
        with _stopping_in_order(), garbage_collector(paused=True):
            return _main(args)
    except Stopped as stopped:
        name = signal.Signals(stopped.signum).name
        print(f"dossier: stopped by {name}; temporary files removed", file=sys.stderr)
        return 128 + stopped.signum


def _path_problems(args: argparse.Namespace, opts: Options) -> list[Diagnostic]:
    """What is wrong with the folders and files the command line names, before any work:
    a missing --templates folder, an output Dossier must not write (see `outputs`)."""
    problems: list[Diagnostic | None] = []
    templates = opts.templates_dir
    if templates is not None and not templates.is_dir():
        what = "a file, not a folder" if os.path.lexists(templates) else "no folder"
        problems.append(Diagnostic(
            "error", Loc(str(templates)), f"--templates names {what}",
            "Name the folder that holds your .md.j2 templates, or leave out --templates."))
    keep = outputs.inputs(opts.content_dir, opts.config_dir, opts.templates_dir)
    if args.command == "build":
        problems.append(outputs.check_folder(args.site_dir, "site", keep))
    elif args.command == "render":
        problems.append(outputs.check_folder(args.out, "tree", keep))
    elif args.command == "serve":
        from .serve import SERVE_DIR, address_problem

        problems.append(outputs.check_folder(SERVE_DIR, "tree", keep))
        problems.append(address_problem(args.dev_addr))
    elif args.command in ("export", "pdf") and args.output is not None:
        problems.append(outputs.check_file(args.output, keep))
    return [p for p in problems if p is not None]


def _main(args: argparse.Namespace) -> int:
    if args.command == "schema":
        return _schema(args)
    if args.command == "new":
        from .scaffold import new_profile

        return new_profile(args.content, args.type, args.name)
    opts = _options(args)
    if args.command != "serve":  # no threads in these commands: forking helpers is safe
        opts.jobs = getattr(args, "jobs", None) or min(os.cpu_count() or 1, MAX_JOBS)
    problems = _path_problems(args, opts)
    if args.command == "check" or problems:
        return 0 if _run_checked(opts, render=False, problems=problems,
                                 fmt=getattr(args, "diag_format", "text")) else 1
    if args.command == "export":
        return _export(args, opts)
    if args.command == "pdf":
        return _pdf(args, opts)
    if args.command == "serve":
        from .serve import serve

        return serve(opts, args.dev_addr, jobs=args.jobs or min(os.cpu_count() or 1, MAX_JOBS))
    progress = _progress(args)
    try:
        with spool_for(args.out if args.command == "render" else None) as spool:
            opts.sink = spool
            return _render_or_build(args, opts, progress, spool)
    except OSError as exc:
        return _failed(outputs.cannot_write(args.out if args.command == "render" else args.site_dir, exc))


def _schema(args: argparse.Namespace) -> int:
    """`dossier schema [--type TYPE | --out DIR] [--content DIR]`."""
    from .config import load_config
    from .editor_schema import ids_by_type, schema_files, type_schema, whole_schema

    diags = Diagnostics()
    config_dir = _options(argparse.Namespace(config=args.config, content=args.content,
                                             templates=None)).config_dir
    config = load_config(config_dir, diags)
    if config is None:
        report(diags)
        return 1
    ids = ids_by_type(args.content) if args.content is not None else None
    if args.out is None:
        schema = type_schema(args.type, config, ids) if args.type else whole_schema(config, ids)
        print(json.dumps(schema, indent=2, ensure_ascii=False))
        return 0
    keep = outputs.inputs(args.content or Path("content"), config_dir, None)
    problem = outputs.check_folder(args.out, "schemas", keep)
    if problem is not None:
        return _failed(problem)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, text in schema_files(config, args.out, args.content or Path("content"), ids).items():
            outputs.write_file(args.out / name, text.encode("utf-8"))
        outputs.mark(args.out, "schemas")
    except OSError as exc:
        return _failed(outputs.cannot_write(args.out, exc))
    print(f"dossier: wrote {len(TYPES_TABLE) + 1} schemas and yaml.schemas.json to {args.out}",
          file=sys.stderr)
    return 0


def _failed(problem: Diagnostic) -> int:
    report(Diagnostics([problem]))
    return 1


def _export(args: argparse.Namespace, opts: Options) -> int:
    from .export import export_bytes

    result = _run_checked(opts, render=False)
    if result is None or result.linked is None:
        return 1
    data = export_bytes(result.linked, args.format)
    if not args.output:
        sys.stdout.write(data.decode("utf-8"))
        return 0
    problem = outputs.check_file(args.output, outputs.inputs(
        opts.content_dir, opts.config_dir, opts.templates_dir))  # again: time has passed
    if problem is not None:
        return _failed(problem)
    try:
        outputs.write_file(args.output, data)
    except OSError as exc:
        return _failed(outputs.cannot_write(args.output, exc))
    return 0


def _pdf(args: argparse.Namespace, opts: Options) -> int:
    """`dossier pdf -o FILE`: the briefing book (generator/pdf.py)."""
    from .pdf import PrintFailed, book_pdf, find_chromium, write_pdf

    chromium = find_chromium(args.chromium)
    if isinstance(chromium, Diagnostic):
        return _failed(chromium)
    result = _run_checked(opts, render=False)
    if result is None or result.linked is None or result.config is None:
        return 1
    print(f"dossier: printing the briefing book of {len(result.linked.entities):,} profiles with "
          f"{chromium}", file=sys.stderr)  # a minute or more for a large dossier: say so
    try:
        data = book_pdf(result.linked, result.config, opts, chromium)
    except PrintFailed as failed:
        report(Diagnostics(failed.problems))
        return 1
    problem = write_pdf(args.output, data, outputs.inputs(opts.content_dir, opts.config_dir,
                                                          opts.templates_dir))
    if problem is not None:
        return _failed(problem)
    print(f"dossier: printed the briefing book to {args.output}", file=sys.stderr)
    return 0


def _render_or_build(args: argparse.Namespace, opts: Options, progress: Progress,
                     spool: Spool) -> int:
    result = _run_checked(opts, render=True, progress=progress,
                          fmt=getattr(args, "diag_format", "text"))
    if result is None or result.site is None:
        return 1
    if args.command == "render":
        try:
            write_tree(result.site, args.out, opts.config_dir, progress, spool=spool)
        except outputs.OutputRefused as refused:
            return _failed(refused.diagnostic)
        print(f"dossier: wrote {len(result.site.page_paths())} pages and mkdocs.yml to {args.out}",
              file=sys.stderr)
        return 0
    site, pages = result.site, len(result.site.page_paths())
    result.site = result.linked = None  # MkDocs needs only the tree on disk: free the model first
    keep = outputs.inputs(opts.content_dir, opts.config_dir, opts.templates_dir)
    try:
        with garbage_collector(paused=False):  # MkDocs makes cyclic garbage in bulk
            build_site(site, opts.config_dir, args.site_dir, progress=progress, spool=spool,
                       keep=keep, jobs=opts.jobs)
    except outputs.OutputRefused as refused:  # the folder changed while the site was rendered
        return _failed(refused.diagnostic)
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
