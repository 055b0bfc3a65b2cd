"""The Jinja2 environment the render stage fills its templates with.

Presentation lives in the templates (`templates/`, or a user's folder searched
first: a `ChoiceLoader`); this module only sets Jinja up so that content stays data
and rendering stays fast:

- `finalize=md_text` escapes every printed value for Markdown and HTML at once, and
  the filters that would mark text safe after HTML-only escaping are replaced;
- Jinja's generated code escapes every output again: here markup is passed through
  as it is instead of copied (`_Template`);
- the pure macros of `macros.md.j2` remember their output (`PURE_MACROS`);
- compiled templates are kept for the life of the process (`TEMPLATE_CACHE`).

A user's template is code the generator runs, so its failures are the user's errors,
not the generator's: `template_problem` turns any exception a template raises into a
located error (the template file and line, what Jinja said, the page being rendered),
and `time_limit` stops a template that runs too long (a loop that never ends).
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import markupsafe
from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context, Macro
from markupsafe import Markup

from .config import DEFAULT_TEMPLATES_DIR
from .diagnostics import Diagnostic, Loc, did_you_mean
from .escape import md_text, yaml_string
from .load import display_path

#: seconds the template of one page may take; a page takes milliseconds (the largest
#: built-in page, the tags of 25,000 tags, well under a second), so only a template that
#: never ends reaches it. DOSSIER_TEMPLATE_TIME_LIMIT sets another (0: no limit).
TIME_LIMIT = 10.0
TIME_LIMIT_ENV = "DOSSIER_TEMPLATE_TIME_LIMIT"


def make_environment(templates_dir: Path | None, limit: float = TIME_LIMIT,
                     **globals: Any) -> Environment:
    """An environment over the user's templates (if any), then the built-in ones.

    `limit`: the time limit (`time_limit`) for evaluating the macros file once here."""
    loaders = [FileSystemLoader(str(templates_dir))] if templates_dir else []
    loaders.append(FileSystemLoader(str(DEFAULT_TEMPLATES_DIR)))
    env = _Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=md_text,
        auto_reload=False,  # a renderer lives for one render; no file checks per page
        bytecode_cache=TEMPLATE_CACHE,
    )
    env.template_class = _Template
    env.filters.update(_SAFE_FILTERS)
    env.globals.update(globals)
    _memoize_pure_macros(env, limit)
    return env


def _join(items: Any, sep: str = "") -> Markup:
    return Markup.escape(sep).join(md_text(x) for x in items)


#: Jinja filters that would otherwise mark content as safe after HTML-only escaping.
#: Autoescape makes macro output safe markup; `finalize=md_text` escapes every other
#: value for Markdown and HTML at once.
_SAFE_FILTERS = {
    "join": _join,
    "e": md_text,
    "escape": md_text,
    "forceescape": md_text,
    "replace": lambda s, old, new, count=-1: md_text(str(s).replace(old, new, count)),
    "urlize": md_text,
    "yaml_string": lambda v: yaml_string(str(md_text(v))),
}


def _escape_output(value: Any) -> Markup:
    """`markupsafe.escape` for a printed value, except that markup (every value, after
    `finalize=md_text`) is returned as itself instead of copied."""
    if value.__class__ is Markup:
        return value
    return markupsafe.escape(value)


class _Template(Template):
    """Jinja's generated code calls `escape` on every `{{ }}` output under autoescape;
    here that name is bound to `_escape_output`. Why: with `finalize=md_text` every
    output is already Markup, and copying it again was a fifth of a profile page's
    render time. Only done when the name is markupsafe's own, so a Jinja that
    generates other code keeps its behaviour."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: MutableMapping[str, Any],
                        globals: MutableMapping[str, Any]) -> Template:
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = _escape_output
        return super()._from_namespace(environment, namespace, globals)


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the life of the process.

    Why: the live preview makes a renderer per refresh, and compiling the templates
    again each time cost a quarter of a second. Jinja keys each entry by template name
    and file and checks it against a checksum of the source, so an edited or
    overridden template is compiled afresh.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = MemoryBytecodeCache()

#: macros of macros.md.j2 whose output depends on their arguments alone and repeats
#: across pages (the same entity linked, the same badges): their results are remembered
PURE_MACROS = ("link", "cites", "badge", "assessment", "reference")


def _memoize_pure_macros(env: _Environment, limit: float) -> None:
    """Remember the results of PURE_MACROS for the module `{% import "macros.md.j2" %}` gives.

    Why: a profile page calls them about a hundred times, mostly with arguments seen on
    other pages, and each Jinja macro call costs microseconds. Jinja hands every import
    (without context) the same module object, cached on the template, so wrapping its
    attributes here reaches every template, overridden or not. Calls between macros of
    the file (a reference calls `badge`) name the Macro object itself: `_Context.call`
    sends those to the same memory.
    """
    try:
        with time_limit(limit):
            module = env.get_template("macros.md.j2").module
    except Exception:  # a user's broken macros.md.j2 is not remembered: its error is
        return  # reported, with its place, when a page imports the file
    for name in PURE_MACROS:
        macro = getattr(module, name, None)
        if isinstance(macro, Macro):
            remembered = _Remembered(macro)
            setattr(module, name, remembered)
            env.remembered[macro] = remembered


