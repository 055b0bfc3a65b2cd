"""`dossier pdf`: the briefing book, printed by Debian's Chromium and read back with
poppler's `pdftotext` (both from `make browser-deps`).

The default dossier is printed once per session and shared; the editions, hostile and
mini fixtures make the rest (small books). Text is compared with its white space taken
out: a name may be wrapped anywhere in a table cell.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from jinja2 import meta
from pypdf import PdfReader

from generator.codes import code_of
from generator.config import DEFAULT_CONFIG_DIR, DEFAULT_TEMPLATES_DIR, SiteConfig
from generator.page_templates import PageTemplates
from generator.pages import SiteContext, page_path
from generator.pages.base import TYPE_LABELS
from generator.pdf import _content_dated
from generator.pdf_book import TEMPLATES, Book, BookView, book_html, book_view, highest_marking
from generator.pdf_links import BOOK_URI, book_anchor, page_part
from generator.pipeline import Options, check
from generator.types import TYPES_TABLE

from .conftest import FIXTURES, ROOT, ContentFactory, cli, linked
from .test_editions import CONTENT as EDITIONS
from .test_editions import canaries

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PDFTOTEXT = shutil.which("pdftotext")
needs_printing = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or PDFTOTEXT is None,
    reason="Debian's chromium and poppler-utils (pdftotext) are not installed (make browser-deps)")


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    assert PDFTOTEXT is not None
    return subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
ALIASES_SHOWN = 400  # characters after "Also known as:" that hold a profile's aliases


def drawn(name: str, text: str, alias_lines: list[str]) -> bool:
    """Whether `name` is in the book's text. A right-to-left name is checked letter by
    letter in the text after some "Also known as:": pdftotext writes such text in the
    order it is drawn, a ligature's letters too (لأ comes out as أل)."""
    if not RIGHT_TO_LEFT.search(name):
        return squeezed(name) in text
    return any(not Counter(squeezed(name)) - Counter(line[:ALIASES_SHOWN]) for line in alias_lines)


Printer = Callable[..., tuple[Path, str]]


def one_document(book: Book) -> str:
    """A small book's HTML: one part."""
    assert len(book.parts) == 1 and book.continued == (0,)
    return book.parts[0]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printer:
    """Print a content folder's book (once per arguments in this module): its path and text."""
    made: dict[tuple[str, ...], tuple[Path, str]] = {}

    def make(content: Path, *args: str) -> tuple[Path, str]:
        key = (str(content), *args)
        if key not in made:
            out = tmp_path_factory.mktemp("pdf") / "book.pdf"
            from generator.cli import main

            assert main(["pdf", "--content", str(content), "-o", str(out), *args]) == 0
            made[key] = out, pdf_text(out)
        return made[key]

    return make


@pytest.fixture(scope="session")
def default_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The default dossier's book, printed once per session."""
    from generator.cli import main

    out = tmp_path_factory.mktemp("default-book") / "book.pdf"
    assert main(["pdf", "--content", str(ROOT / "content"), "-o", str(out)]) == 0
    return out, pdf_text(out)


@pytest.fixture(scope="module")
def default_dossier(site_config: SiteConfig) -> SiteContext:
    dossier, _ = linked(ROOT / "content", site_config)
    return SiteContext(dossier)


# --- the default dossier's book -----------------------------------------------------------


@needs_printing
def test_every_profile_and_alias_is_in_the_book(default_book: tuple[Path, str],
                                                default_dossier: SiteContext) -> None:
    text = squeezed(default_book[1])
    alias_lines = [squeezed(line) for line in text.split("Alsoknownas:")[1:]]
    missing = [(e.id, name) for e in default_dossier.linked.entities.values()
               for name in (e.name, *e.aliases) if not drawn(name, text, alias_lines)]
    assert missing == []
    assert "Александр Новак".replace(" ", "") in text  # Cyrillic, drawn and extractable
    assert "中华人民共和国" in text  # and Chinese (fonts-wqy-microhei)


