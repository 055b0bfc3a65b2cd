"""The analysis of a STIX export, each a `note`: a claim on its entity, a key judgment on
the dossier's report, an open question on the entities it concerns (or the report).

A note's `confidence` is STIX's 0-100 number; the dossier's own words (status, confidence,
likelihood, credibility and each cited source's Admiralty code) are in the extension.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .export import plain_text
from .export_stix_context import CONFIDENCE, StixContext, without_empty
from .link import DOSSIER_ID
from .model import Claim, Question


def claim_notes(ctx: StixContext) -> Iterator[dict[str, Any]]:
    """Every entity's claims, then the dossier's key judgments."""
    for e in ctx.linked.entities.values():
        for n, claim in enumerate(e.claims):
            yield claim_note(ctx, claim, f"claim:{claim.key or f'{e.id}:{n}'}", ctx.object_id(e.id),
                             "claim", ctx.when(e))
    for n, claim in enumerate(ctx.linked.dossier.key_judgments):
        yield claim_note(ctx, claim, f"claim:{claim.key or f'{DOSSIER_ID}:{n}'}", ctx.report_id,
                         "key-judgment", ctx.fallback)


def claim_note(ctx: StixContext, claim: Claim, key: str, about: str, what: str,
               when: str) -> dict[str, Any]:
    """A claim (`what`: claim or key-judgment) as a note on the object `about`."""
    refs, cited = ctx.citations(claim.sources)
    contradicts = []
    for ref in claim.contradicts:
        if ref.id in ctx.note_ids:
            contradicts.append(ctx.note_ids[ref.id])
        elif ref.id in ctx.linked.entities:
            contradicts.append(ctx.object_id(ref.id))
    return without_empty(
        **ctx.common("note", key, claim.marking, when), content=plain_text(claim.text, ctx.linked),
        object_refs=[about], confidence=CONFIDENCE.get(claim.confidence or ""),
        external_references=refs,
        **ctx.extension(dossier_type=what, dossier_id=claim.key, status=claim.status,
                        confidence=claim.confidence, likelihood=claim.likelihood,
                        credibility=claim.credibility, admiralty=admiralty(ctx, claim),
                        date=claim.date.iso() if claim.date else None,
                        end_date=claim.end_date.iso() if claim.end_date else None,
                        circa=claim.circa, contradicts=contradicts,
                        note=plain_text(claim.note, ctx.linked), citations=cited))


def admiralty(ctx: StixContext, claim: Claim) -> list[str]:
    """The Admiralty code of each cited source with a grade: its reliability and the
    claim's credibility (`B2`), or the reliability alone."""
    codes = []
    for c in claim.sources:
        s = ctx.linked.entities.get(c.source.id)
        grade = s.text("reliability") if s is not None else None
        if grade:
            code = f"{grade}{claim.credibility or ''}"
            if code not in codes:
                codes.append(code)
    return codes


def question_notes(ctx: StixContext) -> Iterator[dict[str, Any]]:
    """The dossier's open questions, marked as what the edition keeps of dossier.yml."""
    for n, q in enumerate(ctx.linked.dossier.questions):
        yield question_note(ctx, q, n, ctx.dossier_marking)


def question_note(ctx: StixContext, q: Question, n: int, marking: str) -> dict[str, Any]:
    """An open question as a note on the entities it concerns, else on the dossier's report."""
    about = [ctx.object_id(r.id) for r in q.related if r.id in ctx.linked.entities]
    return without_empty(**ctx.common("note", f"question:{n}", marking, ctx.fallback),
                         content=plain_text(q.text, ctx.linked),
                         object_refs=list(dict.fromkeys(about)) or [ctx.report_id],
                         **ctx.extension(dossier_type="question", note=plain_text(q.note, ctx.linked)))
