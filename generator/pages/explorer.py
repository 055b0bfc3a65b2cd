"""Data kind: the network explorer's graph (`assets/dossier/graph.js`), one file for the
whole dossier.

The explorer (site_config/docs/assets/javascripts/explorer.js) loads it with a
`<script src>` only when a reader opens it, so pages do not pay for it (10,000
entities: about 4 MB). It sets `window.dossierGraph`:

- `types`: each entity type in the table's order: `[name, label, plural, colour]`;
- `kinds`: what a line can be, `{key: words}`: a relation type (its id), a reference
  field (`field:<name>`) or a role (`role`), with the words a reader filters by;
  `undirected`: the symmetric relation types (drawn without an arrow);
- `statuses`, `confidences`: the vocabularies' labels, `{id: label}`;
- `nodes`: every entity with at least one link (as on the pictures), by id, each a row
  of `NODE_COLUMNS`: id, name, type, href (relative to the site's root), degree;
- `edges`: one per relation, reference or role, each a row of `EDGE_COLUMNS`: source and
  target (indexes into `nodes`), kind, status, confidence, start, end (ISO partial
  dates), circa (1 or 0) and words (only where they differ from the kind's: a role's
  title); "" where unknown, and trailing unknowns left off.

Rows rather than objects: 8,500 linked entities and 64,000 lines (the 10,000-entity
benchmark) took 10.4 MB as objects with named keys, and take 3.8 MB as rows, made in
1.2-2 s on a loaded two-core machine (it is remade on every live-preview refresh).

Everything comes from the site context, which holds only what the edition keeps, so
nothing marked above the edition reaches the file; `generator.jsdata` keeps names data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from ..dates import PartialDate
from ..jsdata import script_file
from ..model import Role
from ..types import TYPE_SPECS, TYPES_TABLE
from .base import PageSpec, View, page_path
from .site import SiteContext

#: where the data file goes in the site, and the global it sets (explorer.js reads both)
GRAPH_PATH = "assets/dossier/graph.js"
GRAPH_GLOBAL = "dossierGraph"

#: no page template: this kind makes a data file
TEMPLATES: dict[str, type[View]] = {}

Record = dict[str, Any]
#: what each row of `nodes` and `edges` holds, in order (written into the file as well)
NODE_COLUMNS = ("id", "name", "type", "href", "degree")
EDGE_COLUMNS = ("source", "target", "kind", "status", "confidence", "start", "end", "circa", "words")


def pages(site: SiteContext) -> Iterator[PageSpec]:
    yield PageSpec(GRAPH_PATH, (), None, "dossier", group="network", data=graph_file)


def graph_file(site: SiteContext) -> str:
    """The data file's text: `window.dossierGraph=…;`."""
    return script_file(GRAPH_GLOBAL, graph_data(site))


def graph_data(site: SiteContext) -> Record:
    """What the explorer draws and filters, from the edition's linked dossier."""
    vocab = site.vocab
    ents = site.linked.entities
    ids = site.drawn_ids()
    index = {i: n for n, i in enumerate(ids)}
    lines = sorted(_lines(site), key=lambda line: (index[line.source], index[line.target], line.kind,
                                                    line.words))
    kinds = {kind: _kind_words(site, kind) for kind in {line.kind for line in lines}}
    return {
        "nodeColumns": list(NODE_COLUMNS),
        "edgeColumns": list(EDGE_COLUMNS),
        "types": [[t.name, t.label, t.plural, t.colour] for t in TYPES_TABLE],
        "kinds": dict(sorted(kinds.items(), key=lambda kv: (kv[1].casefold(), kv[0]))),
        "undirected": sorted(k for k, t in vocab.relation_types.items() if k in kinds and t.symmetric),
        "statuses": dict(vocab.labels.get("statuses", {})),
        "confidences": dict(vocab.labels.get("confidences", {})),
        "nodes": [[i, ents[i].name, ents[i].type, page_path(ents[i])[: -len(".md")] + ".html",
                   site.degrees.get(i, 0)] for i in ids],
        "edges": [line.row(index, kinds) for line in lines],
    }


class Line(NamedTuple):
    """One line of the network: a relation, or a reference field or role of `source`."""

    source: str
    target: str
    kind: str  # a relation type, `field:<name>` or `role`
    words: str
    status: str | None = None
    confidence: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    circa: bool = False

    def row(self, index: dict[str, int], kinds: dict[str, str]) -> list[str | int]:
        """The line as a row of `EDGE_COLUMNS`, without its trailing unknowns."""
        row: list[str | int] = [
            index[self.source], index[self.target], self.kind, self.status or "", self.confidence or "",
            self.start.iso() if self.start else "", self.end.iso() if self.end else "",
            1 if self.circa else 0, "" if self.words == kinds[self.kind] else self.words]
        while row[-1] in ("", 0) and len(row) > 3:
            row.pop()
        return row


def _lines(site: SiteContext) -> Iterator[Line]:
    """Every relation (subject to object, in its vocabulary words), then every reference
    field (read as the table of types says, in its direction: as the pictures draw it,
    `site.build_graph`) and role (the holder to the organization, its title as words)."""
    relation_types = site.vocab.relation_types
    for edge in site.linked.edges:
        r = edge.relation
        yield Line(edge.subject, edge.object, r.type, relation_types[r.type].label,
                   r.status, r.confidence, r.since, r.until, r.circa)
    ents = site.linked.entities
    for target in sorted(site.linked.backrefs):
        for b in site.linked.backrefs[target]:
            if b.source == target:
                continue
            if isinstance(b.detail, Role):
                role = b.detail
                yield Line(b.source, target, "role", role.title, start=role.since, end=role.until,
                           circa=role.circa)
            else:
                reading = TYPE_SPECS[ents[b.source].type].edge_reading(b.field)
                subject, obj = (target, b.source) if reading.backwards else (b.source, target)
                yield Line(subject, obj, f"field:{b.field}", reading.words)


def _kind_words(site: SiteContext, kind: str) -> str:
    """What the relation filter calls a kind of line."""
    if kind == "role":
        return "role"
    if kind.startswith("field:"):
        field_name = kind[len("field:"):]
        readings = {spec.edge_reading(field_name).words for spec in TYPES_TABLE if field_name in spec.fields}
        return " / ".join(sorted(readings))
    return site.vocab.relation_types[kind].label