@needs_printing
def test_key_judgments_questions_and_references_are_in_the_book(
        default_book: tuple[Path, str], default_dossier: SiteContext) -> None:
    text = squeezed(default_book[1])
    d = default_dossier.linked.dossier
    assert d.key_judgments and d.questions
    missing = [c.text.text for c in d.key_judgments if squeezed(c.text.text) not in text]
    missing += [q.text.text for q in d.questions if squeezed(q.text.text) not in text]
    assert missing == []
    sources = default_dossier.linked.of_type("source")
    # each source's numbered reference entry: "1. Title, publisher, date (locators)"
    cited = [s for s in sources if s.id in default_dossier.linked.cited_by]
    assert cited and all(squeezed(s.text("title") or s.name) in text for s in cited)
    assert text.count("References") >= len(default_dossier.linked.entities) // 2


@needs_printing
def test_every_page_has_the_marking_and_its_number(default_book: tuple[Path, str]) -> None:
    pages = default_book[1].split("\f")[:-1]  # pdftotext ends each page with a form feed
    assert len(pages) > 100
    unmarked = [n for n, page in enumerate(pages, 1)
                if page.count("TLP:CLEAR") < 2 or f"{n} / {len(pages)}" not in page]
    assert unmarked == []
    cover = pages[0]
    assert "Russian intelligence in Venezuela" in cover and "30 November 2026" in cover  # content's date
    assert "Contents" in pages[1]


#: the sections of a profile page (entity.md.j2's level-two headings)
SECTION_HEADINGS = {"Roles", "Relations", "Linked from other profiles", "Timeline", "Network", "Claims",
                    "Open questions", "Cited by", "Mentioned in", "References"}


@needs_printing
def test_no_page_ends_with_a_heading(default_book: tuple[Path, str]) -> None:
    """A heading is printed on the page of the table or list it introduces."""
    ends = []
    for n, page in enumerate(default_book[1].split("\f")[:-1], 1):
        lines = [line.strip() for line in page.splitlines()]
        body = [x for x in lines if x and x != "TLP:CLEAR" and not re.fullmatch(r"\d+ / \d+", x)]
        if body and body[-1] in SECTION_HEADINGS:
            ends.append((n, body[-1]))
    assert ends == []


@needs_printing
def test_the_pdf_has_a_bookmark_per_chapter(default_book: tuple[Path, str]) -> None:
    """Chromium writes no page numbers in the contents; the PDF's outline gives them."""
    pdf = default_book[0].read_bytes()
    assert b"/Outlines" in pdf
    assert all(b"/Title (%s)" % plural.encode() in pdf for _, plural in TYPE_LABELS.values())


@needs_printing
def test_the_book_carries_the_contents_date_not_the_clock(default_book: tuple[Path, str]) -> None:
    metadata = PdfReader(default_book[0]).metadata
    assert metadata is not None and metadata.creation_date and metadata.modification_date
    assert (metadata.creation_date.date(), metadata.modification_date.date()) == (date(2026, 11, 30),) * 2
    # and no other date anywhere in the file (a part's own, say; pypdf writes ':' as \072)
    dates = re.findall(rb"/(?:CreationDate|ModDate) ?\(D(?::|\\072)(\d{8})", default_book[0].read_bytes())
    assert set(dates) == {b"20261130"}


def test_pdf_dates_are_set_to_the_content_date_in_the_same_number_of_bytes() -> None:
    from generator.dates import PartialDate

    pdf = (b"%PDF-1.4\n1 0 obj\n<</CreationDate (D:20991231235959+00'00')\n"
           b"/ModDate (D:20991231235959+00'00')>>")
    dated = _content_dated(pdf, PartialDate(2024, 5))
    assert len(dated) == len(pdf)
    assert dated.count(b"(D:20240531000000+00'00')") == 2
    assert _content_dated(pdf, None) == pdf


# --- editions and hostile content ----------------------------------------------------------


