"""Colour contrast in the states axe-core's page-wide run does not reach: a link hovered or
focused (Material's accent colour) in the light and the dark scheme."""

from __future__ import annotations

import pytest

from .conftest import AXE

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.skipif(not AXE.is_file(), reason="axe-core is installed by `make test` (npm)")]

_CONTRAST = ("async (sel) => (await axe.run(document.querySelector(sel), "
             "{runOnly: ['color-contrast']})).violations.map(v => [v.id, v.nodes.length])")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("how", ["hover", "focus"])
def test_a_hovered_or_focused_link_keeps_its_contrast(default_site, page, scheme, how) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    pg.emulate_media(color_scheme=scheme)
    pg.goto(default_site.url + "people/nicolas-maduro.html")
    link = pg.locator("article td a[href$='.html']").first
    link.evaluate("a => a.id = 'probe'")
    if how == "hover":
        link.hover()
    else:
        link.focus()
    pg.add_script_tag(path=str(AXE))
    assert pg.evaluate(_CONTRAST, "#probe") == []
    watch.check()
