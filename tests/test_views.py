"""Views and templates cannot drift apart: every built-in page template is rendered
against the view its page kind builds, reads only that view's fields, and is documented
with them on the Writing-content page."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from jinja2 import meta

from generator.config import DEFAULT_TEMPLATES_DIR, SiteConfig
from generator.history import Change, Commit, History, entity_history
from generator.link import LinkedDossier
from generator.load import display_path
from generator.page_templates import PageTemplates
from generator.pages import KINDS, PageSpec, SiteContext, View, all_pages, template_views
from generator.pages.base import TYPE_LABELS
from generator.pages.writing_content import _view_parts

from .conftest import FIXTURES, linked

TEMPLATES = sorted(template_views())


@pytest.fixture(scope="module")
def mini(site_config: SiteConfig) -> LinkedDossier:
    dossier, diags = linked(FIXTURES / "mini", site_config)
    assert not diags.items
    return dossier


@pytest.fixture(scope="module")
def long_timeline(mini: LinkedDossier) -> SiteContext:
    """The mini dossier with a page per year on its timeline (the year pages' template too)."""
    from generator.pages import timeline

    previous, timeline.TIMELINE_PAGE_MAX = timeline.TIMELINE_PAGE_MAX, 1
    try:
        site = SiteContext(mini, frozenset({"errors.md"}), _one_commit(mini))
        all_pages(site)  # the list is made (and kept) while the limit is low
    finally:
        timeline.TIMELINE_PAGE_MAX = previous
    return site


def _one_commit(linked_dossier: LinkedDossier) -> History:
    """A git history of one commit touching every profile (the Recent changes page, and
    each profile's History section, exist only with one)."""
    root = display_path(FIXTURES / "mini")
    commit = Commit(Change("a" * 40, "2020-01-02", "Import"),
                    tuple(e.path[len(root) + 1:] for e in linked_dossier.entities.values()))
    return entity_history([commit], linked_dossier, root)


def _env(linked_dossier: LinkedDossier) -> PageTemplates:
    site = SiteContext(linked_dossier)
    return PageTemplates(None, linked_dossier.vocab, TYPE_LABELS, site.label)


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_template_reads_only_its_views_fields(name: str, mini: LinkedDossier) -> None:
    """Every name a built-in page template reads is a field of its view or a global of
    the environment: a renamed field fails here, not when someone's page renders."""
    templates = _env(mini)
    source = (DEFAULT_TEMPLATES_DIR / name).read_text(encoding="utf-8")
    read = meta.find_undeclared_variables(templates.env.parse(source))
    fields = {f.name for f in dataclasses.fields(template_views()[name])}  # type: ignore[arg-type]
    assert read - fields - set(templates.env.globals) == set()
    assert fields  # a view with no fields would make this test pass for nothing


def _specs(site: SiteContext) -> list[PageSpec]:
    return [spec for spec in all_pages(site) if spec.build is not None]


def test_every_page_kind_has_a_page_in_the_fixture(long_timeline: SiteContext) -> None:
    """The test below then covers every kind and every built-in template."""
    drawn = {spec.templates[-1] for spec in _specs(long_timeline)}
    assert drawn == set(TEMPLATES)
    assert {spec.path for spec in all_pages(long_timeline) if not spec.rendered} == {"errors.md"}
    assert len(KINDS) == len({kind.__name__ for kind in KINDS})


def test_every_page_renders_from_its_view(long_timeline: SiteContext) -> None:
    """Each page's view is the view class its template is documented with, and the
    built-in template renders it without a problem."""
    templates = _env(long_timeline.linked)
    for spec in _specs(long_timeline):
        assert spec.build is not None
        built = spec.build(long_timeline)
        assert type(built) is template_views()[spec.templates[-1]], spec.path
        text = templates.render(spec.templates, spec.path, built.variables())
        front = yaml.safe_load(text.split("---\n", 2)[1]) if text.startswith("---\n") else None
        assert isinstance(front, dict) and front.get("title"), spec.path  # the page's title
    assert templates.problems == {}


@pytest.mark.parametrize("cls", [*template_views().values(), *(
    c for c in _view_parts() if issubclass(c, View))], ids=lambda c: c.__name__)
def test_views_are_frozen_and_never_hashable(cls: type[View], long_timeline: SiteContext) -> None:
    """A view cannot change after it is made, and the remembered macros never look one up
    by value (an equal view could be served another's output)."""
    params = dataclasses.fields(cls)  # type: ignore[arg-type]
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert cls.__hash__ is None
    instance = next((spec.build(long_timeline) for spec in _specs(long_timeline)
                     if spec.build is not None and spec.templates[-1] in template_views()
                     and template_views()[spec.templates[-1]] is cls), None)
    if instance is not None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(instance, params[0].name, None)
        with pytest.raises(TypeError):
            hash(instance)


def test_the_writing_content_page_documents_every_view(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    from generator.cli import main

    out = tmp_path / "tree"
    assert main(["render", "--content", str(FIXTURES / "mini"), "--out", str(out)]) == 0
    page = (out / "docs" / "writing-content.md").read_text(encoding="utf-8")
    guide = page[page.index("## Your own templates"):]
    for name, cls in template_views().items():
        section = guide[guide.index(f"### <code>{name}</code>"):]
        section = section[:section.index("\n### ", 1)]
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            shown = f.name.replace("_", "&#95;")
            assert f"| <code>{shown}</code> |" in section, (name, f.name)
    for cls in _view_parts():
        assert f"- **`{cls.__name__}`**:" in guide
