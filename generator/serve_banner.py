"""The live preview's error banner: when an edit breaks the content, the last good site
keeps being served and every page shows what fails, as the terminal prints it.

The errors go into the tree's one script the preview adds to every page
(`SERVE_ERRORS`); MkDocs copies the changed script and reloads the browser, as on any
edit, and the banner stays until the content is good again.
"""

from __future__ import annotations

from .diagnostics import Diagnostics
from .jsdata import script_file

#: the preview's own script (under docs/, on every page): the errors of the last refresh
#: and the banner that shows them; never part of a built site
SERVE_ERRORS = "assets/javascripts/dossier-serve.js"
#: errors the banner lists; the rest are counted (the terminal has them all)
BANNER_ERRORS_MAX = 20
#: draws the banner from `window.DOSSIER_SERVE_ERRORS` (text only: every line from the
#: content goes in with textContent)
BANNER_JS = """(function () {
  var found = window.DOSSIER_SERVE_ERRORS;
  if (!found || !found.lines.length) return;
  var box = document.createElement("div");
  box.id = "dossier-serve-errors";
  box.setAttribute("role", "alert");
  box.style.cssText = "position:sticky;top:0;z-index:10;max-height:40vh;overflow:auto;" +
    "padding:.6em 1em;background:#fdecea;color:#611a15;border-bottom:2px solid #b71c1c;" +
    "font:14px/1.4 system-ui,sans-serif";
  var title = document.createElement("strong");
  title.textContent = found.title;
  box.appendChild(title);
  var list = document.createElement("ul");
  list.style.cssText = "margin:.3em 0 0;padding-left:1.2em;font-family:monospace;white-space:pre-wrap";
  found.lines.forEach(function (line) {
    var item = document.createElement("li");
    item.textContent = line;
    list.appendChild(item);
  });
  box.appendChild(list);
  document.body.insertBefore(box, document.body.firstChild);
})();
"""


def errors_script(diags: Diagnostics, strict: bool) -> str:
    """The preview's script: what fails the content, as the terminal prints it (located,
    one line each; at most BANNER_ERRORS_MAX), then the banner that shows it."""
    failing = [d for d in diags.sorted() if d.severity == "error" or strict]
    lines = [d.format() for d in failing[:BANNER_ERRORS_MAX]]
    if len(failing) > len(lines):
        lines.append(f"… and {len(failing) - len(lines)} more (see the terminal)")
    title = (f"The content has {diags.summary()}: this is the last good site. "
             "Fix the content and the page reloads.")
    return script_file("DOSSIER_SERVE_ERRORS", {"title": title, "lines": lines}) + BANNER_JS
