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
