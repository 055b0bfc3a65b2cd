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

A user's template is code the generator runs: `template_limits.time_limit` stops one
that runs too long (a loop that never ends), and `template_errors.template_problem`
turns any exception it raises into the user's located error.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import markupsafe
from jinja2 import BytecodeCache, ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, Template
from jinja2.bccache import Bucket
from jinja2.runtime import Context, Macro
from markupsafe import Markup

from .config import DEFAULT_TEMPLATES_DIR
from .escape import md_text, yaml_string
from .template_limits import TIME_LIMIT, time_limit


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
