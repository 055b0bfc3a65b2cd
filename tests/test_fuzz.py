"""Fuzzing: random content folders through load → validate → link → render.

Hypothesis writes folders of YAML-ish files — random structures, markup,
Unicode, control characters, references that may or may not exist, broken
bytes — and the pipeline must answer with diagnostics only, never an
exception. The budget is bounded and, under the `ci` profile (the default
in the suite), derandomised so that runs are reproducible.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from generator import escape
from generator.config import DEFAULT_CONFIG_DIR
from generator.pipeline import Options, run

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("DOSSIER_FUZZ_PROFILE", "ci"))

FOLDERS = ["people", "agencies", "domains", "events", "installations", "countries", "sources"]
IDS = ["a", "b", "src", "fsb", "x-1", "index", "Bad_Id", "../up", ""]
FIELDS = ["name", "title", "aliases", "summary", "tags", "relations", "claims", "sources", "roles",
          "born", "date", "end_date", "since", "until", "kind", "country", "parent", "marking",
          "iso", "url", "reliability", "participants", "note", "id", "nationality", "key",
          "status", "type", "target", "text", "credibility", "location", "unknown"]
MARKUP = ["<script>alert(1)</script>", "[[a]]", "[[src|x]]", "[[Bad]]", "[[", "| x |", "# h",
          "\"", "'", "\\", "\u202e", "\u200b", "\x00", "\x07", "\ud7ff", "😀", "{{ x }}", "&amp;",
          "2019-02-30", "2019", "NO", "010", "true", "~", " #c", "TLP:RED", "met-with"]

text = st.one_of(st.text(max_size=30), st.sampled_from(MARKUP + IDS),
                 st.lists(st.sampled_from(MARKUP), max_size=4).map("".join))
scalars = st.one_of(text, st.integers(-10, 3000), st.booleans(), st.none(), st.floats(allow_nan=True))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5)),
    max_leaves=12)
profiles = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)


def _dump(data: object) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return "name: x\n"


# nearly valid profiles, so that random text reaches the renderer too
GOOD_IDS = ["a", "b", "src"]
citations = st.lists(st.sampled_from(GOOD_IDS), min_size=1, max_size=2)
nearly_valid = st.fixed_dictionaries(
    {"name": text.filter(lambda t: bool(t.strip()))},
    optional={
        "aliases": st.lists(text, max_size=3), "summary": text, "tags": st.lists(text, max_size=2),
        "note": text,
        "relations": st.lists(st.fixed_dictionaries(
            {"type": st.sampled_from(["met-with", "leads", "cooperates-with", "bogus"]),
             "target": st.sampled_from(GOOD_IDS), "sources": citations},
            optional={"note": text, "since": st.sampled_from([2019, "2019-04", "2020-13"]),
                      "marking": st.sampled_from(["TLP:CLEAR", "TLP:AMBER", "TLP:RED"])}), max_size=3),
        "claims": st.lists(st.fixed_dictionaries(
            {"text": text, "sources": st.lists(st.fixed_dictionaries(
                {"source": st.sampled_from(GOOD_IDS)}, optional={"locator": text}), max_size=2)},
            optional={"marking": st.sampled_from(["TLP:GREEN", "TLP:RED"]),
                      "key": st.sampled_from(["k", "a"])}),
            max_size=3),
        "marking": st.sampled_from(["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER"]),
    })

YAML_BITS = ["name: ", "- ", "  ", "\t", "&a ", "*a", "!!x ", "---\n", "[", "{", ": ", "\n", "#", "'",
             *MARKUP]
raw_text = st.one_of(profiles.map(_dump), nearly_valid.map(_dump), nearly_valid.map(_dump),
                     st.text(max_size=200),
                     st.lists(st.sampled_from(YAML_BITS), max_size=20).map("".join))
file_bytes = st.one_of(raw_text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=64))
entries = st.lists(st.tuples(st.sampled_from([*FOLDERS, "", "misc"]), st.sampled_from(IDS + GOOD_IDS * 3),
                             st.sampled_from([".yml", ".yaml", ".txt"]), file_bytes), max_size=6)
dossiers = st.one_of(st.none(), profiles.map(_dump).map(str.encode))


def _run_folder(entries: list[tuple[str, str, str, bytes]], dossier: bytes | None) -> bool:
    """Write the folder, run the pipeline in both editions; True when a site was rendered."""
    root = Path(tempfile.mkdtemp(prefix="dossier-fuzz-"))
    rendered = False
    try:
        content = root / "content"
        content.mkdir()
        if dossier is not None:
            (content / "dossier.yml").write_bytes(dossier)
        for folder, ident, suffix, data in entries:
            path = content / folder / f"{ident or 'e'}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for edition in ("full", "public"):
            result = run(Options(content_dir=content, config_dir=DEFAULT_CONFIG_DIR, edition=edition))
            for d in result.diags.items:
                assert d.message and d.loc.path  # every diagnostic says what and where
            if not result.diags.has_errors():
                assert result.site is not None and "index.md" in result.site.pages
                rendered = True
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rendered


@given(entries=entries, dossier=dossiers)
def test_any_content_folder_gives_diagnostics_never_an_exception(entries, dossier):
    _run_folder(entries, dossier)


def test_the_fuzzer_reaches_the_renderer():
    """Guards the strategy: folders that never render would leave the renderer unfuzzed."""
    found = find(st.tuples(entries, dossiers), lambda ed: _run_folder(*ed),
                 settings=settings(max_examples=200, database=None, derandomize=True))
    assert found is not None


# --- the bound on Markdown work (markdown_bound._WorkBounds) ----------------------------------

#: pieces of Markdown whose ends Python-Markdown looks for: brackets, parentheses, quotes,
#: backtick runs, backslashes, tags, entities, emphasis, list, quote and table lines
MARKDOWN_BITS = ["[", "]", "(", ")", "`", "``", "```", "\\", "\\`", "\\\\", '"', "'", " ", "  \n",
                 "\n", "\n\n", "a", "<", ">", "<b>", "</b>", '<a x="', "&", "&amp;", "&#", "*", "_", "!",
                 "[a](b)", '[a](b "t")', "[a](b 't')", "[a](<b>)", "](", "[a][b]", "\n[b]: http://x\n",
                 "![a](b)", "- ", "1. ", "> ", "|", "| a | b |\n|---|---|\n", "<http://x>", "#"]


@contextmanager
def _unbounded_markdown() -> Iterator[None]:
    """prose_html with Python-Markdown as it comes, for comparison."""
    bounded = escape._md
    escape._md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    try:
        yield
    finally:
        escape._md = bounded


@settings(max_examples=400)
@given(st.lists(st.sampled_from(MARKDOWN_BITS), max_size=40), st.booleans())
def test_the_bound_changes_no_page_it_says_nothing_about(bits, inline):
    """Taking out of play what Markdown would scan to the end for nothing leaves the page
    byte for byte as Markdown made it, unless the bound says it changed something."""
    text = "".join(bits)
    bounded = escape.prose_html(text, inline)
    if escape._bounds.budget.notes:
        return
    with _unbounded_markdown():
        assert escape.prose_html(text, inline) == bounded


#: as MARKDOWN_BITS, with pieces that reach each limit when a few are put together
HEAVY_BITS = [*MARKDOWN_BITS, "[" * 9, "]" * 9, "> " * 9, "- " * 9, "    " * 8, "<a " * 9,
              "".join("`" * k + "a" for k in range(8, 0, -1)), '[a](b "c) ', "a\n\n" * 400,
              "# h\n" * 100, "***\n" * 100, "`a` " * 200, "*a* " * 200, "|" * 400, "> - + * 1. "]


@settings(max_examples=150)
@given(st.lists(st.sampled_from(HEAVY_BITS), max_size=30))
def test_the_screen_before_a_warning_never_hides_one(bits):
    """validate converts a field to look for the bound's notes only when the cheap screen
    says a limit may be reached: any field the bound changes passes the screen."""
    text = "".join(bits)
    escape.prose_html(text)
    if escape._bounds.budget.notes:
        assert escape._may_reach_a_limit(text)
