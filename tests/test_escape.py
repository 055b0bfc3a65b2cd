"""Escaping helpers for the places content lands outside Markdown: SVG and embedded JSON."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from lxml import etree

from generator.escape import json_for_html, svg_text

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
                 "[[gone]]", "[[gone|a ghost]]", "[[a|]]", "[[ a ]]", "😀", "~", "=", "!", "$"]


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