@needs_printing
@pytest.mark.parametrize("edition", ["full", "public"])
def test_the_public_book_holds_no_canary_and_the_full_one_every_one(printed: Printer, edition: str) -> None:
    path, text = printed(EDITIONS, "--edition", edition)
    # the raw file too: PDF metadata (the title) is not in pdftotext's output
    raw = path.read_bytes().decode("latin-1")
    found = [c for c in canaries() if squeezed(c) in squeezed(text) or c in raw]
    if edition == "public":
        assert found == []
        assert "TLP:AMBER" not in text and "TLP:RED" not in text
    else:
        missing = sorted(set(canaries()) - set(found))
        # ids are never shown as text in a book (only as anchors, which pdftotext does not read)
        assert [c for c in missing if not re.fullmatch(r"[a-z-]+", c)] == []


@needs_printing
def test_hostile_text_is_printed_as_text(printed: Printer) -> None:
    _, text = printed(FIXTURES / "hostile")
    flat = squeezed(text)
    for payload in ("Evil</title><script>alert('name')</script>", "<img src=x onerror=alert(22)>",
                    "Chief <script>alert(30)</script>"):
        assert squeezed(payload) in flat


def test_hostile_book_html_has_no_active_markup(site_config: SiteConfig) -> None:
    """The book's HTML (before printing): content never becomes an element or attribute."""
    result = check(Options(content_dir=FIXTURES / "hostile", config_dir=DEFAULT_CONFIG_DIR))
    assert result.linked is not None and not result.failed(strict=False)
    soup = BeautifulSoup(one_document(book_html(result.linked, site_config, None)), "lxml")
    assert soup.select("script, iframe, object, embed, form, details, math") == []
    attributes = [(tag.name, name) for tag in soup.find_all(True) for name in tag.attrs
                  if name.lower().startswith("on")]
    assert attributes == []
    hrefs = [a["href"] for a in soup.select("[href]")]
    assert [h for h in hrefs if not h.startswith(("#", "https://", "http://", "mailto:"))] == []
    names = [h.get_text() for h in soup.select("section.book-profile > h2:first-child")]
    assert "Evil</title><script>alert('name')</script>\"><svg onload=alert(20)> | cell " \
           "[x](javascript:alert(21))" in names


# --- the output path and the engine --------------------------------------------------------


def test_an_output_inside_the_content_folder_is_refused(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    content = shutil.copytree(FIXTURES / "mini", tmp_path / "content")
    before = sorted(p.relative_to(content) for p in content.rglob("*"))
    code, _, err = cli(capsys, "pdf", "--content", str(content), "-o", str(content / "book.pdf"))
    assert code == 1
    assert f"{content / 'book.pdf'}: error: not used for the output file: it is inside the " \
           f"content folder ({content})" in err
    assert "Traceback" not in err
    assert sorted(p.relative_to(content) for p in content.rglob("*")) == before


@pytest.mark.parametrize("how", ["option", "environment"])
def test_without_chromium_a_located_error_says_what_to_install(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        how: str) -> None:
    nothing = tmp_path / "no-chromium-here"
    args = ["pdf", "--content", str(FIXTURES / "mini"), "-o", str(tmp_path / "book.pdf")]
    if how == "option":
        args += ["--chromium", str(nothing)]
    else:
        monkeypatch.setenv("DOSSIER_CHROMIUM", str(nothing))
    code, _, err = cli(capsys, *args)
    assert code == 1
    assert f"{nothing}: error: cannot print the PDF: no Chromium program here" in err
    assert "Install Debian's chromium" in err and "Traceback" not in err
    assert code_of("cannot print the PDF: no Chromium program here") == "pdf-engine"  # on errors.md
    assert not (tmp_path / "book.pdf").exists()


def test_without_chromium_on_the_path_the_error_names_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOSSIER_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = cli(capsys, "pdf", "--content", str(FIXTURES / "mini"), "-o", str(tmp_path / "b.pdf"))
    assert code == 1
    assert "chromium: error: cannot print the PDF: Chromium is not installed" in err


def test_a_program_that_does_not_print_is_a_located_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    failing = shutil.which("false")
    assert failing is not None
    (tmp_path / "book.pdf").write_bytes(b"the previous book")
    code, _, err = cli(capsys, "pdf", "--content", str(FIXTURES / "mini"), "-o", str(tmp_path / "book.pdf"),
                       "--chromium", failing)
    assert code == 1
    assert f"{failing}: error: Chromium did not print the book (exit status 1)" in err
    assert "Traceback" not in err
    assert (tmp_path / "book.pdf").read_bytes() == b"the previous book"  # left as it was


def test_content_with_errors_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           content: ContentFactory) -> None:
    root = content({"content/people/x.yml": "name: X\nnationality: [nowhere]\n"})
    false = shutil.which("false")
    assert false is not None
    code, _, err = cli(capsys, "pdf", "--content", str(root), "-o", "book.pdf", "--chromium", false)
    assert code == 1
    assert "content/people/x.yml:2:15: error: unknown id 'nowhere'" in err
    assert "Chromium" not in err and not (tmp_path / "book.pdf").exists()