MEMO_MAX = 200_000  # results one remembered macro keeps before it starts afresh


class _Remembered:
    """A pure macro and the results it gave, by arguments (lists count as tuples).

    Markup among the arguments is never looked up (see `__call__`); markup nested in a
    tuple argument is not looked for: the views pass links and words as plain text."""

    __slots__ = ("macro", "results")

    def __init__(self, macro: Callable[..., Any]):
        self.macro = macro
        self.results: dict[Any, Any] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:  # named arguments: rare, not remembered
            return self.macro(*args, **kwargs)
        for a in args:
            if a.__class__ is Markup:
                # markup equals the plain text it spells, as a key: the output made for one
                # would be served to the other (unescaped content, or escaped markup)
                return self.macro(*args)
        try:
            return self.results[args]
        except KeyError:
            key = args
        except TypeError:  # a list among the arguments
            key = tuple(tuple(a) if isinstance(a, list) else a for a in args)
            try:
                return self.results[key]
            except KeyError:
                pass
            except TypeError:  # still an argument that cannot be a key: no memory
                return self.macro(*args)
        if len(self.results) >= MEMO_MAX:  # e.g. an overridden macro whose arguments never repeat
            self.results.clear()
        out = self.results[key] = self.macro(*args)
        return out


class _Context(Context):
    """Jinja's generated code calls every function and macro through `Context.call`,
    which inspects the callee for the arguments to pass it (a dozen attribute lookups).
    A remembered macro needs none: it is called directly, its Macro object included."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        cls = __obj.__class__
        if cls is _Remembered or cls is Macro:
            fast = __obj if cls is _Remembered else __self.environment.remembered.get(__obj)  # type: ignore[attr-defined]
            if fast is not None:
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
                return fast(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


class _Environment(Environment):
    """An environment that knows its remembered macros (see `_Context`)."""

    context_class = _Context

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.remembered: dict[Macro, _Remembered] = {}


# --- a template's failures: located errors, and a time limit per page --------------------


class TemplateTimeout(Exception):
    """Raised inside a template that ran past its time limit (see `time_limit`)."""


class TemplateFailures(Exception):
    """The problems of templates that failed during a render, one per template file:
    raised once every page has been tried, so that one run reports them all."""

    def __init__(self, problems: list[Diagnostic]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def time_limit_setting(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds a page's template may take: DOSSIER_TEMPLATE_TIME_LIMIT if set (0: no
    limit), else TIME_LIMIT. A value that is not a number of seconds is an error."""
    raw = environ.get(TIME_LIMIT_ENV, "").strip()
    if not raw:
        return TIME_LIMIT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds >= 0):
        raise TemplateFailures([Diagnostic(
            "error", Loc(TIME_LIMIT_ENV), f"{TIME_LIMIT_ENV} must be a number of seconds, not '{raw}'",
            f"Leave it unset for {TIME_LIMIT:g} s per page, or set 0 for no limit.")])
    return seconds


def time_limit(seconds: float) -> contextlib.AbstractContextManager[None]:
    """Raise TemplateTimeout in the code run inside once it has run `seconds` (0: never).

    In the main thread a timer signal interrupts it (`_Alarm`); a forked render worker
    is the main thread of its process. Signals reach only the main thread, so elsewhere
    (the live preview renders in a watcher thread, MkDocs' own serve rebuilds in
    another) a watching thread interrupts it (`_Watchdog`). Either way the exception
    comes between two steps of Python code: a single step that never ends (a C call)
    is not interrupted.
    """
    if seconds <= 0:
        return contextlib.nullcontext()
    if threading.current_thread() is threading.main_thread():
        return _Alarm(seconds)
    return _WATCHDOG.limit(seconds)


