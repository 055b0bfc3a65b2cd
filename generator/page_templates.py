"""Pages from templates: the first of a page's templates that exists, rendered with its
view, a failure turned into the user's located error.

A template that fails (any exception, or running past the time limit) becomes a
located error and the page is left empty: the render goes on, so that one run finds
the problems of every template, and raises them at its end (`raise_problems`). Pages
whose templates include one that failed already are not tried again (one error per
template is enough, and a template that never ends would take the limit on every page).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Template, TemplateNotFound, TemplateSyntaxError, meta
from jinja2.defaults import DEFAULT_NAMESPACE

from .config import DEFAULT_TEMPLATES_DIR, Vocabularies
from .diagnostics import Diagnostic
from .template_errors import TemplateFailures, template_problem, time_limit_setting
from .template_limits import time_limit
from .templating import make_environment


class PageTemplates:
    """The templates of one render: the built-in ones, and a user's folder searched first."""

    def __init__(self, templates_dir: Path | None, vocab: Vocabularies,
                 type_labels: Mapping[str, tuple[str, str]], label: Callable[[str, str | None], str],
                 limit: float | None = None):
        #: seconds one page's template may take (`template_limits.time_limit`)
        self.limit = time_limit_setting() if limit is None else limit
        self.templates_dir = templates_dir
        self.env = make_environment(templates_dir, self.limit, vocab=vocab, type_labels=type_labels,
                                    label=label)
        self._templates: dict[tuple[str, ...], Template] = {}
        #: template problems found so far, one per template file (shown path → error)
        self.problems: dict[str, Diagnostic] = {}
        self._failed: set[str] = set()  # names of templates that failed
        self._uses: dict[tuple[str, ...], frozenset[str]] = {}  # see `_skipped`

    def render(self, names: tuple[str, ...], page: str, variables: dict[str, Any]) -> str:
        """Page `page` from the first of the templates `names` that exists ("" if it failed)."""
        if self._failed and self._skipped(names):
            return ""
        try:
            with time_limit(self.limit):
                template = self._templates.get(names)
                if template is None:  # Jinja does not remember a name it did not find
                    template = self._templates[names] = self.env.select_template(list(names))
                return template.render(**variables)
        except Exception as exc:  # the template's problem: reported as the user's error
            known = [*variables, *(k for k in self.env.globals if k not in DEFAULT_NAMESPACE)]
            problem = template_problem(exc, page or names[-1], names[0], self.templates_dir, known,
                                       self.limit)
            self.problems.setdefault(problem.path, problem)
            self._failed.update({self._name_of(problem.path), *self._uses_of(names)[:1]})
            return ""

    def take_problems(self) -> list[Diagnostic]:
        """The problems found so far, forgotten here (a worker hands them back per task)."""
        problems = list(self.problems.values())
        self.problems.clear()
        return problems

    def raise_problems(self) -> None:
        """Raise TemplateFailures if any template failed (see `render`)."""
        if self.problems:
            raise TemplateFailures(sorted(self.problems.values(), key=lambda d: (d.loc, d.message)))

    def _name_of(self, shown: str) -> str:
        """A template's name (as templates import it) from the path a problem shows."""
        for folder in ([self.templates_dir] if self.templates_dir else []) + [DEFAULT_TEMPLATES_DIR]:
            path = Path(os.path.abspath(shown))
            if path.is_relative_to(os.path.abspath(folder)):
                return path.relative_to(os.path.abspath(folder)).as_posix()
        return shown

    def _uses_of(self, key: tuple[str, ...]) -> list[str]:
        """The template chosen for `key`, then every template it imports, includes or
        extends, however deep (names written in the templates; one not found is left out)."""
        found = [name for name in key if self._source(name) is not None][:1]
        for name in found:
            source = self._source(name)
            try:
                refs = meta.find_referenced_templates(self.env.parse(source or ""))
            except TemplateSyntaxError:
                continue
            found += [r for r in refs if r is not None and r not in found and self._source(r) is not None]
        return found

    def _source(self, name: str) -> str | None:
        try:
            return self.env.loader.get_source(self.env, name)[0] if self.env.loader else None
        except TemplateNotFound:
            return None

    def _skipped(self, key: tuple[str, ...]) -> bool:
        uses = self._uses.get(key)
        if uses is None:
            uses = self._uses[key] = frozenset(self._uses_of(key))
        return not uses.isdisjoint(self._failed)
