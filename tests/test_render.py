"""The render loop (`generator/render.py`): the same pages, in the same order, however it
runs. What the pages say is tested in test_pages.py, test_timeline.py and test_graph.py;
the Jinja environment in test_templating.py; prose escaping in test_escape.py."""

from __future__ import annotations

from typing import ClassVar

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


@pytest.fixture(scope="module")
def mini() -> tuple[object, dict[str, object]]:
    result = check(Options(content_dir=FIXTURES / "mini"))
    assert result.linked is not None and result.config is not None
    return result.linked, result.config.mkdocs_base


def test_a_sink_gets_every_page_from_the_workers(mini, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With a sink, forked workers (and this process) hand it the pages: the site names
    them and holds no text, and the sink got exactly what one process renders."""
    linked, base = mini
    serial = render_module.render(linked, base, jobs=1)  # type: ignore[arg-type]
    monkeypatch.setattr(render_module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(render_module, "PARALLEL_CHUNK", 1)

    def sink(rel: str, text: str) -> None:  # runs in whichever process rendered the page
        path = tmp_path / str(__import__("os").getpid()) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    spooled = render_module.render(linked, base, jobs=2, sink=sink)  # type: ignore[arg-type]
    assert spooled.pages == {} and sorted(spooled.spooled) == sorted(serial.pages)
    written = {p.relative_to(worker).as_posix(): p.read_bytes().decode("utf-8")
               for worker in tmp_path.iterdir() for p in worker.rglob("*") if p.is_file()}
    assert written == serial.pages
    assert len(list(tmp_path.iterdir())) == 2  # both processes rendered some


def test_a_sink_is_not_used_by_one_process(mini) -> None:  # type: ignore[no-untyped-def]
    linked, base = mini
    got: list[str] = []
    site = render_module.render(linked, base, jobs=1, sink=lambda rel, text: got.append(rel))  # type: ignore[arg-type]
    assert got == [] and site.spooled == [] and "index.md" in site.pages


def test_progress_counts_each_profile_and_each_group_once(mini) -> None:  # type: ignore[no-untyped-def]
    from generator.progress import Progress

    class Counting(Progress):
        def __init__(self) -> None:
            super().__init__(None, "off")
            self.stages: list[tuple[str, int]] = []
            self.steps = 0

        def stage(self, name: str, total: int = 0, unit: str = "") -> None:
            self.stages.append((name, total))

        def step(self, n: int = 1) -> None:
            self.steps += n

    linked, base = mini
    counting = Counting()
    render_module.render(linked, base, progress=counting)  # type: ignore[arg-type]
    total = len(linked.entities) + len(render_module.PAGE_GROUPS)  # type: ignore[attr-defined]
    assert counting.stages == [("render", total)] and counting.steps == total


@pytest.mark.parametrize(("ids", "types"), [
    (set(), set()),
    ({"john-roe"}, {"person"}),
    ({"john-roe", "alpha-service"}, None),
], ids=["only-whole-dossier-pages", "one-profile-and-its-type", "two-profiles-every-index"])
def test_render_pages_is_a_filter_over_the_same_pages(mini, ids, types) -> None:  # type: ignore[no-untyped-def]
    """The preview's partial render: the profiles asked for, the indexes of the types
    asked for (all when None), and every page drawn from the whole dossier but the files
    the preview keeps (`PageSpec.preview`), each the same text the full render gives."""
    from generator.pages import PageSpec, SiteContext, all_pages

    linked, base = mini
    full = render_module.render(linked, base)  # type: ignore[arg-type]
    part = render_module.render_pages(linked, base, None, ids, types)  # type: ignore[arg-type]

    def wanted(spec: PageSpec) -> bool:
        return spec.rendered and spec.preview and (
            spec.scope == "dossier" or (spec.scope == "entity" and spec.subject in ids)
            or (spec.scope == "type" and (types is None or spec.subject in types)))

    expected = {spec.path for spec in all_pages(SiteContext(linked)) if wanted(spec)}  # type: ignore[arg-type]
    assert set(part) == expected
    profiles = {f"people/{i}.md" if i == "john-roe" else f"agencies/{i}.md" for i in ids}
    shown = {p for p in part if p.startswith(("people/", "agencies/")) and not p.endswith("index.md")}
    assert shown == profiles
    assert all(part[p] == full.pages[p] for p in part)


class _DataKind:
    """A page kind that makes one data file (as the explorer's graph or a search index do)."""

    TEMPLATES: ClassVar[dict[str, type]] = {}

    @staticmethod
    def pages(site):  # type: ignore[no-untyped-def]
        from generator.jsdata import script_file
        from generator.pages import PageSpec

        def data(s):  # type: ignore[no-untyped-def]
            return script_file("dossierTest", sorted(s.linked.entities))
        yield PageSpec("assets/test-data.js", (), None, "dossier", group="reference", data=data)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_data_file_is_rendered_as_its_own_text(mini, monkeypatch, jobs) -> None:  # type: ignore[no-untyped-def]
    """A spec with `data` is written as the text it returns, in every process, and the
    live preview's filter keeps it (it is drawn from the whole dossier)."""
    import generator.pages as pages_module
    linked, base = mini
    monkeypatch.setattr(pages_module, "KINDS", (*pages_module.KINDS, _DataKind))
    monkeypatch.setattr(render_module, "PARALLEL_MIN", 1)
    site = render_module.render(linked, base, jobs=jobs)  # type: ignore[arg-type]
    text = site.pages["assets/test-data.js"]
    assert text.startswith("window.dossierTest=[") and all(f'"{i}"' in text for i in linked.entities)  # type: ignore[attr-defined]
    partial_pages = render_module.render_pages(linked, base, None, set())  # type: ignore[arg-type]
    assert partial_pages["assets/test-data.js"] == text
