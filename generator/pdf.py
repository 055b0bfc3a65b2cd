"""`dossier pdf`: the briefing book (`pdf_book`) printed to PDF by headless Chromium.

Why Chromium and not WeasyPrint (measured on this machine, 2 cores shared with other
work; the same book HTML given to both): the default dossier's 227 pages took Chromium
7 s (6 s of CPU; its largest process 330 MB) and WeasyPrint 69 s (464 MB). Both drew the
SVG pictures, Cyrillic and the headers alike; WeasyPrint's files were smaller (1.3 MB
against 6.7 MB: Chromium's is a tagged PDF, readable aloud) and it alone puts page
numbers in the contents (`target-counter`), which Chromium ignores: the contents are
links, and the PDF's outline (bookmarks) gives each chapter and profile with its page.
Chromium is also what the browser tests already use, Debian's package.

Chromium's layout of one document grows faster than its length (measured on the
benchmark's generated dossiers, one document: 300 profiles, 1,408 pages, 94 s and 1.0 GB;
1,000 profiles, 4,709 pages, 15 minutes, its renderer near 8 GB), so the book is printed
in parts of at most `pdf_book.PART_PROFILES` (100) profiles, each by its own Chromium
run, and joined by `pdf_parts` (pypdf): bookmarks, links between parts, the structure
tree (tags) and page numbers ("k / N", laid over from a printed document of numbered
empty pages) as one document would have them. A book of 100 profiles or fewer is one
part: the same path. Measured 2026-11-30 on today's generator (its books are shorter
than those above), the machine shared with other work: 300 profiles (955 pages) 71 s
and a 1.8 GB renderer printed whole, 83 s in parts, its largest process (pypdf joining)
1.6 GB; 1,000 profiles (3,193 pages, 174 MB) 7.8 minutes in parts, Chromium's renderer
sampled near 1 GB, but pypdf's join of the tagged parts peaked at 5.1 GB: the join,
not Chromium, is now what grows (see benchmarks/RESULTS.md, "PDF").

Chromium stamps the clock on the PDF (`/CreationDate`, `/ModDate`); both are set to
the content's own date afterwards (`_content_dated`), same length, so the offsets of
the file stay right; Chromium's PDF writer adds no random id, so the same content,
Chromium and fonts print the same bytes (another Chromium or other fonts may not);
pypdf joins the parts deterministically (no date, no random id; the first part's dates).

The output file follows `dossier export -o`'s rules (`outputs.check_file`,
`outputs.write_file`: never inside the inputs, written whole or not at all).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import outputs
from .config import SiteConfig
from .dates import PartialDate
from .diagnostics import Diagnostic, Loc
from .link import LinkedDossier
from .pdf_book import book_html, numbers_html
from .pdf_parts import joined, page_count
from .pipeline import Options
from .template_errors import TemplateFailures

#: where Chromium is looked for, when neither --chromium nor DOSSIER_CHROMIUM names it
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ENV = "DOSSIER_CHROMIUM"
INSTALL_HINT = ("Install Debian's chromium (`apt-get install chromium`, or `make browser-deps`), "
                f"or name the program with --chromium PATH (or {CHROMIUM_ENV}).")
#: Chromium's switches for printing a local file: nothing fetched, nothing kept
CHROMIUM_SWITCHES = (
    "--headless", "--disable-gpu", "--no-pdf-header-footer", "--generate-pdf-document-outline",
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-extensions", "--disable-sync", "--mute-audio",
)
_PDF_DATE_RE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})\+00'00'\)")
STDERR_SHOWN = 5  # lines of Chromium's own messages a failure shows


class PrintFailed(Exception):
    """The book could not be made: its templates failed, or Chromium did not print it."""

    def __init__(self, problems: list[Diagnostic]) -> None:
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def find_chromium(named: Path | None) -> Path | Diagnostic:
    """The Chromium program to print with, or the located error saying what to install."""
    if named is None and os.environ.get(CHROMIUM_ENV):
        named = Path(os.environ[CHROMIUM_ENV])
    if named is not None:
        found = shutil.which(str(named))
        return Path(found) if found else Diagnostic(
            "error", Loc(str(named)), "cannot print the PDF: no Chromium program here", INSTALL_HINT)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return Diagnostic("error", Loc("chromium"), "cannot print the PDF: Chromium is not installed",
                      INSTALL_HINT)


def book_pdf(linked: LinkedDossier, config: SiteConfig, opts: Options, chromium: Path,
             part_size: int | None = None) -> bytes:
    """The briefing book of `linked` (the edition's dossier), printed part by part and
    joined (`pdf_parts`); raises PrintFailed. `part_size`: profiles per part
    (`pdf_book.PART_PROFILES`)."""
    try:
        book = book_html(linked, config, opts.templates_dir, jobs=opts.jobs, part_size=part_size)
    except TemplateFailures as exc:
        raise PrintFailed(exc.problems) from None
    parts = [print_pdf(part, chromium, book.date) for part in book.parts]
    numbers = print_pdf(numbers_html(config, sum(map(page_count, parts))), chromium, None)
    return joined(parts, book.continued, numbers)


def print_pdf(book: str, chromium: Path, date: PartialDate | None) -> bytes:
    """The book's HTML printed by `chromium` (see the module docstring); raises PrintFailed."""
    with outputs.temporary_folder("dossier-render-", Path(tempfile.gettempdir())) as work:
        page, pdf = work / "book.html", work / "book.pdf"
        page.write_text(book, encoding="utf-8")
        command = [str(chromium), *CHROMIUM_SWITCHES, f"--user-data-dir={work / 'profile'}",
                   f"--print-to-pdf={pdf}", page.as_uri()]
        if os.geteuid() == 0:  # Chromium refuses to run as root with its sandbox
            command.insert(1, "--no-sandbox")
        try:
            done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, env={**os.environ, "TZ": "UTC"}, check=False)
        except OSError as exc:
            raise PrintFailed([Diagnostic("error", Loc(str(chromium)),
                                          f"cannot print the PDF: {exc.strerror}", INSTALL_HINT)]) from None
        if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            raise PrintFailed([_failure(chromium, done)])
        return _content_dated(pdf.read_bytes(), date)


def _failure(chromium: Path, done: subprocess.CompletedProcess[bytes]) -> Diagnostic:
    said = [line for line in done.stderr.decode("utf-8", "replace").splitlines()
            if line.strip() and "dbus" not in line][-STDERR_SHOWN:]
    return Diagnostic("error", Loc(str(chromium)),
                      f"Chromium did not print the book (exit status {done.returncode})"
                      + ("".join(f"\n  {line}" for line in said)),
                      "Check that this program is Chromium and runs here (`chromium --version`).")


def _content_dated(pdf: bytes, date: PartialDate | None) -> bytes:
    """`pdf` with the creation and modification dates of its information dictionary set to
    the content's own date (midnight UTC of its last day), the same number of bytes."""
    if date is None:
        return pdf
    stamp = date.end().strftime("%Y%m%d").encode() + b"000000"
    return _PDF_DATE_RE.sub(lambda m: b"/" + m.group(1) + b" (D:" + stamp + b"+00'00')", pdf, count=2)


def write_pdf(path: Path, data: bytes, keep: dict[str, Path]) -> Diagnostic | None:
    """Write the PDF to `path` under `dossier export -o`'s rules; the problem, or None."""
    problem = outputs.check_file(path, keep)  # again: printing took time
    if problem is not None:
        return problem
    try:
        outputs.write_file(path, data)
    except OSError as exc:
        return outputs.cannot_write(path, exc)
    return None