def test_a_failing_book_template_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    content: ContentFactory) -> None:
    root = content({})
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "book.md.j2").write_text("# {{ home.dossier.title }}\n\n{{ no_such_value }}\n")
    false = shutil.which("false")
    assert false is not None
    code, _, err = cli(capsys, "pdf", "--content", str(root), "--templates", str(templates),
                       "-o", "book.pdf", "--chromium", false)
    assert code == 1
    assert f"{templates / 'book.md.j2'}:3:" in err and "no_such_value" in err
    assert "Traceback" not in err and not (tmp_path / "book.pdf").exists()


@needs_printing
def test_the_same_content_prints_the_same_bytes(printed: Printer, tmp_path: Path) -> None:
    """The same Chromium and fonts print the same file: the clock's dates are replaced
    (`_content_dated`), and Chromium's PDF writer (Skia) adds no random document id."""
    from generator.cli import main

    first, text = printed(FIXTURES / "mini")
    again = tmp_path / "again.pdf"
    assert main(["pdf", "--content", str(FIXTURES / "mini"), "-o", str(again)]) == 0
    assert pdf_text(again) == text
    assert again.read_bytes() == first.read_bytes()


# --- the book's HTML -----------------------------------------------------------------------


def test_the_book_template_reads_only_its_views_fields(site_config: SiteConfig) -> None:
    """As tests/test_views.py checks the site's templates (the book is not a site page)."""
    dossier, _ = linked(FIXTURES / "mini", site_config)
    site = SiteContext(dossier)
    templates = PageTemplates(None, dossier.vocab, TYPE_LABELS, site.label)
    source = (DEFAULT_TEMPLATES_DIR / "book.md.j2").read_text(encoding="utf-8")
    read = meta.find_undeclared_variables(templates.env.parse(source))
    assert {"book.md.j2": BookView} == TEMPLATES
    assert read - {f.name for f in dataclasses.fields(BookView)} - set(templates.env.globals) == set()
    assert book_view(site).chapters


def test_every_link_inside_the_book_leads_to_its_place(site_config: SiteConfig) -> None:
    """Contents, names, footnotes and pictures link to an id of the same document."""
    dossier, _ = linked(FIXTURES / "mini", site_config)
    soup = BeautifulSoup(one_document(book_html(dossier, site_config, None)), "lxml")
    ids = {tag["id"] for tag in soup.select("[id]")}
    inside = [a["href"][1:] for a in soup.select("a[href^='#']")]
    contents = [a["href"][1:] for a in soup.select(".book-contents a")]
    assert len(contents) > len(dossier.entities) and set(contents) <= set(inside)
    assert sorted(set(inside) - ids) == []
    profiles = [s["id"] for s in soup.select("section.book-profile")]
    assert sorted(profiles) == sorted(book_anchor(page_path(e)) for e in dossier.entities.values())


def test_the_marking_is_the_highest_the_edition_keeps(site_config: SiteConfig) -> None:
    full, _ = linked(EDITIONS, site_config)
    public, _ = linked(EDITIONS, site_config, "public")
    assert highest_marking(full) == "TLP:RED"
    assert highest_marking(public) == "TLP:CLEAR"  # what it keeps: nothing GREEN in this fixture


TARGETS = {"people/a.md": "page-people/a", "people/index.md": "page-people/index", "book.md": "page-book"}


