"""Stage 4: Markdown pages from the linked model; escaping; template overrides."""

from __future__ import annotations

from pathlib import Path

from generator.config import DEFAULT_CONFIG_DIR, load_config
from generator.diagnostics import Diagnostics
from generator.escape import md_text, prose_html
from generator.render import render

from .conftest import FIXTURES, pipeline, write


def rendered(root: Path, templates: Path | None = None) -> dict[str, str]:
    result = pipeline(root, templates_dir=templates)
    assert result.site is not None, [d.format() for d in result.diags.items]
    return result.site.pages


def test_pages_for_every_entity_index_and_home():
    pages = rendered(FIXTURES / "mini")
    assert {"index.md", "people/index.md", "people/jane-doe.md", "agencies/beta-bureau.md",
            "sources/report-2020.md", "events/summit-2020.md"} <= set(pages)


def test_relation_labels_from_both_sides():
    pages = rendered(FIXTURES / "mini")
    assert "### Member of" in pages["people/john-roe.md"]
    assert "[Beta Bureau](../agencies/beta-bureau.md)" in pages["people/john-roe.md"]
    assert "### Members" in pages["agencies/beta-bureau.md"]
    assert "[John Roe](../people/john-roe.md)" in pages["agencies/beta-bureau.md"]
    # symmetric: the same label on both pages
    assert "### Cooperates with" in pages["agencies/alpha-service.md"]
    assert "### Cooperates with" in pages["agencies/beta-bureau.md"]


def test_inline_reference_becomes_a_link_with_the_name():
    pages = rendered(FIXTURES / "mini")
    assert '<a href="../agencies/alpha-service.html" rel="noopener noreferrer">Alpha Service</a>' \
        in pages["people/jane-doe.md"]
    assert '<a href="people/jane-doe.html" rel="noopener noreferrer">its director</a>' \
        in pages["index.md"]


def test_md_text_neutralises_markup_in_every_context():
    out = md_text("<img src=x onerror=alert(1)> | *b* [l](javascript:x) `c`\n# h")
    assert "<" not in out and "|" not in out and "*" not in out and "[" not in out
    assert "`" not in out and "\n" not in out and "(" not in out
    assert md_text("# Heading").startswith("&#35;")
    assert md_text("1. item").startswith("&#49;&#46;")


def test_prose_is_sanitised_with_an_allow_list():
    html = prose_html('ok <script>alert(1)</script><b onclick="x()">b</b> [a](javascript:x) '
                      "[w](https://example.org) <img src=x onerror=y>")
    assert "<script" not in html and "onclick" not in html and "javascript" not in html
    assert "<img" not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">w</a>' in html


def test_hostile_names_stay_text_in_tables_headings_and_front_matter(content):
    name = 'Evil | "quoted" <script>alert(1)</script> [x](javascript:y)'
    root = content({
        "content/people/evil.yml": f"name: '{name}'\naliases: ['*a*', '<b>']\n",
        "content/agencies/ok.yml": "name: Ok\nrelations:\n  - {type: leads, target: evil, "
                                   "sources: [src]}\n",
    })
    pages = rendered(root)
    page = pages["people/evil.md"]
    assert "<script>" not in page and "javascript:" not in page
    assert 'title: "Evil &#124; &quot;quoted&quot;' in page
    row = next(line for line in pages["agencies/ok.md"].splitlines() if "evil.md" in line)
    assert row.count("|") == 5  # the name's pipe does not split the cell


def test_user_templates_override_by_name(tmp_path):
    own = write(tmp_path, {"own/entity.md.j2": "---\ntitle: x\n---\n# OWN {{ entity.name }}\n"})
    pages = rendered(FIXTURES / "mini", templates=own / "own")
    assert pages["people/jane-doe.md"].endswith("# OWN Jane Doe\n")
    assert "# Mini dossier" in pages["index.md"]  # not overridden: the built-in one


def test_rendering_is_deterministic():
    linked = pipeline(FIXTURES / "contract").linked
    cfg = load_config(DEFAULT_CONFIG_DIR, Diagnostics())
    assert linked is not None and cfg is not None
    a = render(linked, cfg.mkdocs_base)
    b = render(linked, cfg.mkdocs_base)
    assert a.pages == b.pages and a.mkdocs_yml() == b.mkdocs_yml()


def test_nav_lists_sections_not_entities():
    result = pipeline(FIXTURES / "contract")
    assert result.site is not None
    nav = result.site.mkdocs_config["nav"]
    assert nav[0] == {"Home": "index.md"}
    assert all(not v.endswith(("ann-smith.md", "north-bureau.md")) for item in nav
               for v in item.values())


def test_relative_href_agrees_with_relpath():
    import itertools
    import posixpath

    from generator.render import relative_href

    paths = ["index.md", "people/a.md", "agencies/b.md", "people/x/y.md", "a/b/c.md", "a/c.md"]
    dirs = ["", "people", "agencies", "people/x", "a", "a/b"]
    for target, here in itertools.product(paths, dirs):
        assert relative_href(target, here) == posixpath.relpath(target, here or ".")


def test_parallel_render_gives_the_same_pages_in_the_same_order(monkeypatch):
    import generator.render as render_module
    from generator.pipeline import Options, check

    from .conftest import FIXTURES

    result = check(Options(content_dir=FIXTURES / "mini"))
    assert result.linked is not None and result.config is not None
    serial = render_module.render(result.linked, result.config.mkdocs_base, jobs=1)
    monkeypatch.setattr(render_module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(render_module, "PARALLEL_CHUNK", 2)
    parallel = render_module.render(result.linked, result.config.mkdocs_base, jobs=2)
    assert list(parallel.pages.items()) == list(serial.pages.items())


def test_collecting_less_is_undone_on_exit():
    import gc

    from generator.pipeline import collecting_less, settle

    before = gc.get_threshold()
    with collecting_less():
        settle()
        assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] >= 100_000
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
    settle()  # outside the context: nothing is frozen
    assert gc.get_freeze_count() == 0
