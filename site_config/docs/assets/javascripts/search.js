/* Search: Material's dialog and result list, Dossier's worker behind them (search-worker.js,
 * MiniSearch over one entry per profile; why: generator/pages/search_index.py).
 *
 * Loaded by overrides/main.html just before Material's bundle, which reads its worker's
 * address from #__config when it starts: the address is changed here. The search dialog
 * gets an accessible name (axe-core: aria-dialog-name), the theme's own words for its search
 * box, rather than through a copy of Material's search partial (a copy replaced the one
 * Zensical ships and broke its search).
 */
(function (script, config, dialog) {
  if (config) {
    var app = JSON.parse(config.textContent);
    app.search = new URL("search-worker.js", script.src).href;
    config.textContent = JSON.stringify(app);
  }
  var box = dialog && dialog.querySelector("input.md-search__input");
  if (box && !dialog.hasAttribute("aria-label"))
    dialog.setAttribute("aria-label", box.getAttribute("aria-label") || box.placeholder);
})(document.currentScript, document.getElementById("__config"),
   document.querySelector(".md-search[role=dialog]"));
