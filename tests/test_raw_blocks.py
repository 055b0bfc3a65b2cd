"""The live preview sets long raw HTML blocks aside while Markdown converts a page
(generator/raw_blocks.py, used by generator/mkdocs_preview.py): the HTML must be what
MkDocs makes of the page as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

from generator import mkdocs_preview
from generator.cli import main
from generator.raw_blocks import MIN_LENGTH, put_back, set_aside

from .conftest import ROOT

LONG = '<div class="dossier-graph"><svg><title>A &amp; B</title>' + "x" * MIN_LENGTH + "</svg></div>"
SCRIPT = '<script type="application/json" id="dossier-previews">{"a": "' + "y" * MIN_LENGTH + '"}</script>'


@pytest.mark.parametrize(("markdown", "aside"), [
    (f"# T\n\n{LONG}\n\nText.", [LONG]),
    (f"{LONG}\n\nText.\n\n{SCRIPT}\n", [LONG, SCRIPT]),  # at the page's edges
    (f"# T\n\n{LONG}\n\n{LONG}\n", [LONG, LONG]),
    (f"Text.\n{LONG}\n\nMore.", []),  # the paragraph before runs into it
    (f"Text.\n\n{LONG}\nMore.", []),  # a line after it, not a blank one
    ("Text.\n\n<div>short</div>\n\nMore.", []),  # short: left as it is
    (f"Text.\n\n{LONG[:-6]}\n\nMore.", []),  # not closed on its line
    (f"Text.\n\n<span>{'z' * MIN_LENGTH}</span>\n\nMore.", []),  # not a block tag
    (f"    {LONG}\n", []),  # indented: code, not HTML
    (f"```\n\n{LONG}\n\n```\n\n{SCRIPT}\n", [SCRIPT]),  # in a fenced code block: text
])
def test_which_blocks_are_set_aside(markdown, aside):
    text, blocks = set_aside(markdown)
    assert blocks == aside
    assert (text == markdown) == (not aside)
    assert put_back(text, blocks) == markdown  # a stand-in is a line of its own, in place


def test_a_block_in_fenced_code_stays_text_with_superfences():
    import markdown as md

    text = f"Before.\n\n```\n\n{LONG}\n\n```\n"
    convert = md.Markdown(extensions=["pymdownx.superfences"]).convert
    aside, blocks = set_aside(text)
    assert put_back(md.Markdown(extensions=["pymdownx.superfences"]).convert(aside), blocks) \
        == convert(text)
    assert "&lt;svg&gt;" in convert(text)


class SetAside(BasePlugin):  # type: ignore[type-arg]
    """The preview's two hooks, as a plugin of an ordinary build."""

    def on_page_markdown(self, markdown, page, config, files):
        return mkdocs_preview.on_page_markdown(markdown, page, config, files)

    def on_page_content(self, html, page, config, files):
        return mkdocs_preview.on_page_content(html, page, config, files)


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_default_dossier_converts_to_the_same_html(tmp_path, monkeypatch):
    tree = tmp_path / "tree"
    assert main(["render", "--content", str(ROOT / "content"), "--out", str(tree),
                 "--progress", "off"]) == 0
    plain = load_config(str(tree / "mkdocs.yml"), site_dir=str(tmp_path / "plain"))
    build(plain)
    aside = load_config(str(tree / "mkdocs.yml"), site_dir=str(tmp_path / "aside"))
    aside.plugins["set-aside"] = SetAside()
    seen: list[int] = []
    original = mkdocs_preview.set_aside

    def counting(markdown: str) -> tuple[str, list[str]]:
        text, blocks = original(markdown)
        seen.append(len(blocks))
        return text, blocks

    monkeypatch.setattr(mkdocs_preview, "set_aside", counting)
    build(aside)
    assert sum(seen) > 100  # every profile's picture and previews, at least
    one, two = site_files(tmp_path / "plain"), site_files(tmp_path / "aside")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
