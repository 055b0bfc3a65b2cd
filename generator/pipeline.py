"""The pipeline in one breath: load → validate → link → render (→ build).

Each stage takes the previous stage's typed result and a shared `Diagnostics`;
`run` stops before rendering when the content has errors, so nothing is built
from broken content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import DEFAULT_CONFIG_DIR, SiteConfig, load_config
from .diagnostics import Diagnostics, Loc
from .link import LinkedDossier, link
from .load import display_path, load_content
from .progress import Progress
from .render import RenderedSite, render
from .validate import validate


@dataclass
class Options:
    content_dir: Path = Path("content")
    config_dir: Path = DEFAULT_CONFIG_DIR
    templates_dir: Path | None = None
    edition: str = "full"
    strict: bool = False


@dataclass
class Result:
    diags: Diagnostics = field(default_factory=Diagnostics)
    config: SiteConfig | None = None
    linked: LinkedDossier | None = None
    site: RenderedSite | None = None

    def failed(self, strict: bool) -> bool:
        return self.diags.failed(strict)


def check(opts: Options, progress: Progress | None = None) -> Result:
    """Load, validate and link: everything that can find a problem in the content."""
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
    progress.stage("load")
    loaded = load_content(opts.content_dir, diags)
    progress.stage("validate", len(loaded.files), "files")
    content = validate(loaded, config, diags)
    progress.stage("link", len(content.entities), "entities")
    result.linked = link(content, config.vocab, diags, opts.edition)
    progress.finish()
    return result


def run(opts: Options, progress: Progress | None = None) -> Result:
    """`check`, then render the pages when the content is sound."""
    result = check(opts, progress)
    if result.linked is None or result.config is None or result.failed(opts.strict):
        return result
    result.site = render(result.linked, result.config.mkdocs_base, opts.templates_dir,
                         progress=progress)
    return result
