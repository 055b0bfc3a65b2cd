"""Stage 3: references resolved, inverse relations, backlinks, editions."""

from __future__ import annotations

import copy
from pathlib import Path

from generator.config import DEFAULT_CONFIG_DIR, SiteConfig
from generator.diagnostics import Diagnostics
from generator.link import WITHHELD_TITLE, LinkedDossier, link
from generator.load import LoadCache, list_content, load_listed
from generator.model import Content
from generator.pipeline import Options, check
from generator.validate import ValidateCache, validate

from .conftest import FIXTURES, messages, pipeline


def test_unknown_ids_suggest_the_closest(content):
    root = content({
        "content/agencies/fsb.yml": "name: FSB\n",
        "content/people/x.yml": """
            name: X
            summary: Works with [[fsbb]] and [[nobody-here|someone]].
            relations:
              - type: member-of
                target: fsbb
                sources: [src]
        """,
    })
    assert messages(pipeline(root)) == [
        "content/people/x.yml:2:21: error: unknown id 'fsbb'. Did you mean 'fsb'?",
        "content/people/x.yml:2:34: error: unknown id 'nobody-here'. Create the entity's file, "
        "or fix the id.",
        "content/people/x.yml:5:13: error: unknown id 'fsbb'. Did you mean 'fsb'?",
    ]


def test_reference_types_are_checked(content):
    root = content({
        "content/people/p.yml": """
            name: P
            nationality: [src]
            roles:
              - {title: Chief, organization: p, sources: [p]}
        """,
    })
    assert messages(pipeline(root)) == [
        "content/people/p.yml:2:15: error: 'src' is a source, not a country",
        "content/people/p.yml:4:34: error: 'p' is a person, not an agency",
        "content/people/p.yml:4:47: error: 'p' is a person, not a source",
    ]


def test_relation_written_once_shows_on_both_sides(vocab):
    result = pipeline(FIXTURES / "mini")
    linked = result.linked
    assert linked is not None and not result.diags.items
    [edge] = [e for e in linked.edges if e.relation.type == "member-of"]
    assert (edge.subject, edge.object) == ("john-roe", "beta-bureau")
    assert edge in linked.edges_of["beta-bureau"] and edge in linked.edges_of["john-roe"]


def test_relation_written_on_both_sides_warns_once(content):
    root = content({
        "content/people/a.yml": "name: A\nrelations:\n  - {type: met-with, target: b, sources: [src]}\n",
        "content/people/b.yml": "name: B\nrelations:\n  - {type: met-with, target: a, sources: [src]}\n",
    })
    result = pipeline(root)
    assert messages(result) == [
        "content/people/b.yml:3:5: warning: relation 'met-with' between 'b' and 'a' is written "
        "twice (also at content/people/a.yml:3:5) Write a relation once, on either side; both "
        "pages show it."]
    assert result.linked is not None and len(result.linked.edges) == 1


def test_parent_cycle(content):
    root = content({
        "content/agencies/a.yml": "name: A\nparent: b\n",
        "content/agencies/b.yml": "name: B\nparent: a\n",
    })
    assert messages(pipeline(root)) == [
        "content/agencies/b.yml:2:9: error: parent cycle: a → b → a An agency cannot be its own "
        "ancestor; fix one `parent`."]


def test_backrefs_mentions_and_citations():
    linked = pipeline(FIXTURES / "contract").linked
    assert linked is not None
    bureau = {(b.source, b.label) for b in linked.backrefs["north-bureau"]}
    assert ("ann-smith", "People") in bureau  # her role
    assert ("coastal-radar", "Operates") in bureau
    assert ("signing-2019", "Events") in bureau
    assert linked.mentions["north-bureau"] == ["ann-smith", "dossier"]
    assert linked.cited_by["article-2021"] == ["ann-smith", "dossier", "north-bureau",
                                               "signing-2019"]


def test_public_edition_withholds_amber_everywhere():
    full = pipeline(FIXTURES / "contract").linked
    public = pipeline(FIXTURES / "contract", edition="public").linked
    assert full is not None and public is not None
    assert "south-agency" in full.entities and "south-agency" not in public.entities
    assert all("south-agency" not in (e.subject, e.object) for e in public.edges)
    parties = [r.id for r in public.entities["signals"].fields["parties"]]
    assert parties == ["north-bureau"]


