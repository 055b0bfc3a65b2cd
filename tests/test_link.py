"""Stage 3: references resolved, inverse relations, backlinks, editions."""

from __future__ import annotations

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