@pytest.mark.parametrize(("source", "expected"), [
    # ids get the page's anchor as prefix; links to them follow
    ('<h2 id="relations">R</h2>', '<h3 id="page-people/a--relations">R</h3>'),
    ('<a class="footnote-ref" href="#fn:1">1</a>',
     '<a class="footnote-ref" href="#page-people/a--fn:1">1</a>'),
    ('<svg viewBox="0 0 9 9" aria-labelledby="g-t">',
     '<svg viewBox="0 0 9 9" aria-labelledby="page-people/a--g-t">'),
    # a link to a page of the book, .md or .html, leads to its section; to a type's index, its chapter
    ('<a href="../people/a.md">A</a>', '<a href="#page-people/a">A</a>'),
    ('<a href="a.html#claim-k">A</a>', '<a href="#page-people/a--claim-k">A</a>'),
    ('<a href="index.md">People</a>', '<a href="#page-people/index">People</a>'),
    # a page the book leaves out: the text stays, the address goes; an address out of the dossier stays
    ('<a href="../tags.md#tag-x">x</a>', "<a>x</a>"),
    ('<a href="b.md">B</a>', "<a>B</a>"),
    ('<a href="https://example.org/?a=1&amp;b=2">e</a>', '<a href="https://example.org/?a=1&amp;b=2">e</a>'),
    # text is never touched, even when it reads like a tag (it is escaped)
    ('<p>&lt;a href="a.md" id="x"&gt; <b>h1</b></p>', '<p>&lt;a href="a.md" id="x"&gt; <b>h1</b></p>'),
    ('<td title="a > b" id="c">x</td>', '<td title="a > b" id="page-people/a--c">x</td>'),
])
def test_a_page_becomes_a_part_of_the_book(source: str, expected: str) -> None:
    assert page_part(source, "people/a.md", TARGETS) == expected


# --- a book printed in parts ---------------------------------------------------------------

#: profiles per part forced on the mini fixture (10 profiles; chapters of 2, 2, 3, 2, 1):
#: four parts, two of them carrying on a chapter (Agencies, Events)
SMALL_PARTS = 3


