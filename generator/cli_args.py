"""The `dossier` command line's words: its commands and their options (`parser`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import __version__
from .diagnostics import FORMATS
from .export import FORMATS as EXPORT_FORMATS
from .types import TYPES_TABLE

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


def _format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", dest="diag_format", choices=FORMATS, default="text",
                   help="how problems are printed: text lines on stderr (default), GitHub "
                        "workflow annotations or a JSON array on stdout")


def _progress_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--progress", choices=["auto", "bar", "lines", "off"], default="auto",
                   help="progress on stderr: a bar on a terminal, plain lines elsewhere for "
                        f"dossiers of {BIG_DOSSIER:,} profiles or more (auto, the default)")


def _job_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return value


def _jobs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", type=_job_count, default=None, metavar="N",
                   help="processes that load, render and build (default: one per core, "
                        f"at most {MAX_JOBS}; 1: no helper processes)")


def command_line() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dossier", description="The `dossier` command: a thin shell over the pipeline.")
    parser.add_argument("--version", action="version", version=f"dossier {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="validate the content only")
    _common(p)
    _format_option(p)
    _jobs_option(p)
    p = sub.add_parser("build", help="validate, render and build the site")
    _common(p)
    _format_option(p)
    p.add_argument("--site-dir", type=Path, default=Path("site"), metavar="DIR")
    _progress_option(p)
    _jobs_option(p)
    p = sub.add_parser("render", help="write the Markdown tree and its mkdocs.yml")
    _common(p)
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    _progress_option(p)
    _jobs_option(p)
    p = sub.add_parser("serve", help="live preview that reloads on edits")
    _common(p)
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT")
    p.add_argument("--jobs", type=_job_count, default=None, metavar="N",
                   help="processes that rebuild the pages an edit changed (default: one per "
                        f"core, at most {MAX_JOBS}; 1: no helper processes)")
    p = sub.add_parser("new", help="scaffold a profile file")
    names = [t.name for t in TYPES_TABLE]
    p.add_argument("type", help=", ".join(names[:-1]) + " or " + names[-1])
    p.add_argument("name", help="the display name")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    p = sub.add_parser("export", help="export the linked dossier")
    _common(p, strict=False)
    p.add_argument("--format", choices=EXPORT_FORMATS, default="json",
                   help="json (default); stix: a STIX 2.1 bundle; ftm: FollowTheMoney JSON lines; "
                        "csv: a zip of CSV files (needs -o)")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="FILE")
    p = sub.add_parser("pdf", help="print the briefing book (a PDF, by headless Chromium)")
    _common(p, strict=False)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    p.add_argument("--chromium", type=Path, default=None, metavar="PATH",
                   help="the Chromium program (default: $DOSSIER_CHROMIUM, else chromium on PATH)")
    p = sub.add_parser("schema", help="JSON Schemas of content files, for editors")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--type", choices=[*names, "dossier"], default=None,
                       help="print the schema of this type's files only")
    which.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="write a schema per type and yaml.schemas.json (for .vscode/settings.json)")
    p.add_argument("--content", type=Path, default=None, metavar="DIR",
                   help="enumerate this content folder's ids in reference fields")
    p.add_argument("--config", type=Path, default=None, metavar="DIR",
                   help="site configuration folder (default: ./site_config, else the built-in one)")
    return parser
