"""Content text is data wherever it lands: SVG, embedded JSON, prose in HTML and in the
page's own Markdown pass; and the work Markdown does on one field is bounded."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree

from generator.cli import main
from generator.config import DEFAULT_CONFIG_DIR
from generator.escape import (
    json_for_html,
    markdown_notes,
    md_text,
    prose_html,
    protect_html,
    svg_text,
)
from generator.markdown_budget import (
    ELEMENTS_MAX,
    MARKS_MAX,
    NOTE_BACKTICKS,
    NOTE_BLOCK_STARTS,
    NOTE_BRACKETS,
    NOTE_ELEMENTS,
    NOTE_MARKS,
    NOTE_NESTING,
    NOTE_QUOTES,
    NOTE_TAGS,
    RISKY_MAX,
    SPLIT_WORK_MAX,
    TAGS_MAX,
    _Budget,
)
from generator.markdown_inline_bound import bound_unit

from .conftest import messages, pipeline, write

HOSTILE = "Evil\x07</text><script>alert(1)</script>\"' onload=\"alert(2)\" & \u2028 </title>"


def test_svg_text_keeps_the_svg_well_formed_and_inert():
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg"><g data-name="{svg_text(HOSTILE)}">'
           f"<title>{svg_text(HOSTILE)}</title><text>{svg_text(HOSTILE)}</text></g></svg>")
    root = etree.fromstring(svg.encode())  # a control character would make this raise
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert [e.tag.split("}")[1] for e in root.iter()] == ["svg", "g", "title", "text"]
    expected = HOSTILE.replace("\x07", " ")
    assert root.find("s:g/s:title", ns).text == expected
    assert root.find("s:g/s:text", ns).text == expected
    assert root.find("s:g", ns).get("data-name") == expected
    assert list(root.find("s:g", ns).attrib) == ["data-name"]


def test_json_for_html_cannot_close_its_script_element():
    value = {"name": HOSTILE, "aliases": ["<!--", "]]>", "&amp;"]}
    page = f'<html><body><script type="application/json" id="d">{json_for_html(value)}</script>' \
           "<p>after</p></body></html>"
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.find_all("script")) == 1
    assert json.loads(soup.find("script").string) == value
    assert soup.find("p").get_text() == "after"


# --- prose in the page's own Markdown pass: attribute values (issue 11 items 3 and 6) ------


def _page_markdown() -> markdown.Markdown:
    """The Markdown MkDocs runs over each page, with the site's extensions."""
    config = yaml.safe_load((DEFAULT_CONFIG_DIR / "mkdocs.base.yml").read_text(encoding="utf-8"))
    names: list[str] = []
    configs: dict[str, dict[str, object]] = {}
    for ext in config["markdown_extensions"]:
        name, conf = next(iter(ext.items())) if isinstance(ext, dict) else (ext, {})
        names.append(name)
        configs[name] = conf or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


#: where prose lands on a page: a block in the profile's div, a list item, a table cell
PLACES = {
    "block": ('<div class="dossier-prose">\n{}\n</div>\n', False),
    "list item": ("- {} [^1]\n\n[^1]: a source\n", True),
    "table cell": ("| Entity | Sources |\n| --- | --- |\n| {} | [^1] |\n\n[^1]: a source\n", True),
}
#: link titles that held syntax the page's Markdown reads before it sets raw HTML aside
TITLES = ["[b](y autofocus onfocus=alert(1)//)", "[^1]", "[b]: x", "![i](j onerror=alert(1))",
          "`c` *e* _u_ **s** ~~d~~", "x {: onclick=alert(1) }", "{#id .c}", "a|b|c",
          "<b onclick=alert(1)>", "&amp; &#91; &lt;", "<http://x.org/>", "==m== ^s^ $x$ !"]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("title", TITLES)
