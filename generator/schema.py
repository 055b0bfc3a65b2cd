"""The content model as data: every field of every type, its kind and its meaning.

One table drives validation, the JSON Schema (`dossier schema`), the field lists
on the "Writing content" page and the labels in infoboxes, so a field cannot be
accepted without also being documented.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_MAX = 64

#: Field kinds understood by the validator.
KINDS = {
    "text": "a single-line string",
    "markdown": "Markdown prose; may hold `[[id]]` and `[[id|text]]` references",
    "text-list": "a list of strings",
    "date": "a date: `2019`, `2019-04` or `2019-04-25`",
    "bool": "`true` or `false`",
    "url": "an `http://` or `https://` address",
    "iso": "an ISO 3166-1 alpha-2 code such as `VE` (quote it: `\"NO\"`)",
    "enum": "one word from a vocabulary",
    "ref": "the id of another entity",
    "refs": "a list of ids (a single id is accepted too)",
    "ref-or-text": "the id of an entity, or free text",
    "citations": "a list of source references: `source-id` or `{source, locator, note}`",
    "relations": "a list of relations (see Relations)",
    "claims": "a list of claims (see Claims)",
    "roles": "a list of roles (see Roles)",
    "questions": "a list of open questions `{text, related}`",
    "reliability": "an Admiralty source grade, `A` to `F`",
    "credibility": "an Admiralty information grade, `1` to `6`",
    "marking": "a TLP marking: `TLP:CLEAR`, `TLP:GREEN`, `TLP:AMBER` or `TLP:RED`",
    "language": "a language code such as `en`, `es`, `ru`",
    "slug": "a lowercase id: letters, digits and single hyphens",
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    doc: str
    required: bool = False
    vocab: str | None = None  # vocabulary name for kind "enum"
    ref_types: tuple[str, ...] = ()  # allowed target types for ref kinds; empty: any
    label: str | None = None  # infobox label
    inverse: str | None = None  # how the referenced entity's page lists the referrer

    @property
    def shown_label(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


def _f(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}


COMMON_FIELDS = _f(
    FieldSpec("id", "slug", "Optional; when present it must equal the file name without `.yml`."),
    FieldSpec("name", "text", "Display name, in any script.", required=True),
    FieldSpec("aliases", "text-list",
              "Other names: spellings, native script, abbreviations. Shown on the page and "
              "searchable."),
    FieldSpec("summary", "markdown", "A few paragraphs of prose, in your own words."),
    FieldSpec("tags", "text-list", "Free tags; each tag gets a page listing its entities."),
    FieldSpec("relations", "relations", "Typed, dated, sourced links to other entities."),
    FieldSpec("claims", "claims", "Sourced statements with status and confidence."),
    FieldSpec("sources", "citations", "General sources for the whole profile."),
    FieldSpec("updated", "date", "When the profile was last reviewed."),
    FieldSpec("marking", "marking",
              "Handling marking; defaults to the dossier's `marking`, else `TLP:CLEAR`."),
    FieldSpec("note", "markdown",
              "Analyst's note shown in a box: caveats, discrepancies between sources."),
)

#: Each entity type's own fields, in the order pages list the types. The rest of what a
#: type is (folder, labels, colour, dates, index columns) is its entry in generator/types.py,
#: which reads these tables (tests/test_types.py checks that the two agree).
TYPE_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "person": _f(
        FieldSpec("born", "date", "Date of birth (partial dates allowed)."),
        FieldSpec("died", "date", "Date of death."),
        FieldSpec("nationality", "refs", "Countries of nationality.", ref_types=("country",),
                  inverse="Nationals"),
        FieldSpec("roles", "roles", "Positions held: `{title, organization, since, until, "
                  "sources}`."),
    ),
    "agency": _f(
        FieldSpec("full_name", "text", "Official full name."),
        FieldSpec("native_name", "text", "Name in the agency's own language and script."),
        FieldSpec("abbreviation", "text", "Usual abbreviation, e.g. `FSB`."),
        FieldSpec("country", "ref", "The country the agency belongs to.", ref_types=("country",),
                  inverse="Agencies and bodies"),
        FieldSpec("kind", "enum", "What sort of body it is.", vocab="agency_kinds"),
        FieldSpec("parent", "ref", "The body it is part of.", ref_types=("agency",),
                  inverse="Sub-units"),
        FieldSpec("founded", "date", "When it was founded."),
        FieldSpec("dissolved", "date", "When it was dissolved."),
    ),
    "domain": _f(
        FieldSpec("parties", "refs", "Who cooperates in this domain.", inverse="Cooperation domains"),
        FieldSpec("since", "date", "When the cooperation began."),
        FieldSpec("until", "date", "When it ended."),
        FieldSpec("circa", "bool", "The dates are approximate."),
    ),
    "event": _f(
        FieldSpec("date", "date", "When it happened.", required=True),
        FieldSpec("end_date", "date", "When it ended, for events that lasted."),
        FieldSpec("circa", "bool", "The date is approximate."),
        FieldSpec("location", "ref-or-text",
                  "Where: a country or installation id, or free text.", inverse="Events here"),
        FieldSpec("participants", "refs", "Who took part.", inverse="Events"),
        FieldSpec("domains", "refs", "Cooperation domains the event belongs to.",
                  ref_types=("domain",), inverse="Events"),
    ),
    "installation": _f(
        FieldSpec("country", "ref", "Country it stands in.", ref_types=("country",),
                  inverse="Installations"),
        FieldSpec("location", "text", "Where, in words."),
        FieldSpec("operator", "ref", "Who runs it.", inverse="Operates"),
        FieldSpec("builder", "ref", "Who built it.", inverse="Built"),
        FieldSpec("kind", "enum", "What sort of installation.", vocab="installation_kinds"),
        FieldSpec("status", "enum", "How established its existence is.", vocab="statuses"),
        FieldSpec("since", "date", "In service since."),
        FieldSpec("until", "date", "In service until."),
        FieldSpec("circa", "bool", "The dates are approximate."),
    ),
    "country": _f(
        FieldSpec("iso", "iso", "ISO 3166-1 alpha-2 code.", label="ISO code"),
    ),
    "source": _f(
        FieldSpec("title", "text", "Title of the article, statement, letter or report.",
                  required=True),
        FieldSpec("publisher", "text", "Who published it (outlet, ministry, author's platform)."),
        FieldSpec("outlet", "ref", "The media outlet's agency entity, when it has a profile.",
                  ref_types=("agency",), inverse="Published sources"),
        FieldSpec("author", "text", "Author or speaker."),
        FieldSpec("date", "date", "Publication date."),
        FieldSpec("url", "url", "Where to read it."),
        FieldSpec("kind", "enum", "What sort of source.", vocab="source_kinds"),
        FieldSpec("reliability", "reliability", "Admiralty source grade, A (completely "
                  "reliable) to F (cannot be judged). Justify it in `note`."),
        FieldSpec("language", "language", "Language of the source."),
    ),
}

RELATION_FIELDS = _f(
    FieldSpec("type", "enum", "Relation type from the vocabulary.", required=True,
              vocab="relation_types"),
    FieldSpec("target", "ref", "The other entity's id.", required=True),
    FieldSpec("since", "date", "Start of the relation."),
    FieldSpec("until", "date", "End of the relation."),
    FieldSpec("circa", "bool", "The dates are approximate."),
    FieldSpec("status", "enum", "How established it is.", vocab="statuses"),
    FieldSpec("confidence", "enum", "Analytic confidence.", vocab="confidences"),
    FieldSpec("sources", "citations", "Sources for the relation."),
    FieldSpec("note", "markdown", "A remark shown with the relation."),
    FieldSpec("marking", "marking", "Handling marking of this relation."),
)

CLAIM_FIELDS = _f(
    FieldSpec("text", "markdown", "The statement, in your own words.", required=True),
    FieldSpec("key", "slug", "A dossier-wide key so that other claims can `contradict` it."),
    FieldSpec("status", "enum", "How established it is.", vocab="statuses"),
    FieldSpec("confidence", "enum", "Analytic confidence.", vocab="confidences"),
    FieldSpec("likelihood", "enum", "Estimative probability, kept apart from confidence.",
              vocab="likelihoods"),
    FieldSpec("credibility", "credibility", "Admiralty information grade 1 to 6; shown with the "
              "source's reliability as e.g. `B2`."),
    FieldSpec("date", "date", "When the claimed fact holds."),
    FieldSpec("end_date", "date", "End of the period the claim covers."),
    FieldSpec("circa", "bool", "The date is approximate."),
    FieldSpec("sources", "citations", "Sources for the claim."),
    FieldSpec("contradicts", "refs", "Entity ids or claim keys of statements this one disputes."),
    FieldSpec("note", "markdown", "A remark shown with the claim."),
    FieldSpec("marking", "marking", "Handling marking of this claim."),
)

ROLE_FIELDS = _f(
    FieldSpec("title", "text", "The position, e.g. `Director`.", required=True),
    FieldSpec("organization", "ref", "The agency where the role is held.", ref_types=("agency",),
              inverse="People"),
    FieldSpec("since", "date", "Start of the role."),
    FieldSpec("until", "date", "End of the role."),
    FieldSpec("circa", "bool", "The dates are approximate."),
    FieldSpec("sources", "citations", "Sources for the role."),
    FieldSpec("note", "markdown", "A remark shown with the role."),
    FieldSpec("marking", "marking", "Handling marking of this role."),
)

CITATION_FIELDS = _f(
    FieldSpec("source", "ref", "The source's id.", required=True, ref_types=("source",)),
    FieldSpec("locator", "text", "Where in the source: page, paragraph, section."),
    FieldSpec("note", "text", "A remark on how the source supports the statement."),
)

QUESTION_FIELDS = _f(
    FieldSpec("text", "markdown", "The question.", required=True),
    FieldSpec("related", "refs", "Entities the question concerns."),
    FieldSpec("note", "markdown", "Context for the question."),
)

DOSSIER_FIELDS = _f(
    FieldSpec("title", "text", "The dossier's title (the site's name).", required=True),
    FieldSpec("subtitle", "text", "One line under the title."),
    FieldSpec("summary", "markdown", "The dossier's summary, shown on the home page."),
    FieldSpec("authors", "text-list", "Who wrote the dossier."),
    FieldSpec("published", "date", "Publication date."),
    FieldSpec("updated", "date", "Last review."),
    FieldSpec("marking", "marking", "Default marking of every item; `TLP:CLEAR` if absent."),
    FieldSpec("key_judgments", "claims", "The dossier's key judgments, written as claims."),
    FieldSpec("questions", "questions", "Open questions, each linked to the entities it concerns."),
    FieldSpec("sources", "citations", "Sources for the dossier as a whole."),
    FieldSpec("language", "language", "Language of the site (default `en`)."),
)

#: Parts that are not top-level entity fields, for documentation and schema export.
PARTS: dict[str, dict[str, FieldSpec]] = {
    "relation": RELATION_FIELDS,
    "claim": CLAIM_FIELDS,
    "role": ROLE_FIELDS,
    "citation": CITATION_FIELDS,
    "question": QUESTION_FIELDS,
}

TYPES = tuple(TYPE_FIELDS)


@functools.cache
def fields_for(type_: str) -> dict[str, FieldSpec]:
    """All fields an entity of `type_` may have (one table per type, shared: not to be changed)."""
    return {**COMMON_FIELDS, **TYPE_FIELDS[type_]}
