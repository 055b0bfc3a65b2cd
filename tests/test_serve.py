"""The live preview's incremental refresh: after an edit, the tree is what a full render gives."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.config import DEFAULT_CONFIG_DIR
from generator.pipeline import Options
from generator.serve import Preview, refresh

from .conftest import FIXTURES


def _tree(path: Path) -> dict[str, str]:
    return {p.relative_to(path).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(path.rglob("*.md"))}


def test_profile_edit_rerenders_its_neighbourhood_only_and_matches_a_full_render(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    opts = Options(content_dir=content, config_dir=DEFAULT_CONFIG_DIR)
    live, state = tmp_path / "live", Preview()
    assert refresh(opts, live, state)
    total = len(state.site.pages) if state.site else 0
    person = content / "people" / "jane-doe.yml"
    person.write_text(person.read_text(encoding="utf-8").replace("name: Jane Doe", "name: Jane Roe"),
                      encoding="utf-8")
    (content / "people" / "new-person.yml").write_text("name: New Person\n", encoding="utf-8")
    assert refresh(opts, live, state)
    assert state.stats["rendered"] < total  # not every page was rendered again
    full = tmp_path / "full"
    assert refresh(opts, full, Preview())  # from scratch
    assert _tree(live) == _tree(full)
    assert "Jane Roe" in _tree(live)["docs/people/index.md"]
    # a page that shows Jane from the other side of a relation was refreshed too
    assert any("Jane Roe" in text for path, text in _tree(live).items()
               if path.startswith("docs/") and "jane-doe" not in path and "index" not in path)
    capsys.readouterr()
