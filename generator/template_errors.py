"""A user's template failed: its failures as the user's located errors.

A user's template is code the generator runs, so its failures are the user's errors,
not the generator's: `template_problem` turns any exception a template raises into a
located error (the template file and line, what Jinja said, the page being rendered);
the problems of a render are raised together at its end as `TemplateFailures`, which
is also how a time limit that is not a number of seconds is reported
(`time_limit_setting`).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError

from .diagnostics import Diagnostic, Loc, did_you_mean
from .load import display_path
from .template_limits import TIME_LIMIT, TIME_LIMIT_ENV, TemplateTimeout


class TemplateFailures(Exception):
    """The problems of templates that failed during a render, one per template file:
    raised once every page has been tried, so that one run reports them all."""

    def __init__(self, problems: list[Diagnostic]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def time_limit_setting(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds a page's template may take: DOSSIER_TEMPLATE_TIME_LIMIT if set (0: no
    limit), else TIME_LIMIT. A value that is not a number of seconds is an error, raised
    as TemplateFailures like a template's own: that is why this is here and not with
    `time_limit` (template_limits knows nothing of diagnostics)."""
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
