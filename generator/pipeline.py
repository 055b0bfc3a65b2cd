"""The pipeline in one breath: load → validate → link → render (→ build).

Each stage takes the previous stage's typed result and a shared `Diagnostics`;
`run` stops before rendering when the content has errors, so nothing is built
from broken content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .config import DEFAULT_CONFIG_DIR, SiteConfig, load_config
from .diagnostics import Diagnostics, Loc
from .gc_control import settle
from .history import site_history
from .link import LinkedDossier, link
from .load import Listing, LoadCache, display_path, list_content, load_listed, read_file
from .model import Content, Entity
from .parallel import can_fork, map_chunks
from .progress import Progress
from .render import PageSink, RenderedSite, render
from .template_errors import TemplateFailures
from .tradecraft import check_tradecraft
from .validate import ValidateCache, assemble, validate, validate_dossier, validate_file

#: files below which loading and validating is not shared with a helper process (the
#: fork and the results' trip back cost more than they save)
PARALLEL_MIN_FILES = 1000
PARALLEL_CHUNK_FILES = 200


@dataclass
class Options:
    content_dir: Path = Path("content")
    config_dir: Path = DEFAULT_CONFIG_DIR
    templates_dir: Path | None = None
    edition: str = "full"
    strict: bool = False
    jobs: int = 1  # processes that load, validate and render; >1 only where forking is safe (the CLI)
    sink: PageSink | None = None  # what those processes hand pages to (see `render.render`)


@dataclass
class Result:
    diags: Diagnostics = field(default_factory=Diagnostics)
    config: SiteConfig | None = None
    linked: LinkedDossier | None = None
    site: RenderedSite | None = None

    def failed(self, strict: bool) -> bool:
        return self.diags.failed(strict)


def check(opts: Options, progress: Progress | None = None,
          load_cache: LoadCache | None = None, validate_cache: ValidateCache | None = None) -> Result:
    """Load, validate and link: everything that can find a problem in the content.

    The caches let a long-running caller (the live preview) skip unchanged files.
    """
    progress = progress or Progress.off()
    result = Result()
    diags = result.diags
    config = load_config(opts.config_dir, diags)
    if config is None:
        return result
    result.config = config
    if opts.edition not in config.vocab.editions:
        diags.error(Loc(display_path(opts.content_dir)), f"unknown edition '{opts.edition}'",
                    f"Editions: {', '.join(config.vocab.editions)}.")
        return result
    listing = list_content(opts.content_dir, diags)
    if opts.jobs > 1 and load_cache is None and validate_cache is None \
            and len(listing.files) >= PARALLEL_MIN_FILES and can_fork():
        content = _load_and_validate_shared(listing, config, diags, progress, opts.jobs)
    else:
        progress.stage("load")
        loaded = load_listed(listing, diags, load_cache)
        settle()
        progress.stage("validate", len(loaded.files), "files")
        content = validate(loaded, config, diags, validate_cache)
    check_tradecraft(content, config.tradecraft, diags)
    settle()
    progress.stage("link", len(content.entities), "entities")
    result.linked = link(content, config.vocab, diags, opts.edition)
    settle()
    progress.finish()
    return result


def _load_and_validate_shared(listing: Listing, config: SiteConfig, diags: Diagnostics,
                              progress: Progress, jobs: int) -> Content:
    """Load and validate, each file in this process or a forked helper (`parallel`).

    The same as `load_listed` then `validate`, file by file: the dossier file first
    (entities inherit its marking), then every entity file read and checked on its
    own, then the checks that span files (`assemble`).
    """
    loaded = load_listed(Listing(listing.root, listing.dossier), diags)
    dossier = validate_dossier(loaded, config, diags)
    files = listing.files

    def load_and_validate(chunk: Sequence[tuple[Path, str, str]]) -> tuple[list[Entity | None], Diagnostics]:
        own = Diagnostics()
        entities = []
        for path, shown, type_ in chunk:
            f = read_file(path, shown, type_, own)
            entities.append(None if f is None else validate_file(f, config, dossier.marking, own))
        return entities, own

    progress.stage("load and validate", len(files), "files")
    shown = 0

    def done(chunks: int) -> None:
        nonlocal shown
        now = min(chunks * PARALLEL_CHUNK_FILES, len(files))
        progress.step(now - shown)
        shown = now

    entities: list[Entity | None] = []
    for made, own in map_chunks(load_and_validate, files, jobs=jobs, min_items=PARALLEL_MIN_FILES,
                                chunk=PARALLEL_CHUNK_FILES, done=done):
        entities += made
        diags.items += own.items
    return assemble(dossier, entities, diags)


def run(opts: Options, progress: Progress | None = None) -> Result:
    """`check`, then render the pages when the content is sound (with the content's git
    history, read here in one pass: `history`)."""
    result = check(opts, progress)
    if result.linked is None or result.config is None or result.failed(opts.strict):
        return result
    history = site_history(opts.content_dir, result.linked, opts.edition)
    try:
        result.site = render(result.linked, result.config.mkdocs_base, opts.templates_dir,
                             result.config.static_pages, progress=progress, jobs=opts.jobs,
                             sink=opts.sink, history=history)
    except TemplateFailures as exc:  # a template's errors are reported like the content's
        result.diags.items += exc.problems
        return result
    settle()
    return result
