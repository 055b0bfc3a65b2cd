"""A vocabulary word checked, for the validate stage: relation types, statuses,
confidences, kinds, grades and markings, each against the configuration's vocabulary.

An unknown word gets the word meant as its hint, by meaning (`works-for` → member-of)
or by spelling (`confimed` → confirmed), else the vocabulary's words.
"""

from __future__ import annotations

from typing import Any

from .dates import shown
from .diagnostics import did_you_mean
from .schema import FieldSpec
from .types import TYPES_TABLE
from .validate_values import INVALID, Converter, FileContext, report_wrong_kind
from .yamlstrict import Path_

#: what a word of each vocabulary is called in messages ("unknown agency kind 'x'")
VOCAB_NOUNS = {
    "relation_types": "relation type", "statuses": "status", "confidences": "confidence",
    "likelihoods": "likelihood",
    **{spec.kind_vocab: f"{spec.name} kind" for spec in TYPES_TABLE if spec.kind_vocab},
}


#: words writers reach for that a vocabulary says otherwise, → the vocabulary's word (used
#: only when that word is in the vocabulary read): spelling alone cannot find these
#: (`works-for` is 0.47 from `reports-to`, `medium` 0.17 from `moderate`)
WORD_SYNONYMS = {
    "medium": "moderate", "mid": "moderate", "average": "moderate", "fair": "moderate",
    "works-for": "member-of", "employed-by": "member-of", "belongs-to": "member-of",
    "member": "member-of", "works-at": "member-of",
    "heads": "leads", "head-of": "leads", "directs": "leads", "director-of": "leads",
    "commands": "leads", "subordinate-to": "reports-to", "under": "reports-to",
    "works-with": "cooperates-with", "partner-of": "cooperates-with", "cooperates": "cooperates-with",
    "collaborates-with": "cooperates-with", "allied": "allied-with", "ally-of": "allied-with",
    "based-in": "located-in", "located-at": "located-in", "in": "located-in",
    "finances": "funds", "sponsors": "funds", "pays": "funds", "arms": "supplies",
    "sells-to": "supplies", "met": "met-with", "runs": "operates",
    "verified": "confirmed", "proven": "confirmed", "rumoured": "alleged", "rumored": "alleged",
    "claimed": "alleged", "unconfirmed": "reported", "contested": "disputed",
    "refuted": "denied", "probable": "likely", "possible": "roughly-even",
    "article": "media-report", "news": "media-report", "press-release": "official-statement",
    "statement": "official-statement", "report": "analysis",
}


def word_hint(raw: str, words: Any) -> str:
    """The hint for an unknown vocabulary word: the word meant, by meaning or spelling,
    else the vocabulary's words."""
    meant = WORD_SYNONYMS.get(raw.lower())
    if meant in words:
        return f"Did you mean '{meant}'?"
    return did_you_mean(raw, words) or did_you_mean(raw.lower(), words) \
        or f"Use one of: {', '.join(words)}."


def _choice(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_, words: Any, what: str) -> Any:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return report_wrong_kind(ctx, path, spec, f"one of: {', '.join(words)}", raw)
    if raw not in words:
        ctx.error(path, f"unknown {what} '{shown(raw)}'", word_hint(raw, words))
        return INVALID
    return raw


def _enum(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    vocab = spec.vocab or ""
    what = VOCAB_NOUNS.get(vocab, vocab)
    return _choice(ctx, spec, raw, path, ctx.config.vocab.words(vocab), what)


def _reliability(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    return _choice(ctx, spec, raw, path, ctx.config.vocab.labels["reliability"], "reliability grade")


def _credibility(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    value = _choice(ctx, spec, raw, path, ctx.config.vocab.labels["credibility"], "credibility grade")
    return INVALID if value is INVALID else int(value)


def _marking(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    return _choice(ctx, spec, raw, path, ctx.config.vocab.markings, "marking")


#: each kind of field whose value is a word of a vocabulary → its check
WORD_CONVERTERS: dict[str, Converter] = {
    "enum": _enum,
    "reliability": _reliability,
    "credibility": _credibility,
    "marking": _marking,
}
