"""The render loop (`generator/render.py`): the same pages, in the same order, however it
runs. What the pages say is tested in test_pages.py, test_timeline.py and test_graph.py;
the Jinja environment in test_templating.py; prose escaping in test_escape.py."""

from __future__ import annotations

import pytest

import generator.render as render_module
from generator.config import DEFAULT_CONFIG_DIR, load_config
from generator.diagnostics import Diagnostics
from generator.pipeline import Options, check

from .conftest import FIXTURES, pipeline


def test_rendering_is_deterministic() -> None:
    linked = pipeline(FIXTURES / "contract").linked
    cfg = load_config(DEFAULT_CONFIG_DIR, Diagnostics())
    assert linked is not None and cfg is not None
    a = render_module.render(linked, cfg.mkdocs_base)
    b = render_module.render(linked, cfg.mkdocs_base)
    assert a.pages == b.pages and a.mkdocs_yml() == b.mkdocs_yml()


def test_parallel_render_gives_the_same_pages_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    result = check(Options(content_dir=FIXTURES / "mini"))
    assert result.linked is not None and result.config is not None
    serial = render_module.render(result.linked, result.config.mkdocs_base, jobs=1)
    monkeypatch.setattr(render_module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(render_module, "PARALLEL_CHUNK", 2)
    parallel = render_module.render(result.linked, result.config.mkdocs_base, jobs=2)
    assert list(parallel.pages.items()) == list(serial.pages.items())