def test_unknown_edition_is_an_error(content):
    root = content({})
    assert messages(pipeline(root, edition="secret")) == [
        "content: error: unknown edition 'secret' Editions: full, public."]


# --- link leaves its input alone (the live preview hands it the same objects again) ------

BOTH_SIDES = {
    "content/sources/other.yml": "title: Another source\n",
    "content/people/a.yml": "name: A\nrelations:\n  - {type: met-with, target: b, sources: [src]}\n",
    "content/people/b.yml": "name: B\nrelations:\n  - {type: met-with, target: a, sources: [other]}\n",
}


def _validated(root: Path, config: SiteConfig) -> Content:
    diags = Diagnostics()
    return validate(load_listed(list_content(root, diags), diags), config, diags)


def _cited(linked: LinkedDossier | None) -> list[list[str]]:
    assert linked is not None
    return [[c.source.id for c in edge.relation.sources] for edge in linked.edges]


def test_link_does_not_change_the_content_it_is_given(content, vocab):
    """A relation written on both sides is one edge citing both sides' sources, made
    anew: the content (what a cache hands to the next run) is as it was, and linking
    it again gives the same."""
    validated = _validated(content(BOTH_SIDES), vocab)
    before = copy.deepcopy(validated)
    first = link(validated, vocab.vocab, Diagnostics())
    second = link(validated, vocab.vocab, Diagnostics())
    assert validated == before
    assert _cited(first) == _cited(second) == [["src", "other"]]
    assert [c.source.id for c in validated.entities["a"].relations[0].sources] == ["src"]


def test_a_side_removed_under_the_caches_takes_its_source_along(content):
    """The live preview's caches: a.yml is not read again, its entity is the very same
    object, and the edge no longer cites what only b.yml's side cited."""
    root = content(BOTH_SIDES)
    opts = Options(content_dir=root, config_dir=DEFAULT_CONFIG_DIR)
    load_cache: LoadCache = {}
    validate_cache: ValidateCache = {}
    first = check(opts, load_cache=load_cache, validate_cache=validate_cache).linked
    assert _cited(first) == [["src", "other"]]
    (root / "people" / "b.yml").write_text("name: B\n", encoding="utf-8")
    second = check(opts, load_cache=load_cache, validate_cache=validate_cache).linked
    assert first is not None and second is not None
    assert second.entities["a"] is first.entities["a"]
    assert _cited(second) == [["src"]]


# --- editions: what has no marking of its own has its holder's ----------------------------


def test_dossier_fields_and_questions_have_the_dossier_marking():
    """With TLP:AMBER as the dossier-wide default, the public edition keeps none of
    dossier.yml's own fields, only the key judgment marked lower; the full edition
    keeps them all."""
    full = pipeline(FIXTURES / "editions-amber").linked
    public = pipeline(FIXTURES / "editions-amber", edition="public").linked
    assert full is not None and public is not None
    d = public.dossier
    assert (d.title, d.subtitle, d.summary, d.authors, d.published, d.updated, d.sources,
            d.questions) == (WITHHELD_TITLE, None, None, [], None, None, [], [])
    assert [c.text.text for c in d.key_judgments] == ["A public judgment about [[public-agency]]."]
    assert public.mentions == {"public-agency": ["dossier"]}  # by the key judgment only
    assert public.questions_of == {}
    f = full.dossier
    assert (f.title, len(f.questions), len(f.key_judgments), len(f.sources)) == (
        "CANARY-DOSSIER-TITLE", 2, 2, 1)
    assert full.questions_of["public-agency"] == [f.questions[0]]
    assert full.mentions["public-person"] == ["dossier"]  # by the question's note


def test_statements_without_a_marking_have_their_profiles():
    """A relation, claim or role with no marking of its own has its profile's marking,
    whatever the dossier-wide default."""
    linked = pipeline(FIXTURES / "editions-amber").linked
    assert linked is not None
    markings = {i: {x.marking for x in [*e.relations, *e.claims, *e.roles]}
                for i, e in linked.entities.items() if e.relations or e.claims or e.roles}
    assert markings == {"canary-person": {"TLP:AMBER"}, "public-person": {"TLP:GREEN"}}
