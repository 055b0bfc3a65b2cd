/* Search: the theme's dialog and result list, Dossier's worker behind them (search-worker.js,
 * MiniSearch over one entry per profile; why: generator/pages/search_index.py).
 *
 * Loaded by overrides/main.html just before the theme's bundle, which reads its worker's
 * address from #__config when it starts: the address is changed here, for both themes the
 * worker answers:
 * - Material 9 (its search box `input.md-search__input`): the worker sends whole results.
 * - Zensical (0.0.73: a `button.md-search__button` that opens a dialog of its own): the
 *   worker sends documents' positions and the dialog shows its own copy of the documents,
 *   which its bundle reads from `base` + "search.json" (`search.js` from file://). `base` is
 *   pointed at Dossier's search/ folder, where those files hold the entries (Zensical keeps
 *   the site root's for its own, empty, index); in Zensical 0.0.73 `base` is read only for
 *   search, the sitemap of instant navigation, versions and redirects, none used here.
 * The search dialog gets an accessible name (axe-core: aria-dialog-name), the theme's own
 * words for its search box, rather than through a copy of Material's search partial (a copy
 * replaced the one Zensical ships and broke its search).
 */
(function (script, config, dialog) {
  var box = dialog && dialog.querySelector("input.md-search__input");
  var zensical = dialog && dialog.querySelector("button.md-search__button");
  if (!config || !(box || zensical)) return;
  var app = JSON.parse(config.textContent);
  app.search = new URL("search-worker.js", script.src).href;
  if (zensical) app.base = new URL("../../search/", script.src).href;
  config.textContent = JSON.stringify(app);
  if (box && !dialog.hasAttribute("aria-label"))
    dialog.setAttribute("aria-label", box.getAttribute("aria-label") || box.placeholder);
})(document.currentScript, document.getElementById("__config"),
   document.querySelector(".md-search[role=dialog]"));
