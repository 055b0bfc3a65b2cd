"""A user's templates (`--templates DIR`) are code the generator runs: every failure is
a located error naming their file, line and the page, with no traceback; a template that
never ends is stopped by a time limit, in the main thread, in forked workers and in the
live preview's thread."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import render as render_module
from generator.pipeline import Options, check
from generator.serve import Preview, refresh
from generator.serve_banner import SERVE_ERRORS
from generator.template_errors import TemplateFailures
from generator.template_limits import TIME_LIMIT_ENV, TemplateTimeout, time_limit

from .conftest import cli, write

PEOPLE = {"content/people/a.yml": "name: A\ntags: [one]\n", "content/people/b.yml": "name: B\n"}
FRONT = "---\ntitle: x\n---\n"
LOOP = "{% for i in range(10**12) %}{% endfor %}"


@pytest.mark.parametrize(("files", "expected"), [
    ({"entity.md.j2": FRONT + "# {{ entity.name }}\n{% if entity.id == 'a' %}{{ entty.name }}{% endif %}\n"},
     "mytemplates/entity.md.j2:5:1: error: 'entty' is undefined (rendering people/a.md) "
     "Did you mean 'entity'?"),
    ({"home.md.j2": "# Home\n\n{% if %}\n"},
     "mytemplates/home.md.j2:3:1: error: Expected an expression, got 'end of statement block' "
     "(rendering index.md)"),
    ({"network.md.j2": FRONT + "# {{ title }}\n{{ 1 // 0 }}\n"},
     "mytemplates/network.md.j2:5:1: error: ZeroDivisionError: integer division or modulo by zero "
     "(rendering network.md)"),
    ({"tags.md.j2": FRONT + "{{ nothing }}\n"},
     "mytemplates/tags.md.j2:4:1: error: 'nothing' is undefined (rendering tags.md) "
     "The page's template is given: groups, label, letter, letters, overview, title, total, "
     "type_labels, vocab."),
    # a built-in macro given the wrong thing: the user's line that called it
    ({"bibliography.md.j2": '{% import "macros.md.j2" as m %}\n# B\n\n{{ m.link(42) }}\n'},
     "mytemplates/bibliography.md.j2:4:1: error: 'int object' has no attribute 'text' "
     "(rendering bibliography.md)"),
    ({"timeline.md.j2": '{% include "nowhere.md.j2" %}\n'},
     "mytemplates/timeline.md.j2:1:1: error: template 'nowhere.md.j2' not found (rendering timeline.md)"),
], ids=["undefined", "syntax", "exception", "undefined-listed", "macro-misused", "not-found"])
def test_a_broken_template_is_a_located_error_and_nothing_is_built(capsys, content, files, expected):
    root = content(PEOPLE)
    write(root.parent / "mytemplates", files)
    code, out, err = cli(capsys, "build", "--content", str(root), "--templates", "mytemplates",
                         "--site-dir", "site")
    assert code == 1 and out == ""
    assert err.splitlines()[-2:] == [expected, "dossier: failed: 1 error, 0 warnings"]
    assert "Traceback" not in err and not (root.parent / "site").exists()


def test_every_broken_template_is_reported_once_and_the_previous_site_stays_whole(capsys, content):
    root = content(PEOPLE)
    assert cli(capsys, "build", "--content", str(root), "--site-dir", "site")[0] == 0
    before = {p: p.read_bytes() for p in (root.parent / "site").rglob("*") if p.is_file()}
    write(root.parent / "mytemplates", {
        "entity.md.j2": FRONT + "{{ entity.nme }}\n",  # fails on every profile page
        "index.md.j2": FRONT + "{% for %}\n",
        "home.md.j2": "{{ dossier.title }}\n" + "{{ 1 / 0 }}\n",
    })
    code, _, err = cli(capsys, "build", "--content", str(root), "--templates", "mytemplates",
                       "--site-dir", "site")
    assert code == 1 and "Traceback" not in err
    lines = err.splitlines()
    assert [line.split(" error: ")[0] for line in lines[:-1]] == [
        "mytemplates/entity.md.j2:4:1:", "mytemplates/home.md.j2:2:1:", "mytemplates/index.md.j2:4:1:"]
    assert lines[-1] == "dossier: failed: 3 errors, 0 warnings"
    assert {p: p.read_bytes() for p in (root.parent / "site").rglob("*") if p.is_file()} == before


def test_a_broken_macros_file_is_a_located_error_not_a_crash(capsys, content):
    root = content(PEOPLE)
    write(root.parent / "mytemplates", {"macros.md.j2": "{% macro link(l) %}{{ l.text }{% endmacro %}\n"})
    code, _, err = cli(capsys, "render", "--content", str(root), "--templates", "mytemplates",
                       "--out", "tree")
    assert code == 1 and "Traceback" not in err and not (root.parent / "tree").exists()
    first = err.splitlines()[0]
    assert first.startswith("mytemplates/macros.md.j2:1:1: error: unexpected '}' (rendering ")
    assert err.splitlines()[-1] == "dossier: failed: 1 error, 0 warnings"


# --- the time limit ---------------------------------------------------------------------------
# The limits below stop templates that never end, so their size only sets how long a test
# waits; they are well above what a good page takes even on a loaded machine (a 0.2 s limit
# stopped good pages when 8 builds shared two cores).


def test_a_template_that_never_ends_is_stopped_on_the_command_line(capsys, content, monkeypatch):
    monkeypatch.setenv(TIME_LIMIT_ENV, "1.5")
    root = content(PEOPLE)
    write(root.parent / "mytemplates", {"tags.md.j2": FRONT + "# Tags\n" + LOOP + "\n"})
    code, _, err = cli(capsys, "build", "--content", str(root), "--templates", "mytemplates",
                       "--site-dir", "site")
    assert code == 1 and "Traceback" not in err and not (root.parent / "site").exists()
    assert err.splitlines()[-2:] == [
        "mytemplates/tags.md.j2:5:1: error: still running after 1.5 s (rendering tags.md) Does a "
        f"loop never end? Set {TIME_LIMIT_ENV} to allow more seconds per page (0: no limit).",
        "dossier: failed: 1 error, 0 warnings"]


def test_a_time_limit_that_is_not_a_number_is_an_error(capsys, content, monkeypatch):
    monkeypatch.setenv(TIME_LIMIT_ENV, "ten")
    root = content(PEOPLE)
    code, _, err = cli(capsys, "build", "--content", str(root), "--site-dir", "site")
    assert code == 1 and not (root.parent / "site").exists()
    assert err.splitlines()[0] == (
        f"{TIME_LIMIT_ENV}: error: {TIME_LIMIT_ENV} must be a number of seconds, not 'ten' "
        "Leave it unset for 10 s per page, or set 0 for no limit.")


BROKEN = {
    "entity.md.j2": FRONT + "# {{ entity.name }}\n{% if entity.id == 'b' %}" + LOOP + "{% endif %}\n",
    "timeline.md.j2": FRONT + "{{ nothing }}\n",
}


def _problems(root: Path, how: Callable[[Callable[[], object]], None]) -> list[str]:
    """The template problems of a render with BROKEN templates, run by `how`."""
    write(root.parent / "mytemplates", BROKEN)
    result = check(Options(content_dir=root))
    assert result.linked is not None and result.config is not None
    linked, config = result.linked, result.config
    found: list[str] = []

    def run() -> None:
        try:
            render_module.render(linked, config.mkdocs_base, root.parent / "mytemplates", jobs=2,
                                 limit=1.5)
        except TemplateFailures as exc:
            found.extend(p.format() for p in exc.problems)

    how(run)
    return found


def _in_a_thread(work: Callable[[], object]) -> None:
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_template_problems_come_back_alike_from_forked_workers_and_from_a_thread(content, monkeypatch):
    root = content(PEOPLE)
    serial = _problems(root, lambda work: work())
    assert [p.split(" (rendering")[0] for p in serial] == [
        f"{root.parent}/mytemplates/entity.md.j2:5:1: error: still running after 1.5 s",
        f"{root.parent}/mytemplates/timeline.md.j2:4:1: error: 'nothing' is undefined"]
    assert "(rendering people/b.md)" in serial[0] and "(rendering timeline.md)" in serial[1]
    assert _problems(root, _in_a_thread) == serial
    monkeypatch.setattr(render_module, "PARALLEL_MIN", 1)  # forked workers, even for two profiles
    monkeypatch.setattr(render_module, "PARALLEL_CHUNK", 1)
    assert _problems(root, lambda work: work()) == serial


def test_the_live_preview_reports_a_runaway_template_and_keeps_the_last_good_site(capsys, content,
                                                                                   monkeypatch):
    monkeypatch.setenv(TIME_LIMIT_ENV, "1.5")
    root = content(PEOPLE)
    own = root.parent / "mytemplates"
    own.mkdir()
    opts, tree, state = Options(content_dir=root, templates_dir=own), root.parent / "tree", Preview()
    assert refresh(opts, tree, state)  # the first refresh runs in the main thread
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    write(own, {"tags.md.j2": FRONT + LOOP + "\n"})
    state.full_next = True  # as the watcher does when a template changes
    capsys.readouterr()
    outcome: list[bool] = []
    _in_a_thread(lambda: outcome.append(refresh(opts, tree, state)))  # later ones in the watcher's
    err = capsys.readouterr().err
    assert outcome == [False] and "Traceback" not in err
    assert f"{own}/tags.md.j2:4:1: error: still running after 1.5 s (rendering tags.md)" in err
    assert "dossier: still serving the last good site" in err
    banner = tree / "docs" / SERVE_ERRORS  # only the browser's error banner changes
    after = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    assert {p: b for p, b in after.items() if p != banner} == \
        {p: b for p, b in before.items() if p != banner}
    assert "still running after 1.5 s" in banner.read_text(encoding="utf-8")


def _alarm_handler(signum: int, frame: object) -> None:
    raise AssertionError("the other timer's signal")


def test_the_timer_signal_puts_back_what_was_there_before():
    previous = signal.signal(signal.SIGALRM, _alarm_handler)
    signal.setitimer(signal.ITIMER_REAL, 100.0)  # someone else's timer, far off
    try:
        with time_limit(5.0):
            assert signal.getsignal(signal.SIGALRM) is not _alarm_handler
        assert signal.getsignal(signal.SIGALRM) is _alarm_handler
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100.0  # still running
        with pytest.raises(TemplateTimeout), time_limit(0.05):
            while True:
                pass
        assert signal.getsignal(signal.SIGALRM) is _alarm_handler
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("run", [lambda work: work(), _in_a_thread], ids=["main-thread", "thread"])
def test_a_time_limit_never_fires_after_its_block(run):
    """Work that ends in time is never interrupted, then or later (the timer signal in the
    main thread, the watchdog elsewhere)."""
    done: list[str] = []

    def work() -> None:
        for _ in range(20):
            with time_limit(0.5):  # generous: a loaded machine may pause a thread for long
                pass
        time.sleep(0.6)  # past every limit set above: nothing may be raised now
        done.append("ok")

    run(work)
    assert done == ["ok"]


@pytest.mark.parametrize("run", [lambda work: work(), _in_a_thread], ids=["main-thread", "thread"])
def test_a_time_limit_stops_a_loop_that_never_ends(run):
    stopped: list[str] = []

    def work() -> None:
        try:
            with time_limit(0.05):
                while True:
                    pass
        except TemplateTimeout:
            stopped.append("stopped")

    run(work)
    assert stopped == ["stopped"]


@pytest.mark.parametrize("message", [
    "'name' is undefined (rendering page)", "template 'name' not found (rendering page)",
    "Exception: message (rendering page)", "still running after N s (rendering page)",
    f"{TIME_LIMIT_ENV} must be a number of seconds, not 'value'"])
def test_the_error_messages_page_documents_every_template_message(message):
    from .conftest import ROOT

    page = (ROOT / "site_config" / "docs" / "errors.md").read_text(encoding="utf-8").replace("*", "")
    assert f"| {message}" in page


# --- the Jinja environment: a user's templates by name, shortcuts that change no output ------


def test_user_templates_override_by_name(tmp_path: Path) -> None:
    from .conftest import FIXTURES
    from .test_pages import rendered

    own = write(tmp_path, {"own/entity.md.j2": "---\ntitle: x\n---\n# OWN {{ entity.name }}\n"})
    pages = rendered(FIXTURES / "mini", templates=own / "own")
    assert pages["people/jane-doe.md"].endswith("# OWN Jane Doe\n")
    assert "# Mini dossier" in pages["index.md"]  # not overridden: the built-in one


def test_render_shortcuts_change_no_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remembered macros (called past Jinja's `Context.call`) and the un-copied escape
    give byte-identical pages."""
    import jinja2

    from generator import templating as r

    from .conftest import FIXTURES
    from .test_pages import rendered

    fast = rendered(FIXTURES / "hostile") | rendered(FIXTURES / "mini")
    monkeypatch.setattr(r, "PURE_MACROS", ())
    monkeypatch.setattr(r, "_Template", jinja2.Template)
    monkeypatch.setattr(r._Environment, "context_class", jinja2.runtime.Context)
    plain = rendered(FIXTURES / "hostile") | rendered(FIXTURES / "mini")
    assert fast == plain