def test_a_link_title_stays_one_attribute_through_the_pages_markdown(title, place):
    source = f'before [t](https://example.org/a|b "{title}") after'
    template, inline = PLACES[place]
    expected = BeautifulSoup(markdown.markdown(source), "html.parser").a["title"]
    page = BeautifulSoup(_page_markdown().convert(template.format(prose_html(source, inline))),
                         "html.parser")
    links = [a for a in page.find_all("a") if "footnote" not in " ".join(a.get("class", []))]
    assert [(a["href"], a["title"], a.get_text()) for a in links] == \
        [("https://example.org/a|b", expected, "t")]
    assert not [attr for el in page.find_all(True) for attr in el.attrs if attr.startswith("on")]
    assert "before" in page.get_text() and "after" in page.get_text()
    if place == "table cell":
        assert [len(row.find_all("td")) for row in page.select("tbody tr")] == [2]
        assert page.select_one("tbody td:nth-of-type(2) sup")  # the row's footnote stays


@pytest.mark.parametrize("char", sorted(set("\\`*_{}[]()!|~^=$<>\n")))
def test_no_attribute_value_keeps_markdown_punctuation(char):
    fragment = protect_html(f'<a href="https://x.org/{char}" title="t{char}t">l{char}</a>')
    values = re.findall(r'="([^"]*)"', fragment)
    assert len(values) == 2 and not [v for v in values if char in v]
    assert fragment.startswith('<a href="https://x.org/')  # a URL keeps its scheme as written
    assert BeautifulSoup(fragment, "html.parser").a["title"] == f"t{char}t"


@pytest.mark.parametrize("source", ["\\# not a heading", "\\- not a list", "\\+ no", "1\\. not a list"])
def test_inline_prose_that_would_begin_a_line_as_markup_is_text(source):
    out = prose_html(source, inline=True)
    page = BeautifulSoup(_page_markdown().convert(f"- {out}\n"), "html.parser")
    assert page.select("ul > li") and not page.select("h1, ul ul, ul ol")
    assert page.li.get_text() == source.replace("\\", "")


# --- the work Markdown does on one field is bounded (issue 11 item 5a) ----------------------


@dataclass
class Work:
    """What Python-Markdown did: characters scanned looking for where a construct ends
    (link text and address, code span, raw tag), inline elements made (each copies its
    paragraph), what was left of each paragraph split at a heading, rule or definition
    (the parser goes over it again), and the longest list of blocks the block parser took
    from the front of, one at a time."""

    scanned: int = 0
    elements: int = 0
    split_rest: int = 0
    blocks: int = 0


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Work:
    from markdown import blockparser
    from markdown import blockprocessors as bp
    from markdown import htmlparser as md_htmlparser
    from markdown import inlinepatterns as ip
    from markdown import treeprocessors as tp

    found = Work()
    parser = vars(md_htmlparser)["htmlparser"]
    get_text, get_link = ip.LinkInlineProcessor.getText, ip.LinkInlineProcessor.getLink
    code_spans = ip.BacktickInlineProcessor.find_code_spans
    start_tag, end_tag = parser.HTMLParser.check_for_whole_start_tag, md_htmlparser._HTMLParser.parse_endtag
    apply = tp.InlineProcessor._InlineProcessor__applyPattern
    parse_blocks = blockparser.BlockParser.parseBlocks

    def counted_text(self, data, index):
        result = get_text(self, data, index)
        found.scanned += result[1] - index
        return result

    def counted_link(self, data, index):
        result = get_link(self, data, index)
        if data.startswith("(", index):  # else it stops at once
            found.scanned += (result[2] if result[3] else len(data)) - index
        return result

    def counted_spans(self, start, text):
        result = code_spans(self, start, text)
        found.scanned += (len(text) if result[1] is None else result[1]) - start
        return result

    def counted_start_tag(self, i):
        found.scanned += parser.locatestarttagend_tolerant.match(self.rawdata, i).end() - i
        return start_tag(self, i)

    def counted_end_tag(self, i):
        end = self.rawdata.find(">", i)
        found.scanned += (len(self.rawdata) if end < 0 else end) - i
        return end_tag(self, i)

    def counted_apply(self, pattern, data, index, start=0):
        result = apply(self, pattern, data, index, start)
        found.elements += result[1] and result[0] is not data
        return result

    def counted_blocks(self, parent, blocks):
        found.blocks = max(found.blocks, len(blocks))
        return parse_blocks(self, parent, blocks)

    def counted_split(cls):
        run = cls.run

        def split(self, parent, blocks):
            rest = len(blocks[0])
            result = run(self, parent, blocks)
            found.split_rest += rest if result is not False else 0
            return result
        return split

    monkeypatch.setattr(ip.LinkInlineProcessor, "getText", counted_text)
    monkeypatch.setattr(ip.LinkInlineProcessor, "getLink", counted_link)
    monkeypatch.setattr(ip.BacktickInlineProcessor, "find_code_spans", counted_spans)
    monkeypatch.setattr(parser.HTMLParser, "check_for_whole_start_tag", counted_start_tag)
    monkeypatch.setattr(md_htmlparser._HTMLParser, "parse_endtag", counted_end_tag)
    monkeypatch.setattr(tp.InlineProcessor, "_InlineProcessor__applyPattern", counted_apply)
    monkeypatch.setattr(blockparser.BlockParser, "parseBlocks", counted_blocks)
    for cls in (bp.HashHeaderProcessor, bp.SetextHeaderProcessor, bp.HRProcessor, bp.ReferenceProcessor):
        monkeypatch.setattr(cls, "run", counted_split(cls))
    return found


