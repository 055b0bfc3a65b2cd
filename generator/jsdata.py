"""Data for the site's scripts, written so that text from content stays data.

Pages are opened from disk (`file://`), where browsers refuse `fetch`, so data a script
needs arrives either in a JavaScript file loaded by a `<script src>` (a global set to a
JSON value) or inside the page as `<script type="application/json">`. Both are built
here from Python values with `json.dumps`, never by pasting strings, and are byte-stable
(sorted keys, no spaces), so the same content gives the same files.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: a global a data file may set: `window.NAME`; a plain identifier, nothing to escape
_GLOBAL = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
#: characters that must not appear raw inside an HTML `<script>` element's text: `<` could
#: open `</script>` or `<!--`; `>` and `&` are escaped too so nothing reads as markup
_HTML_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                "\u2028": "\\u2028", "\u2029": "\\u2029"}
_HTML_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def json_text(value: Any) -> str:
    """`value` as compact, deterministic JSON (keys sorted, no spaces, Unicode kept)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


def _script_safe(text: str) -> str:
    return _HTML_UNSAFE_RE.sub(lambda m: _HTML_UNSAFE[m.group()], text)


def script_file(global_name: str, value: Any) -> str:
    """A JavaScript file that sets `window.<global_name>` to `value`: what a page loads
    with `<script src>`, which works from `file://` where `fetch` does not.

    The JSON is made script-safe as well (`<`, `>`, `&`, U+2028/9 escaped), so the same
    text may also be inlined into a page without a second escaping rule."""
    if not _GLOBAL.match(global_name):
        raise ValueError(f"not a JavaScript identifier: {global_name!r}")
    return f"window.{global_name}={_script_safe(json_text(value))};\n"


def html_json(value: Any) -> str:
    """`value` as the text of a `<script type="application/json">` element in a page: JSON
    whose `<`, `>` and `&` are escaped, so no content can close the element or open a
    comment; `JSON.parse(element.textContent)` gives `value` back."""
    return _script_safe(json_text(value))
