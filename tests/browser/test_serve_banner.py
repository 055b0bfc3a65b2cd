"""`dossier serve` in headless Chromium (issue 15 item 6): a broken edit's errors show in
a banner on the last good page, as text, and the banner goes when the content is good."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import FIXTURES
from ..test_serve import _serving, errors_shown, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

HOSTILE_ID = "<img src=x onerror=alert(1)>"


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    yield from _serving(content, tmp_path)


def test_a_broken_edit_shows_its_errors_as_text_until_it_is_fixed(served, page) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    content, base, log = served
    jane = content / "people" / "jane-doe.yml"
    good = jane.read_text(encoding="utf-8")
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(f"{base}/people/jane-doe.html")
    assert pg.locator("#dossier-serve-errors").count() == 0
    jane.write_text(good.replace("target: john-roe", f"target: '{HOSTILE_ID}'"), encoding="utf-8")
    assert wait_for(lambda: errors_shown(base)["lines"] != []), log.read_text()
    # the live reload brings the banner to the open page
    banner = pg.locator("#dossier-serve-errors")
    banner.wait_for(timeout=60_000)
    items = banner.locator("li").all_text_contents()
    assert len(items) == 1 and HOSTILE_ID in items[0] and "jane-doe.yml:" in items[0], items
    assert banner.get_attribute("role") == "alert"
    assert pg.locator("#dossier-serve-errors img").count() == 0 and dialogs == []
    assert "Jane Doe" in pg.locator("article h1").inner_text()  # the last good page under it
    jane.write_text(good, encoding="utf-8")
    banner.wait_for(state="detached", timeout=60_000)
    watch.check()
