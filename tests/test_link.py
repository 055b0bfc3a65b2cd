"""Stage 3, link: references resolved, inverse relations, backlinks, editions.

Each case is content that loads and validates cleanly (`conftest.linked` checks), then
`generator.link.link` is called on it directly. Only the unknown-edition test runs the
pipeline: choosing the edition is `check`'s, before link.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from generator.config import SiteConfig
from generator.diagnostics import Diagnostics
from generator.editions import WITHHELD_TITLE
from generator.link import LinkedDossier, link
from generator.load import LoadCache, load_content
from generator.validate import ValidateCache, validate

from .conftest import FIXTURES, ContentFactory, linked, messages, pipeline, validated

BOTH_SIDES = {
    "content/people/a.yml": "name: A\nrelations:\n  - {type: met-with, target: b, sources: [src]}\n",
    "content/people/b.yml": "name: B\nrelations:\n  - {type: met-with, target: a, sources: [src]}\n",
}


# case → (files besides dossier.yml and sources/src.yml, what link reports, sorted)
@pytest.mark.parametrize(("files", "expected"), [
    pytest.param(
        {"content/agencies/fsb.yml": "name: FSB\n",
         "content/people/x.yml": """
            name: X
            summary: Works with [[fsbb]] and [[nobody-here|someone]].
            relations:
              - type: member-of
                target: fsbb
                sources: [src]
         """},
        ["content/people/x.yml:2:21: error: unknown id 'fsbb'. Did you mean 'fsb'?",
         "content/people/x.yml:2:34: error: unknown id 'nobody-here'. Create the entity's file, "
         "or fix the id.",
         "content/people/x.yml:5:13: error: unknown id 'fsbb'. Did you mean 'fsb'?"],
        id="unknown-ids-suggest-the-closest"),
    pytest.param(
        {"content/people/p.yml": """
            name: P
            nationality: [src]
            roles:
              - {title: Chief, organization: p, sources: [p]}
         """},
        ["content/people/p.yml:2:15: error: 'src' is a source, not a country",
         "content/people/p.yml:4:34: error: 'p' is a person, not an agency",
         "content/people/p.yml:4:47: error: 'p' is a person, not a source"],
        id="reference-types-are-checked"),
    pytest.param(
        {"content/agencies/a.yml": "name: A\nparent: b\n",
         "content/agencies/b.yml": "name: B\nparent: a\n"},
        ["content/agencies/b.yml:2:9: error: parent cycle: a → b → a An agency cannot be its own "
         "ancestor; fix one `parent`."],
        id="parent-cycle"),
    pytest.param(
        BOTH_SIDES,
        ["content/people/b.yml:3:5: warning: relation 'met-with' between 'b' and 'a' is written "
         "twice (also at content/people/a.yml:3:5) Write a relation once, on either side; both "
         "pages show it."],
        id="relation-written-on-both-sides-warns-once"),
    pytest.param(
        {"content/dossier.yml": """
            title: T
            key_judgments:
              - {text: One., key: kj-one, contradicts: [kj-two], sources: [src]}
              - {text: Two., key: kj-two, contradicts: [kj-none], sources: [src]}
         """},
        ["content/dossier.yml:4:45: error: unknown id or claim key 'kj-none'. Did you mean 'kj-one'?"],
        id="a-key-judgment-contradicting-nothing"),
])
def test_link_reports_every_problem_where_it_was_written(
        content: ContentFactory, site_config: SiteConfig, files: dict[str, str], expected: list[str]) -> None:
    _, diags = linked(content(files), site_config)
    assert messages(diags) == expected


def test_relation_written_on_both_sides_is_one_edge(content: ContentFactory,
                                                    site_config: SiteConfig) -> None:
    found, _ = linked(content(BOTH_SIDES), site_config)
    assert len(found.edges) == 1


def test_relation_written_once_shows_on_both_sides(site_config: SiteConfig) -> None:
    found, diags = linked(FIXTURES / "mini", site_config)
    assert not diags.items
    [edge] = [e for e in found.edges if e.relation.type == "member-of"]
    assert (edge.subject, edge.object) == ("john-roe", "beta-bureau")
    assert edge in found.edges_of["beta-bureau"] and edge in found.edges_of["john-roe"]


def test_backrefs_mentions_and_citations(site_config: SiteConfig) -> None:
    found, _ = linked(FIXTURES / "contract", site_config)
    bureau = {(b.source, b.label) for b in found.backrefs["north-bureau"]}
    assert ("ann-smith", "People") in bureau  # her role
    assert ("coastal-radar", "Operates") in bureau
    assert ("signing-2019", "Events") in bureau
    assert found.mentions["north-bureau"] == ("ann-smith", "dossier")
    assert found.cited_by["article-2021"] == ("ann-smith", "dossier", "north-bureau",
                                              "signing-2019")


def test_public_edition_withholds_amber_everywhere(site_config: SiteConfig) -> None:
    full, _ = linked(FIXTURES / "contract", site_config)
    public, _ = linked(FIXTURES / "contract", site_config, "public")
    assert "south-agency" in full.entities and "south-agency" not in public.entities
    assert all("south-agency" not in (e.subject, e.object) for e in public.edges)
    parties = [r.id for r in public.entities["signals"].fields["parties"]]
    assert parties == ["north-bureau"]


def test_unknown_edition_is_an_error(content: ContentFactory) -> None:
    """Through the pipeline: `check` refuses an edition the vocabulary lacks before link."""
    root = content({})
    assert messages(pipeline(root, edition="secret")) == [
        "content: error: unknown edition 'secret' Editions: full, public."]


# --- link leaves its input alone (the live preview hands it the same objects again) ------

BOTH_SIDES_CITING_EACH = {
    "content/sources/other.yml": "title: Another source\n",
    "content/people/a.yml": "name: A\nrelations:\n  - {type: met-with, target: b, sources: [src]}\n",
    "content/people/b.yml": "name: B\nrelations:\n  - {type: met-with, target: a, sources: [other]}\n",
}


def _cited(found: LinkedDossier | None) -> list[list[str]]:
    assert found is not None
    return [[c.source.id for c in edge.relation.sources] for edge in found.edges]


def test_link_does_not_change_the_content_it_is_given(content: ContentFactory,
                                                      site_config: SiteConfig) -> None:
    """A relation written on both sides is one edge citing both sides' sources, made
    anew: the content (what a cache hands to the next run) is as it was, and linking
    it again gives the same."""
    given, _ = validated(content(BOTH_SIDES_CITING_EACH), site_config)
    before = copy.deepcopy(given)
    first = link(given, site_config.vocab, Diagnostics())
    second = link(given, site_config.vocab, Diagnostics())
    assert given == before
    assert _cited(first) == _cited(second) == [["src", "other"]]
    assert [c.source.id for c in given.entities["a"].relations[0].sources] == ["src"]


def _load_validate_link(root: Path, config: SiteConfig, load_cache: LoadCache,
                        validate_cache: ValidateCache) -> LinkedDossier:
    """The three stages with the caches the live preview keeps between runs."""
    diags = Diagnostics()
    given = validate(load_content(root, diags, load_cache), config, diags, validate_cache)
    return link(given, config.vocab, diags)


def test_a_side_removed_under_the_caches_takes_its_source_along(content: ContentFactory,
                                                                site_config: SiteConfig) -> None:
    """The live preview's caches: a.yml is not read again, its entity is the very same
    object, and the edge no longer cites what only b.yml's side cited."""
    root = content(BOTH_SIDES_CITING_EACH)
    load_cache: LoadCache = {}
    validate_cache: ValidateCache = {}
    first = _load_validate_link(root, site_config, load_cache, validate_cache)
    assert _cited(first) == [["src", "other"]]
    (root / "people" / "b.yml").write_text("name: B\n", encoding="utf-8")
    second = _load_validate_link(root, site_config, load_cache, validate_cache)
    assert second.entities["a"] is first.entities["a"]
    assert _cited(second) == [["src"]]


# --- editions: what has no marking of its own has its holder's ----------------------------


def test_dossier_fields_and_questions_have_the_dossier_marking(site_config: SiteConfig) -> None:
    """With TLP:AMBER as the dossier-wide default, the public edition keeps none of
    dossier.yml's own fields, only the key judgment marked lower; the full edition
    keeps them all."""
    full, _ = linked(FIXTURES / "editions-amber", site_config)
    public, _ = linked(FIXTURES / "editions-amber", site_config, "public")
    d = public.dossier
    assert (d.title, d.subtitle, d.summary, d.authors, d.published, d.updated, d.sources,
            d.questions) == (WITHHELD_TITLE, None, None, [], None, None, [], [])
    assert [c.text.text for c in d.key_judgments] == ["A public judgment about [[public-agency]]."]
    assert public.mentions == {"public-agency": ("dossier",)}  # by the key judgment only
    assert public.questions_of == {}
    f = full.dossier
    assert (f.title, len(f.questions), len(f.key_judgments), len(f.sources)) == (
        "CANARY-DOSSIER-TITLE", 2, 2, 1)
    assert full.questions_of["public-agency"] == (f.questions[0],)
    assert full.mentions["public-person"] == ("dossier",)  # by the question's note
