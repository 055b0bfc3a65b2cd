"""The `mkdocs.yml` of a rendered tree: the configuration's base settings, the site's
name, theme language, navigation and search settings. The one place that knows
MkDocs' and Material's configuration keys (Zensical reads the same file)."""

from __future__ import annotations

from typing import Any

from .escape import md_text
from .model import DossierInfo
from .pages import PageSpec
from .pages.search_index import META_FILE

#: Search settings. A dossier's aliases are often in another script ("Патрушев"): lunr's
#: trimmer and stemmers keep only their languages' letters and would drop such words, so the
#: pipeline is set to the stop-word filter alone (Material 9.8's default for English, made
#: explicit so no theme language or Material version brings the trimmer back), and `ru` is
#: added to the languages for its stop words. SEARCH_LANGS: the languages lunr ships.
SEARCH_LANGS = ("ar", "da", "de", "du", "el", "en", "es", "fi", "fr", "he", "hi", "hu", "hy", "it",
                "ja", "kn", "ko", "nl", "no", "pt", "ro", "ru", "sa", "sv", "ta", "te", "th", "tr",
                "vi", "zh")
EXTRA_SEARCH_LANGS = ("en", "ru")
SEARCH_PIPELINE = ["stopWordFilter"]
SEARCH_SEPARATOR = r'[\s\-,;:!?()\[\]"/·|]+'
#: Material's `meta` plugin, reading `pages.search_index.META_FILE`: every page is left out of
#: Material's lunr index (56-69 MB at 10,000 entities, 26 s to a first result in Chromium).
#: The search plugin stays (the theme draws the search dialog only with it, and its small
#: index carries the settings the page's highlighting reads); Dossier's worker searches
#: `search/entries.js`, one entry per profile (overrides/main.html points the theme at it).
SEARCH_META = {"meta_file": META_FILE}


def mkdocs_config(dossier: DossierInfo, mkdocs_base: dict[str, Any], nav: list[PageSpec]) -> dict[str, Any]:
    config: dict[str, Any] = {
        "site_name": str(md_text(dossier.title)),
        "site_description": str(md_text(dossier.subtitle or dossier.title)),
        "docs_dir": "docs",
    }
    for key, value in mkdocs_base.items():
        config.setdefault(key, value)
    theme = dict(config.get("theme", {"name": "material"}))
    theme["custom_dir"] = "overrides"
    theme.setdefault("language", dossier.language)
    config["theme"] = theme
    config["nav"] = [{spec.nav: spec.path} for spec in nav]
    langs = [lang for lang in dict.fromkeys((dossier.language, *EXTRA_SEARCH_LANGS)) if lang in SEARCH_LANGS]
    search = {"lang": langs, "separator": SEARCH_SEPARATOR, "pipeline": SEARCH_PIPELINE}
    config.setdefault("plugins", [{"search": search}, {"meta": SEARCH_META}, "offline"])
    return config
