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
  // Material 9's dialog (its search box) is what the worker's messages are shaped for.
  // Zensical draws a dialog of its own, whose bundle speaks another protocol: measured with
  // Zensical 0.0.73, pointing it at this worker broke its search (a TypeError in its bundle
  // on every message), so there the theme keeps its own worker and index.
  var box = dialog && dialog.querySelector("input.md-search__input");
  if (!box) return;
  if (config) {
    var app = JSON.parse(config.textContent);
    app.search = new URL("search-worker.js", script.src).href;
    config.textContent = JSON.stringify(app);
  }
  if (!dialog.hasAttribute("aria-label"))
    dialog.setAttribute("aria-label", box.getAttribute("aria-label") || box.placeholder);
})(document.currentScript, document.getElementById("__config"),
   document.querySelector(".md-search[role=dialog]"));