def _nested_indents(n: int) -> str:
    return "".join("    " * (i % 40) + "1. x\n" for i in range(n))


#: 20 KB of each: what made Python-Markdown quadratic (seconds measured at 20 KB before the
#: bound, one core) or crash; `[` took 57 s, `[x][` 19 s, `[x](<` 10 s, `![x](` 9 s
PATHOLOGICAL = {
    "[ with no ]": "[", "![ with no ]": "![", "[^ with no ]": "[^", "( that never closes": "[x](",
    "<address that never closes": "[x](<", "[text][ with no ]": "[x][", "quote in an address": '[x](a "b) ',
    "nested brackets": "[" * 5000 + "x" + "]" * 5000, "backticks closing shorter": "``x`",
    "backticks closing longer": "```x``", "code spans": "`a` ", "escapes": "\\[",
    "unclosed quoted tags": '<a x="', "tag after tag": "<a ", "end tags": "</a ", "autolinks": "<http://",
    "mail addresses": "<a@b.c ", "bare <": "<", "bare &": "&", "entities": "&amp; ", "emphasis": "*a* ",
    "strong": "**x", "line breaks": "a  \n", "links": "[a](b) ", "raw tags": "<b>x</b> ",
    "headings": "# x\n", "underlines": "x\n===\n", "rules": "***\n", "link definitions": "a\n[a]: b\n",
    "nested lists": "1. ", "nested bullets": "- ", "nested quotes": "> ", "lists in quotes": "> - ",
    "indented lists": _nested_indents(1000), "paragraphs": "a\n\n", "table cells": "|a|b|\n",
    "list items": "- a\n", "raw blocks": "<div>x</div>\n", "raw block lines": "<hr>\n",
    "processing instructions": "<? ?>\n", "unclosed instructions": "<?\n", "declarations": "<!x\n",
    "lines of one paragraph": "x\n",
}
SIZE = 20_000