class _Alarm:
    """A one-shot ITIMER_REAL timer whose SIGALRM raises TemplateTimeout.

    Each page sets it and clears it, and puts back the handler and any timer that was
    there before: 12.6 µs a page, measured (most of it the two handler swaps), about 1%
    of a profile page's 1.2 ms. The handler puts the old handler back itself before
    raising, so a late signal (the page ended as the timer ran out) can never raise
    outside the page: at worst it fails that page.
    """

    __slots__ = ("pending", "previous", "seconds", "started")

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self) -> None:
        self.previous = signal.signal(signal.SIGALRM, self._expire)
        self.started = time.monotonic()
        self.pending = signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def _expire(self, signum: int, frame: FrameType | None) -> None:
        self._put_back_handler()
        raise TemplateTimeout

    def _put_back_handler(self) -> None:
        signal.signal(signal.SIGALRM, self.previous if self.previous is not None else signal.SIG_DFL)

    def __exit__(self, *exc: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        self._put_back_handler()
        delay, interval = self.pending
        if delay:  # someone else's timer was running: it runs on, less the time spent here
            spent = time.monotonic() - self.started
            signal.setitimer(signal.ITIMER_REAL, max(delay - spent, 1e-6), interval)


def _raise_in_thread(ident: int, exc: type[BaseException] | None) -> None:
    """Raise `exc` in thread `ident` at its next step of Python code (None: withdraw)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                               None if exc is None else ctypes.py_object(exc))


class _Watchdog:
    """Time limits for threads other than the main one: one daemon thread keeps every
    thread's deadline and raises TemplateTimeout in a thread past its own.

    It sleeps until the earliest deadline, so a run of pages wakes it about once per
    limit, not once per page. A deadline is taken out under the lock both by the
    watchdog (before raising) and by the thread (when its page ends, withdrawing an
    exception sent but not yet raised): no exception can reach a thread after its page.
    """

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # a fork copies no thread

    def _reset(self) -> None:
        self._lock = threading.Condition()
        self._deadlines: dict[int, float] = {}
        self._wake = math.inf  # when the watchdog looks again
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def limit(self, seconds: float) -> Iterator[None]:
        ident = threading.get_ident()
        deadline = time.monotonic() + seconds
        with self._lock:
            self._deadlines[ident] = deadline
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="dossier-template-watchdog",
                                                daemon=True)
                self._thread.start()
            elif deadline < self._wake:
                self._lock.notify()
        try:
            yield
        finally:
            with self._lock:
                if self._deadlines.pop(ident, None) is None:  # the watchdog has sent it
                    _raise_in_thread(ident, None)

    def _watch(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                for ident, deadline in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[ident]
                        _raise_in_thread(ident, TemplateTimeout)
                self._wake = min(self._deadlines.values(), default=math.inf)
                self._lock.wait(None if self._wake == math.inf else self._wake - now)


_WATCHDOG = _Watchdog()


def template_problem(exc: Exception, page: str, fallback: str, user_dir: Path | None,
                     variables: Iterable[str], limit: float) -> Diagnostic:
    """A template's failure as a located error: the template file and line (the user's
    own file when the failure passed through one), what Jinja said, and the page.

    `fallback`: the template to name when no template line is known."""
    where = _where(exc, user_dir)
    filename, line = where if where is not None else (fallback, 0)
    return Diagnostic("error", Loc(_shown(filename, user_dir), line, 1 if line else 0),
                      f"{_what(exc, limit)} (rendering {page})", _hint(exc, variables))


def _where(exc: BaseException, user_dir: Path | None) -> tuple[str, int] | None:
    """The innermost template line the failure passed through (in the user's folder, if
    any was). Jinja rewrites a failure's traceback so that template code appears as
    frames of the template's file and line, marked by `__jinja_exception__`."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    frames = [(tb.tb_frame.f_code.co_filename, tb.tb_lineno) for tb in _tracebacks(exc.__traceback__)
              if "__jinja_exception__" in tb.tb_frame.f_globals]
    own = [f for f in frames if user_dir is not None and _inside(f[0], user_dir)]
    found = own or frames
    return found[-1] if found else None


def _tracebacks(tb: TracebackType | None) -> Iterator[TracebackType]:
    while tb is not None:
        yield tb
        tb = tb.tb_next


def _inside(filename: str, folder: Path) -> bool:
    return Path(os.path.abspath(filename)).is_relative_to(os.path.abspath(folder))


def _shown(filename: str, user_dir: Path | None) -> str:
    """The user's template as the path they gave (`mytemplates/entity.md.j2`), a built-in
    one relative to the working folder when inside it."""
    if user_dir is not None and _inside(filename, user_dir):
        return filename
    return display_path(Path(filename))


def _what(exc: Exception, limit: float) -> str:
    if isinstance(exc, TemplateTimeout):
        return f"still running after {limit:g} s"
    if isinstance(exc, TemplateNotFound):
        return f"template '{exc.name}' not found"
    if isinstance(exc, TemplateError):
        return exc.message or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined")


def _hint(exc: Exception, variables: Iterable[str]) -> str | None:
    if isinstance(exc, TemplateTimeout):
        return (f"Does a loop never end? Set {TIME_LIMIT_ENV} to allow more seconds per page "
                "(0: no limit).")
    if isinstance(exc, UndefinedError) and (m := _UNDEFINED_NAME.fullmatch(exc.message or "")):
        names = sorted(set(variables))
        return did_you_mean(m.group(1), names) or f"The page's template is given: {', '.join(names)}."
    return None