@pytest.fixture(scope="module")
def split_book(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """Print the mini fixture's book in parts of SMALL_PARTS profiles (a new file each call)."""
    from generator.cli import main

    def make() -> Path:
        out = tmp_path_factory.mktemp("split") / "book.pdf"
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("generator.pdf_book.PART_PROFILES", SMALL_PARTS)
            assert main(["pdf", "--content", str(FIXTURES / "mini"), "-o", str(out)]) == 0
        return out

    return make


@pytest.fixture(scope="module")
def in_parts(split_book: Callable[[], Path]) -> Path:
    return split_book()


def test_the_mini_book_is_cut_into_parts_that_carry_on_chapters(site_config: SiteConfig) -> None:
    dossier, _ = linked(FIXTURES / "mini", site_config)
    book = book_html(dossier, site_config, None, part_size=SMALL_PARTS)
    assert book.continued == (0, 1, 1, 0)
    soups = [BeautifulSoup(part, "lxml") for part in book.parts]
    profiles = [s["id"] for soup in soups for s in soup.select("section.book-profile")]
    assert sorted(profiles) == sorted(book_anchor(page_path(e)) for e in dossier.entities.values())
    assert [len(soup.select(".book-chapter-title")) for soup in soups] == [2, 1, 1, 1]
    # a link to another part is marked; that part holds a hidden link naming the place
    for number, soup in enumerate(soups):
        ids = {tag["id"] for tag in soup.select("[id]")}
        for a in soup.select("a[href]"):
            href = a["href"]
            if href.startswith(BOOK_URI):
                target = href.removeprefix(BOOK_URI + "#")
                assert target not in ids
                others = book.parts[:number] + book.parts[number + 1:]
                assert any(f'<a href="#{target}"></a>' in other for other in others)
            elif href.startswith("#"):
                assert href[1:] in ids


@needs_printing
def test_a_book_in_parts_prints_what_one_document_does(printed: Printer, in_parts: Path) -> None:
    """Every profile, on the same pages, numbered on across parts: page k says "k / N"."""
    _, whole = printed(FIXTURES / "mini")
    text = pdf_text(in_parts)
    assert text == whole
    pages = text.split("\f")[:-1]
    assert len(pages) > 10
    assert [n for n, page in enumerate(pages, 1) if f"{n} / {len(pages)}" not in page] == []
    assert len(PdfReader(in_parts).pages) == len(pages)


def bookmarks(path: Path) -> list[tuple[str, list[str]]]:
    """The PDF's outline: each top-level bookmark and the titles directly under it."""
    reader = PdfReader(path)
    tops: list[tuple[str, list[str]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            tops[-1][1].extend(x.title for x in item if not isinstance(x, list))
        else:
            tops.append((item.title, []))
    return tops


@needs_printing
def test_a_book_in_parts_has_a_bookmark_per_chapter_and_profile(
        printed: Printer, in_parts: Path, site_config: SiteConfig) -> None:
    dossier, _ = linked(FIXTURES / "mini", site_config)
    chapters = {title: children for title, children in bookmarks(in_parts)}
    for spec in TYPES_TABLE:
        names = sorted(e.name for e in dossier.of_type(spec.name))
        if names:
            assert sorted(chapters.pop(spec.plural)) == names
    assert list(chapters) == ["Summary"]  # the front's
    assert bookmarks(in_parts) == bookmarks(printed(FIXTURES / "mini")[0])


def links(path: Path) -> list[tuple[int, tuple[int, ...], int | None, str]]:
    """Every link annotation: its page, its place (rounded), the page it leads to (None: not
    a place in the book) and, for an address, the address."""
    reader = PdfReader(path)
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)
               if page.indirect_reference is not None}
    found = []
    for n, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            rect = tuple(round(float(v)) for v in annotation["/Rect"])
            dest = annotation.get("/Dest")
            if dest is not None and not isinstance(dest, list):
                dest = reader.named_destinations[str(dest)].dest_array if str(dest) in \
                    reader.named_destinations else None
            target = numbers.get(dest[0].idnum) if dest else None
            uri = str(annotation["/A"].get("/URI", "")) if "/A" in annotation else ""
            found.append((n, rect, target, uri))
    return found


@needs_printing
def test_every_link_of_a_book_in_parts_leads_to_its_place(printed: Printer, in_parts: Path) -> None:
    """The same links, on the same spots, to the same pages as the book printed whole,
    links between parts included: each leads to a page of the book."""
    split = links(in_parts)
    assert [link for link in split if link[2] is None and not link[3].startswith("https://example")] == []
    assert not [link for link in split if BOOK_URI in link[3]]
    assert split == links(printed(FIXTURES / "mini")[0])
    crossing = {(page, target) for page, _, target, _ in split if target is not None}
    assert any(target < page - 2 for page, target in crossing)  # back to an earlier part


@needs_printing
def test_a_book_in_parts_prints_the_same_book_twice(in_parts: Path, split_book: Callable[[], Path]) -> None:
    """The same text, page by page, the same tagged structure and the same bytes. (Twice,
    under load, one byte differed: the number of a DOM node Chromium names a table header
    by. The joined book names its elements by their place in the tree: `pdf_parts._Tags`.)"""
    again = split_book()
    assert pdf_text(again) == pdf_text(in_parts)
    assert structure(again) == structure(in_parts)
    assert again.read_bytes() == in_parts.read_bytes()


def structure(path: Path) -> list[str]:
    """The PDF's structure tree as poppler reads it (`pdfinfo -struct-text`), less what names
    objects (their numbers, ids) and the neutral elements the parts' wrappers add."""
    said = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, check=True)
    lines = said.stdout.decode("utf-8").splitlines() + said.stderr.decode("utf-8").splitlines()
    return [re.sub(r" ?[<(]id\d+[)>]", "", line) for line in lines
            if not re.fullmatch(r"\s*(Object \d+ \d+|NonStruct)", line)]