@pytest.mark.parametrize("inline", [False, True], ids=["block", "inline"])
@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_markdown_work_on_a_field_is_bounded(name, inline, work):
    unit = PATHOLOGICAL[name]
    source = unit * max(1, SIZE // len(unit))
    out = prose_html(source, inline=inline)
    assert work.scanned <= 40 * len(source)  # linear: at most a few scans of each character
    assert work.elements <= MARKS_MAX and work.split_rest <= SPLIT_WORK_MAX + 2 * len(source)
    assert work.blocks <= 4 * ELEMENTS_MAX  # a line or a raw tag makes two at most
    assert out.count("<") <= 2 * ELEMENTS_MAX + 20
    page = BeautifulSoup(_page_markdown().convert(PLACES["list item" if inline else "block"][0].format(out)),
                         "html.parser")
    assert not [attr for el in page.find_all(True) for attr in el.attrs if attr.startswith("on")]


def test_a_20_kb_summary_of_open_brackets_is_shown_whole_and_costs_one_pass(work):
    source = "[" * SIZE
    out = prose_html(source)
    assert BeautifulSoup(str(out), "html.parser").get_text() == source
    assert work.scanned <= SIZE and work.elements == 0  # one look for link definitions; no
    # link pattern looked past any bracket (unbounded: some 6 × 10^8 characters, 57 s)
    assert bound_unit(source, frozenset(), _Budget()).count("[") == 0  # all out of play
    assert markdown_notes(source) == []  # the page is what Markdown gave: nothing to warn of


def test_the_pages_markdown_pass_copies_no_cell_per_reference(work):
    out = prose_html("[" * SIZE, inline=True)
    assert "&#91;" not in out and out.count("&#X5B;") == SIZE
    work.elements = 0
    page = _page_markdown().convert(PLACES["table cell"][0].format(out))
    assert work.elements < 10
    assert BeautifulSoup(page, "html.parser").select_one("tbody td").get_text() == "[" * SIZE
    assert "&#91;" in prose_html("[" * 10, inline=True)  # short values as before


def test_md_text_writes_long_reference_heavy_values_with_uppercase_hex():
    assert md_text("[x] " * 10).count("&#91;") == 10
    long = md_text("[x] <y> & " * 100)
    assert "&#91;" not in long and "&lt;" not in long and "&amp;" not in long
    assert html.unescape(long) == ("[x] <y> & " * 100).strip()


def _shorter_closes(n: int) -> str:
    """Backtick runs each longer than any after it: Markdown makes a code span of each
    with the next, shorter, run (a fallback) after scanning to the end: n of them."""
    return "".join("`" * k + "a" for k in range(2 * n, 0, -1))


#: what the bound changes in the page, and says (validate reports it as a warning)
NOTED = [
    ("- " * 17 + "x", [NOTE_NESTING]), ("> " * 17 + "x", [NOTE_NESTING]),
    ("    " * 17 + "- x", [NOTE_NESTING]), ("[" * 9 + "x" + "]" * 9, [NOTE_BRACKETS]),
    ("`a` " * (MARKS_MAX + 1), [NOTE_MARKS]), ("*a* " * (MARKS_MAX // 2 + 1), [NOTE_MARKS]),
    ('<a x="' * (TAGS_MAX + 1), [NOTE_TAGS]), (_shorter_closes(RISKY_MAX + 2), [NOTE_BACKTICKS]),
    ('[a](b "c) d', [NOTE_QUOTES]), ("# h\n" * 1500, [NOTE_BLOCK_STARTS]),
    ("a\n\n" * (ELEMENTS_MAX + 1), [NOTE_ELEMENTS]), ("<hr>\n" * (2 * ELEMENTS_MAX + 1), [NOTE_ELEMENTS]),
    ("- a\n" * ELEMENTS_MAX, [NOTE_ELEMENTS]),
    # nothing to say: the page is the same
    ("[" * 5000, []), ("[x](" * 500, []), ("``x`" * 2000, []), ("&" * 5000, []), ("< " * 5000, []),
    ("<a " * TAGS_MAX, []), ('[a](b "c")', []), (_shorter_closes(RISKY_MAX), []), ("- " * 16 + "x", []),
    ("`a` " * MARKS_MAX, []), ("# h\n" * 1000, []), ("# h\n\n" * 400, []),
    ("- - - - - - - - - - - - - - - - - -", []),
    ("x\n" * 3 * ELEMENTS_MAX, []), ("- a\n" * (ELEMENTS_MAX // 2 - 1), []),
]


@pytest.mark.parametrize(("source", "notes"), NOTED, ids=[repr(s[:24]) for s, _ in NOTED])
def test_the_bound_notes_what_it_changes(source, notes):
    assert markdown_notes(source) == notes


def test_a_bounded_field_is_a_located_warning(content):
    root = content({"content/people/p.yml": 'name: P\nsummary: |\n  fine\n\n  [a](b "c) d\n'})
    assert messages(pipeline(root)) == [
        f"content/people/p.yml:2:10: warning: too much Markdown in 'summary': {NOTE_QUOTES} "
        "The rest is shown as written. Split or shorten the text, or escape stray marks with a "
        "backslash (\\[ \\` \\*)."]


def test_noncharacters_in_content_do_not_pass_for_stand_ins():
    out = prose_html("a \ufdd0 b [c \ufdd1")
    assert "\ufdd0" not in out and "[" not in out and out.count("\ufffd") == 2
    assert BeautifulSoup(str(out), "html.parser").get_text() == "a \ufffd b [c \ufffd"


# --- cells of the built site: a `|` in prose keeps the row whole (issue 11 item 6) ----------

PIPES = "see [the report](https://example.org/a|b \"x|y\") | and `a|b` | [x|y](https://e.org)"


@pytest.fixture(scope="module")
def piped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write(tmp_path_factory.mktemp("pipes"), {
        "content/dossier.yml": "title: T\n",
        "content/sources/src.yml": "title: S\nkind: other\nreliability: B\n",
        "content/agencies/a.yml": "name: A\nkind: other\n",
        "content/people/p.yml": f"""\
            name: P
            roles:
              - title: Chief
                organization: a
                note: '{PIPES}'
                sources: [src]
            relations:
              - type: member-of
                target: a
                status: confirmed
                note: '{PIPES}'
                sources: [src]
            claims:
              - text: '{PIPES}'
                date: 2020
                status: reported
                sources: [src]
            """,
    })
    site = root / "site"
    assert main(["build", "--content", str(root / "content"), "--site-dir", str(site)]) == 0
    return site


def _holding(page: Path, selector: str) -> list[Any]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [el for el in soup.select(selector) if "the report" in el.get_text()]


def _prose_whole(el: Any) -> None:
    link = el.find("a", href="https://example.org/a|b")
    assert link is not None and link["title"] == "x|y" and link.get_text() == "the report"
    assert "| and a|b |" in " ".join(el.get_text().split())
    assert el.find("a", href="https://e.org").get_text() == "x|y"


def test_a_pipe_in_prose_keeps_every_cell_of_its_row(piped_site):
    rows = _holding(piped_site / "people" / "p.html", "article tbody tr")
    assert len(rows) == 3  # the role, the relation and the dated claim on the profile's timeline
    for row in rows:
        headers = [th.get_text() for th in row.find_parent("table").select("thead th")]
        assert len(row.find_all("td")) == len(headers)
        _prose_whole(row)
        if "Sources" in headers:
            assert row.select("td:last-child sup a.footnote-ref")  # the source number stays
        if "Assessment" in headers:  # the badge in its own column, wherever that is
            column = headers.index("Assessment") + 1
            assert row.select_one(f"td:nth-of-type({column}) .dossier-status-confirmed")


def test_a_pipe_in_a_claim_keeps_its_list_item_whole(piped_site):
    [claim] = _holding(piped_site / "people" / "p.html", "article li")
    _prose_whole(claim)
    assert claim.select_one(".dossier-status-reported") and claim.select("sup a.footnote-ref")


# --- Markdown text and prose: markup from content is neutralised or allow-listed ------------

import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.pages import PageContext  # noqa: E402


def test_md_text_neutralises_markup_in_every_context() -> None:
    from generator.escape import md_text

    out = md_text("<img src=x onerror=alert(1)> | *b* [l](javascript:x) `c`\n# h")
    assert "<" not in out and "|" not in out and "*" not in out and "[" not in out
    assert "`" not in out and "\n" not in out and "(" not in out
    assert md_text("# Heading").startswith("&#35;")
    assert md_text("1. item").startswith("&#49;&#46;")


def test_prose_is_sanitised_with_an_allow_list() -> None:
    from generator.escape import prose_html

    sanitised = prose_html('ok <script>alert(1)</script><b onclick="x()">b</b> [a](javascript:x) '
                      "[w](https://example.org) <img src=x onerror=y>")
    assert "<script" not in sanitised and "onclick" not in sanitised and "javascript" not in sanitised
    assert "<img" not in sanitised
    assert '<a href="https://example.org" rel="noopener noreferrer">w</a>' in sanitised


# --- the plain-prose fast path gives exactly what Markdown + the sanitiser give ----------

_PROSE_PIECES = ["word", " ", "  ", "Élan", "Патрушев", "(x)", "it's", '"q"', ":", ".", ",", "—",
                 "1.", "- ", "#", "*", "_", "`", "<b>", "&", "&amp;", "\u00a0", "\u200b", "\u202e",
                 "\u2003", "\n", "\n\n", "\t", "\x07", "|", "\\", "[x](y)", "[[a]]", "[[b|the b]]",
                 "[[gone]]", "[[gone|a ghost]]", "[[a|]]", "[[ a ]]", "😀", "~", "=", "!", "$",
                 # attribute values, cells, stand-ins, and values long enough for `&#X..;`
                 '[t](https://x.org/a|b "[b](y onfocus=z) [^1] {: x }")', "[[a|x|y]]", "\ufdd0",
                 "\ufdef", "\ufffd", "(:)" * 70, "[" * 30, "`a` " * 3, "<a href=\"x\" title=\"|\">l</a>"]


def _prose_page() -> PageContext:
    """A page at people/here.md of a dossier holding only two entities whose names are
    full of markup, so [[a]] and [[b]] expand to links whose text must be escaped."""
    from types import SimpleNamespace

    entities = {"a": SimpleNamespace(id="a", type="person", name="A & <b>*B*</b> [c] (d) 1. e"),
                "b": SimpleNamespace(id="b", type="agency", name="Бюро \u00a0 #1 | `x`")}
    return PageContext(SimpleNamespace(entities=entities), "people/here.md")  # type: ignore[arg-type]


def test_plain_prose_is_taken_for_plain_text() -> None:
    from generator.escape import plain_prose, prose_html
    from generator.model import Prose

    page = _prose_page()
    text = "Met [[a]] (2019): it's \"so\" — [[b|the bureau]], [[gone]] and Патрушев."
    assert plain_prose(page.prose_parts(text)) is not None  # the fast path applies...
    assert page.prose(Prose(text)) == prose_html(page.expand_refs(text))  # ...and agrees


@pytest.mark.parametrize("text", [
    pytest.param("a *b*", id="emphasis"),
    pytest.param("- item", id="list-item"),
    pytest.param("one\ntwo", id="line-break"),
])
def test_markdown_is_not_taken_for_plain_text(text: str) -> None:
    from generator.escape import plain_prose

    assert plain_prose(_prose_page().prose_parts(text)) is None


@given(st.lists(st.one_of(st.sampled_from(_PROSE_PIECES), st.text(max_size=6)), max_size=12),
       st.booleans())
def test_plain_prose_equals_the_full_path(pieces: list[str], inline: bool) -> None:
    from generator.escape import prose_html
    from generator.model import Prose

    page = _prose_page()
    text = "".join(pieces)
    assert page.prose(Prose(text), inline=inline) == prose_html(page.expand_refs(text), inline=inline)
