"""What an edition keeps of the content, and how it shows text that names what it withholds.

Part of the link stage: after references are resolved, `select_edition` leaves out
everything marked above the edition and every reference to it. Prose keeps its
sentences but a withheld entity's `[[id]]` becomes `[withheld]`, so neither its id
nor its name reaches any output; citations and references naming it go. What it
keeps is read from the one walk over an entity's parts (`parts`). The content given
is left as it was: the live preview's caches hand the same entities to the next run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from .config import Vocabularies
from .model import Citation, Claim, Content, DossierInfo, Entity, Prose, Question, Ref, Relation, Role
from .parts import CONTRADICTS, Part, claim_keys, dossier_parts, parts
from .validate_values import INLINE_REF_RE

__all__ = ["WITHHELD", "WITHHELD_TITLE", "select_edition"]

WITHHELD = "[withheld]"  # what a reader sees where prose names an entity the edition leaves out
WITHHELD_TITLE = "Dossier"  # the title when the edition withholds the dossier's (validate's stand-in)

#: what an edition shows instead, by the `id` of the object a part sits in, then field
Changes = dict[int, dict[str, Any]]
_Item = TypeVar("_Item", Entity, DossierInfo, Relation, Claim, Role, Question)


def select_edition(content: Content, vocab: Vocabularies, edition: str) -> Content:
    """Leave out everything marked above the edition, and every reference to it.

    What has no marking of its own has its holder's: a relation, claim or role its
    entity's, a citation its statement's, dossier.yml's own fields the dossier's
    (`_dossier_withheld`); an entity or a key judgment without one, the dossier's.
    The parts (`parts`) of what is kept are shown as `_edition_changes` says; the
    content itself is left as it was."""
    top = vocab.marking_rank(vocab.editions[edition])

    def ok(marking: str) -> bool:
        return vocab.marking_rank(marking) <= top

    if _nothing_to_leave_out(content, ok):
        return content  # the common case (the full edition): nothing to copy
    kept = {i: e for i, e in content.entities.items() if ok(e.marking)}
    kept_keys = {c.key for e in kept.values() for c in e.claims if c.key and ok(c.marking)}
    kept_keys |= {c.key for c in content.dossier.key_judgments if c.key and ok(c.marking)}

    def changes_in(found: Iterable[Part]) -> Changes:
        return _edition_changes(found, content.entities, kept, kept_keys)

    out: dict[str, Entity] = {}
    for i, e in kept.items():
        changes = changes_in(parts(e))
        out[i] = replace(
            e, **changes.get(id(e), {}),  # its summary, note and sources
            fields=_fields_shown(e.fields, changes.get(id(e.fields), {})),
            relations=[_shown(r, changes) for r in e.relations if ok(r.marking) and r.target.id in kept],
            claims=[_shown(c, changes) for c in e.claims if ok(c.marking)],
            roles=[_shown(r, changes) for r in e.roles if ok(r.marking)],
        )
    d = content.dossier
    changes = changes_in(dossier_parts(d))
    judgments = [_shown(c, changes) for c in d.key_judgments if ok(c.marking)]
    if not ok(d.marking):
        return Content(_dossier_withheld(d, judgments, vocab.editions[edition]), out)
    dossier = replace(_shown(d, changes), key_judgments=judgments,
                      questions=[_shown(q, changes) for q in d.questions])
    return Content(dossier, out)


def _edition_changes(found: Iterable[Part], named: Mapping[str, Entity],
                     kept: Mapping[str, Entity], kept_keys: set[str]) -> Changes:
    """What the edition shows of each part found: prose with withheld entities'
    references redacted (`_redact`); citations and reference lists without those naming
    a withheld entity (or a withheld claim's key); a single reference None when it names
    a withheld entity; in a `ref-or-text` field, the id as text when it names no entity
    at all. `named`: every entity of the content; `kept`: those the edition keeps."""
    changes: Changes = defaultdict(dict)
    for value, spec, holder in found:
        shown = changes[id(holder)]
        if isinstance(value, Prose):
            shown[spec.name] = _redact(value, kept)
        elif isinstance(value, Citation):
            citations = shown.setdefault(spec.name, [])
            if value.source.id in kept:
                citations.append(value)
        elif spec.kind == "ref-or-text" and value.id not in named:
            shown[spec.name] = value.id
        elif spec.kind == "refs":
            refs = shown.setdefault(spec.name, [])
            if value.id in kept or (spec is CONTRADICTS and value.id in kept_keys):
                refs.append(value)
        else:
            shown[spec.name] = value if value.id in kept else None
    return changes


def _shown(item: _Item, changes: Changes) -> _Item:
    """`item` with the edition's changes to its own parts (a new object when any)."""
    found = changes.get(id(item))
    return replace(item, **found) if found else item


def _fields_shown(fields: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """Type-specific fields with the edition's changes: a reference that is None is left out."""
    if not found:
        return fields
    out: dict[str, Any] = {}
    for name, value in fields.items():
        shown = found.get(name, value)
        if shown is not None:
            out[name] = shown
    return out


def _dossier_withheld(d: DossierInfo, judgments: list[Claim], edition_top: str) -> DossierInfo:
    """dossier.yml as an edition shows it when the dossier's marking is above the edition.

    What cannot carry a marking of its own inherits the dossier's and is left out: the
    title (the stand-in a dossier without dossier.yml gets takes its place), subtitle,
    summary, authors, dates, open questions and general sources. Key judgments carry
    their own marking (the dossier's by default) and `judgments` holds those the edition
    keeps. The language is a setting, not content, and is kept. The marking becomes the
    edition's highest (`edition_top`), the lower of the two: every output labels the
    dossier with it (the JSON, the STIX report, the book's pages), and the public export
    of a TLP:AMBER dossier said "TLP:AMBER" of a file that holds only TLP:GREEN.
    """
    return DossierInfo(title=WITHHELD_TITLE, path=d.path, marking=edition_top,
                       key_judgments=judgments, language=d.language)


def _nothing_to_leave_out(content: Content, ok: Callable[[str], bool]) -> bool:
    """True when the edition would keep everything as it is: every marking allowed (the
    dossier's own too), no `ref-or-text` field naming a missing entity (shown as text), no `contradicts`
    naming nothing. Why: the full edition of a big dossier was copied entity by entity
    (a fifth of the link stage) only to come out the same."""
    entities = content.entities
    keys = claim_keys(content)
    for e in entities.values():
        if not ok(e.marking):
            return False
        if not all(ok(r.marking) for r in e.relations) or not all(ok(r.marking) for r in e.roles):
            return False
        for claim in e.claims:
            if not ok(claim.marking) or any(r.id not in entities and r.id not in keys
                                             for r in claim.contradicts):
                return False
        for value in e.fields.values():
            if isinstance(value, Ref) and value.id not in entities:
                return False
    return ok(content.dossier.marking) and all(
        ok(c.marking) and all(r.id in entities or r.id in keys for r in c.contradicts)
        for c in content.dossier.key_judgments)


def _redact(prose: Prose, kept: Mapping[str, Entity]) -> Prose:
    """Prose as the edition may show it: `[[id]]` of a withheld entity becomes `[withheld]`
    (`[[id|text]]` keeps the writer's text), so neither its id nor its name leaks."""
    if all(r.id in kept for r in prose.refs):
        return prose

    def one(m: re.Match[str]) -> str:
        ident, label = m.group(1).strip(), m.group(2)
        if ident in kept:
            return m.group(0)
        return WITHHELD if label is None else label

    return Prose(INLINE_REF_RE.sub(one, prose.text), [r for r in prose.refs if r.id in kept])