@needs_printing
def test_a_book_in_parts_is_tagged_as_the_whole_book_is(printed: Printer, in_parts: Path) -> None:
    """What a screen reader reads: one Document element, the same elements and text in the
    same order as the book printed whole; poppler finds nothing wrong in it."""
    whole = structure(printed(FIXTURES / "mini")[0])
    split = structure(in_parts)
    # Chromium's own complaint (a <strong> in a <th>) is all poppler says
    assert [line for line in split if ("Error" in line or "Warning" in line)
            and "StructElem object is wrong type (Strong)" not in line] == []
    assert split == whole
    assert len([line for line in split if line.startswith("  ")]) > 100


@needs_printing
def test_a_book_in_parts_keeps_the_ids_its_table_cells_name(in_parts: Path) -> None:
    """A cell names its header cells by id (/Headers); each part numbers its ids from the
    start, so the joined tree's ids must still be one each and lead to a header of the
    cell's own table."""
    root = PdfReader(in_parts).root_object["/StructTreeRoot"].get_object()
    names = root["/IDTree"].get_object()["/Names"]
    ids = {str(names[at]): names[at + 1].idnum for at in range(0, len(names), 2)}
    assert len(ids) == len(names) // 2
    table_of: dict[int, int] = {}  # a header cell (its object number) → its table's
    named: list[tuple[str, int]] = []  # a header id a cell names, and the cell's table
    todo: list[tuple[Any, int]] = [(root.raw_get("/K"), 0)]
    while todo:
        ref, table = todo.pop()
        element = ref.get_object()
        if isinstance(element, list):
            todo += [(x, table) for x in element]
        elif isinstance(element, dict) and "/S" in element:
            table = ref.idnum if element["/S"] == "/Table" else table
            if element["/S"] == "/TH" and hasattr(ref, "idnum"):
                table_of[ref.idnum] = table
            attributes = element.get("/A")
            for each in _listed(attributes.get_object() if attributes is not None else None):
                named += [(str(h), table) for h in each.get_object().get("/Headers", [])]
            if "/K" in element:
                todo.append((element.raw_get("/K"), table))
    assert len(named) > 20
    assert [h for h, table in named if table_of.get(ids.get(h, -1)) != table] == []


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [] if value is None else [value]


@needs_printing
def test_the_joined_book_names_its_elements_whatever_numbers_chromium_gave_them() -> None:
    """Chromium names a table's header cells after their DOM nodes, and those numbers are
    not the same from one print to the next under load: two prints that differ only there
    join into the same bytes, and each data cell still names its own column's header."""
    from generator.pdf import print_pdf
    from generator.pdf_parts import joined

    html = ("<!doctype html><html lang=en><body><table><tr><th>Name</th><th>Role</th></tr>"
            "<tr><td>Ann</td><td>Chair</td></tr></table></body></html>")
    first = print_pdf(html, Path(CHROMIUM), None)
    ids = re.findall(rb"/ID \((node\d+)\)", first)
    assert len(ids) == 2
    other = first
    for n, name in enumerate(ids):  # other numbers, of the same length
        other = other.replace(name, b"node%08d" % (90 + n))
    assert other != first
    books = [joined([pdf], [0], first) for pdf in (first, other)]
    assert books[0] == books[1]
    root = PdfReader(io.BytesIO(books[0])).root_object["/StructTreeRoot"].get_object()
    names = root["/IDTree"].get_object()["/Names"]
    headers = {str(names[at]): names[at + 1].get_object() for at in range(0, len(names), 2)}
    assert sorted(headers) == ["id0", "id1"]
    cells: list[tuple[str, list[str]]] = []
    todo = [root.raw_get("/K")]
    while todo:
        element = todo.pop().get_object()
        if isinstance(element, list):
            todo += element
        elif isinstance(element, dict) and "/S" in element:
            for each in _listed(element.get("/A")):
                if "/Headers" in each.get_object():
                    cells.append((element["/S"], [str(h) for h in each.get_object()["/Headers"]]))
            if "/K" in element:
                todo.append(element.raw_get("/K"))
    assert len(cells) == 2 and all(kind == "/TD" and len(named) == 1 and named[0] in headers
                                   for kind, named in cells)
    assert {named[0] for _, named in cells} == {"id0", "id1"}
