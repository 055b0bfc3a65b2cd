"""Long raw HTML blocks set aside while Python-Markdown converts a page, then put back.

Why: a profile page's Markdown carries two long lines of raw HTML, its network picture
(two SVG drawings, about 12 kB) and its previews' JSON (about 8 kB), of 32 kB in all at
1,000 entities. Markdown passes such a block through unchanged, yet reads it first with
Python's html.parser, and MkDocs reads it again for anchors. The live preview converts
the 26 pages an edit touches at 1,000 entities in 0.64 s, 0.51 s with those blocks set
aside: a fifth of MkDocs' part of a refresh. Only the preview does this (its MkDocs
hooks, `generator/mkdocs_preview.py`); a built site is converted as MkDocs always does,
and tests/test_raw_blocks.py holds the two to the same HTML, byte for byte.

A block is set aside only where Markdown would pass it through whole: one line that
opens with a block-level tag and closes it (`<div …>…</div>`), long, with a blank line
(or the page's edge) on each side, outside a fenced code block. Its stand-in is a short
block of the same kind.
"""

from __future__ import annotations

import re

#: shorter blocks cost Markdown little; leaving them alone keeps the stand-ins few
MIN_LENGTH = 1000
_BLOCK = re.compile(r"<(div|script|svg|figure|table)\b[^\n]*</\1>")
#: a code fence (pymdownx.superfences, fenced_code): what lies between two is left as
#: it is, whether or not the site turns an extension for fences on
_FENCE = re.compile(r" {0,3}(```|~~~)")
_STAND_IN = '<div data-dossier-set-aside="{}"></div>'


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """`markdown` with each long one-line raw HTML block replaced by a stand-in, and the
    blocks in order (the n-th replaced by stand-in n)."""
    lines = markdown.split("\n")
    blocks: list[str] = []
    fenced = False
    for n, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or len(line) < MIN_LENGTH or not _BLOCK.fullmatch(line):
            continue  # in a fenced code block (where a fence extension is on) it is text
        if (n and lines[n - 1].strip()) or (n + 1 < len(lines) and lines[n + 1].strip()):
            continue  # part of a paragraph or a larger block: Markdown may read into it
        lines[n] = _STAND_IN.format(len(blocks))
        blocks.append(line)
    return ("\n".join(lines), blocks) if blocks else (markdown, blocks)


def put_back(html: str, blocks: list[str]) -> str:
    """The converted page with each stand-in replaced by its block again."""
    for n, block in enumerate(blocks):
        html = html.replace(_STAND_IN.format(n), block, 1)
    return html