def test_remembered_macros_keep_a_bounded_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import templating as r

    calls: list[object] = []
    monkeypatch.setattr(r, "MEMO_MAX", 3)
    link = r._Remembered(lambda text: calls.append(text) or f"<{text}>")
    assert [link(t) for t in "abca"] == ["<a>", "<b>", "<c>", "<a>"]
    assert calls == ["a", "b", "c"]  # "a" again: remembered
    assert [link(t) for t in "dab"] == ["<d>", "<a>", "<b>"]
    assert calls == ["a", "b", "c", "d", "a", "b"]  # full at "d": started afresh
    assert link(["x", "y"]) == "<['x', 'y']>" and link(["x", "y"]) == "<['x', 'y']>"
    assert calls[-1] == ["x", "y"] and len(calls) == 7  # a list argument is remembered by value


def test_a_remembered_macro_called_with_names_is_called_afresh() -> None:
    from generator import templating as r

    calls: list[tuple[str, str]] = []
    badge = r._Remembered(lambda kind, word="": calls.append((kind, word)) or f"{kind}:{word}")
    assert badge("a", word="b") == "a:b" and badge("a", word="b") == "a:b"
    assert calls == [("a", "b"), ("a", "b")]  # named arguments are not remembered
    assert badge("a") == "a:" and badge("a") == "a:" and len(calls) == 3


def test_a_remembered_macro_never_serves_markup_output_to_plain_text() -> None:
    """Markup("<b>x</b>") == "<b>x</b>" as a key: the output made for trusted markup must
    not come back for the same text from content, which must be escaped."""
    from markupsafe import Markup

    from generator import templating as r

    show = r._Remembered(lambda v: Markup("{0}").format(v))
    assert show(Markup("<b>x</b>")) == "<b>x</b>"
    assert show("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert show(Markup("<b>x</b>")) == "<b>x</b>"
