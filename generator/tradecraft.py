"""Tradecraft checks: warnings on how statements are hedged and sourced.

The content model can say a statement is `confirmed` at `low` confidence, or `confirmed`
on one source graded D; nothing in the format stops it, and an audit of the default
dossier (November 2026) found 21 hedging errors, 10 of them `confirmed` at `low`. These
rules report such statements as warnings (so `--strict`, and CI, fail on them), each
with a code; `site_config/tradecraft.yml` turns a rule off or sets its thresholds.

- `confirmed-low-confidence`: a claim, key judgment or relation `confirmed` at `low`
  confidence (confirmed means the sources settle it).
- `weak-sources`: one `confirmed` or at `high` confidence whose graded sources are all
  weak (D, E or F by default), or whose only source is graded below B.
- `no-locator`: a claim or relation citing a long source (a kind listed in
  `long_source_kinds`: an analysis, by default) without saying where in it.
- `stale-profile`: a profile whose `updated` is more than `stale_after_days` before the
  dossier's own `updated` (else `published`) in dossier.yml. The content's date, never
  the clock: the same content gives the same warnings, and the same site, any day.

Run on the validated content of every edition (`pipeline.check`), after the checks that
make the content readable, so it sees sources by id.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostics, Loc, did_you_mean
from .model import Citation, Claim, Content, Entity, Relation
from .yamlstrict import SourceMap

RULES = {
    "confirmed-low-confidence": "a statement `confirmed` at `low` confidence",
    "weak-sources": "a statement `confirmed` or at `high` confidence resting only on weak "
                    "sources, or on a single source graded below the lone-source grade",
    "no-locator": "a claim or relation citing a long source without a `locator`",
    "stale-profile": "a profile not `updated` for longer than `stale_after_days` before the "
                     "dossier's `updated` date",
}
GRADES = "ABCDEF"


@dataclass(frozen=True)
class TradecraftSettings:
    """`site_config/tradecraft.yml`, or these defaults when there is none."""

    off: frozenset[str] = frozenset()
    weak_grades: frozenset[str] = frozenset("DEF")
    lone_source_grade: str = "B"  # a statement resting on one source needs this grade or better
    long_source_kinds: frozenset[str] = frozenset({"analysis"})
    stale_after_days: int = 365
    #: the file it was read from, for messages ('' for the defaults)
    path: str = field(default="", compare=False)

    def on(self, rule: str) -> bool:
        return rule not in self.off


# --- the settings file -------------------------------------------------------------------

SETTINGS = ("rules", "weak_grades", "lone_source_grade", "long_source_kinds", "stale_after_days")


def read_settings(data: Any, smap: SourceMap, shown: str, diags: Diagnostics) -> TradecraftSettings:
    """The settings of a tradecraft.yml read as `data`; each wrong entry a located error
    (the defaults stand in for it)."""

    def error(at: tuple[str | int, ...], message: str, hint: str | None = None) -> None:
        span = smap.value(at)
        diags.error(Loc(shown, span.line + 1, span.column + 1), message, hint)

    if data is None:
        return TradecraftSettings(path=shown)
    if not isinstance(data, dict):
        error((), "tradecraft.yml must be a mapping of settings")
        return TradecraftSettings(path=shown)
    for key in data:
        if key not in SETTINGS:
            error((key,), f"unknown tradecraft setting '{key}'",
                  did_you_mean(str(key), SETTINGS) or f"Settings: {', '.join(SETTINGS)}.")
    found: dict[str, Any] = {"path": shown}
    rules = data.get("rules", {})
    if isinstance(rules, dict):
        for rule, value in rules.items():
            if rule not in RULES:
                error(("rules", rule), f"unknown tradecraft rule '{rule}'",
                      did_you_mean(str(rule), RULES) or f"Rules: {', '.join(RULES)}.")
            elif not isinstance(value, bool):
                error(("rules", rule), f"tradecraft rule '{rule}' must be true or false")
        found["off"] = frozenset(r for r, v in rules.items() if v is False)
    else:
        error(("rules",), "tradecraft setting 'rules' must be a mapping of rule: true or false")
    for key in ("weak_grades", "long_source_kinds"):
        if key in data:
            value = data[key]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                found[key] = frozenset(value)
            else:
                error((key,), f"tradecraft setting '{key}' must be a list of words")
    bad_grades = sorted(found.get("weak_grades", frozenset()) - set(GRADES))
    if bad_grades:
        error(("weak_grades",), f"tradecraft setting 'weak_grades' names {', '.join(bad_grades)}",
              "Grades are A to F.")
    if "lone_source_grade" in data:
        if data["lone_source_grade"] in tuple(GRADES):
            found["lone_source_grade"] = data["lone_source_grade"]
        else:
            error(("lone_source_grade",), "tradecraft setting 'lone_source_grade' must be a grade A to F")
    if "stale_after_days" in data:
        days = data["stale_after_days"]
        if isinstance(days, int) and not isinstance(days, bool) and days > 0:
            found["stale_after_days"] = days
        else:
            error(("stale_after_days",), "tradecraft setting 'stale_after_days' must be a whole "
                  "number of days above 0")
    return TradecraftSettings(**found)


# --- the checks ----------------------------------------------------------------------------

Statement = Claim | Relation


def _statements(content: Content) -> Iterator[tuple[str, Statement]]:
    """Every claim, key judgment and relation, with how messages name it."""
    for claim in content.dossier.key_judgments:
        yield "key judgment", claim
    for entity in content.entities.values():
        for claim in entity.claims:
            yield "claim", claim
        for r in entity.relations:
            yield f"relation '{r.type}' to '{r.target.id}'", r


def check_tradecraft(content: Content, settings: TradecraftSettings, diags: Diagnostics) -> None:
    """Warn of each statement and profile a rule flags (see the module docstring)."""
    sources = {e.id: e for e in content.entities.values() if e.type == "source"}
    for what, statement in _statements(content):
        _check_statement(what, statement, sources, settings, diags)
    if settings.on("stale-profile"):
        _check_stale(content, settings, diags)


def _check_statement(what: str, s: Statement, sources: dict[str, Entity], settings: TradecraftSettings,
                     diags: Diagnostics) -> None:
    if settings.on("confirmed-low-confidence") and s.status == "confirmed" and s.confidence == "low":
        diags.warning(s.loc, f"{what} is 'confirmed' at low confidence",
                      "Confirmed means the sources settle it: make it `reported` or `alleged`, or "
                      "raise the confidence if the sources bear it.")
    strong = "confirmed" if s.status == "confirmed" else \
        "at high confidence" if s.confidence == "high" else None
    if settings.on("weak-sources") and strong:
        problem = _weak_sources(s.sources, sources, settings)
        if problem:
            diags.warning(s.loc, f"{what} is {strong} but {problem}",
                          "Cite a better-graded source, or hedge the statement to what its "
                          "sources carry (status `reported`, confidence `moderate` or `low`).")
    if settings.on("no-locator"):
        for citation in s.sources:
            source = sources.get(citation.source.id)
            kind = source.text("kind") if source else None
            if kind in settings.long_source_kinds and not citation.locator:
                diags.warning(citation.source.loc, f"{what} cites the long source "
                              f"'{citation.source.id}' ({kind}) without a locator",
                              f"Say where in it: `{{source: {citation.source.id}, locator: "
                              "\"p. 12\"}` (a page, section or paragraph).")


def _weak_sources(cited: list[Citation], sources: dict[str, Entity],
                  settings: TradecraftSettings) -> str | None:
    """What is weak about the sources a strong statement cites, if anything: all graded
    ones weak, or a single one graded below the lone-source grade. Ungraded sources say
    nothing either way."""
    grades = {c.source.id: grade for c in cited
              if (grade := _grade(sources.get(c.source.id))) is not None}
    ids = {c.source.id for c in cited}
    if not grades or len(grades) < len(ids):
        return None
    if all(g in settings.weak_grades for g in grades.values()):
        graded = ", ".join(f"'{i}' {g}" for i, g in sorted(grades.items()))
        return f"rests only on sources graded {'–'.join(_span(settings.weak_grades))} ({graded})"
    if len(grades) == 1:
        (only, grade), = grades.items()
        if GRADES.index(grade) > GRADES.index(settings.lone_source_grade):
            return f"rests on a single source graded {grade} ('{only}')"
    return None


def _span(grades: frozenset[str]) -> list[str]:
    ordered = sorted(grades)
    return [ordered[0], ordered[-1]] if len(ordered) > 1 else ordered


def _grade(source: Entity | None) -> str | None:
    grade = source.text("reliability") if source else None
    return grade if grade in tuple(GRADES) else None


def _check_stale(content: Content, settings: TradecraftSettings, diags: Diagnostics) -> None:
    dossier = content.dossier
    reference, which = (dossier.updated, "updated") if dossier.updated else (dossier.published, "published")
    if reference is None:
        return
    for entity in content.entities.values():
        if entity.updated is None:
            continue
        days = (reference.start() - entity.updated.end()).days
        if days > settings.stale_after_days:
            diags.warning(entity.loc, f"profile last updated {entity.updated.iso()}, {days} days "
                          f"before the dossier's `{which}` {reference.iso()} (more than "
                          f"{settings.stale_after_days})",
                          "Review the profile and set its `updated:` date.")
