"""MkDocs plugin `dossier`: lets `mkdocs build` and `mkdocs serve` run from the project root.

A thin shell like the CLI: it runs the pipeline when MkDocs loads its
configuration, hands the rendered pages to MkDocs as generated files (the way
mkdocs-gen-files does) and asks the live-reload server to watch the content,
templates and site configuration too.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .build import StagedSite, site_lock, source_date_epoch
from .diagnostics import report
from .outputs import OutputRefused, inputs
from .pipeline import Options, run
from .render import RenderedSite
from .serve import watched_paths


class DossierPluginConfig(Config):
    content = c.Type(str, default="content")
    config_dir = c.Type(str, default="site_config")
    templates = c.Optional(c.Type(str))
    edition = c.Type(str, default="full")
    strict = c.Type(bool, default=False)


class _CountWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class DossierPlugin(BasePlugin[DossierPluginConfig]):
    def __init__(self) -> None:
        self.site: RenderedSite | None = None
        self.options: Options | None = None
        self.stage = False  # build into a staging folder (mkdocs build, not serve or --dirty)
        self.staged: StagedSite | None = None
        #: the site folder's lock, held from staging to the swap (as `dossier build` does),
        #: so two builds into one folder take turns and neither cleans up the other's stage
        self.lock = contextlib.ExitStack()
        self.built = False
        self.strict = False
        self.warnings = _CountWarnings()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.stage = command in ("build", "gh-deploy") and not dirty

    def _options(self, config_file: str) -> Options:
        root = Path(config_file).resolve().parent
        templates = self.config.templates
        return Options(
            content_dir=root / self.config.content,
            config_dir=root / self.config.config_dir,
            templates_dir=root / templates if templates else None,
            edition=self.config.edition,
            strict=self.config.strict,
        )

    def on_config(self, config: Any) -> Any:
        self.options = self._options(config.config_file_path)
        # `mkdocs build --strict` makes content warnings fail too, whatever -q hides
        self.options.strict = self.options.strict or bool(config.get("strict"))
        mkdocs_log = logging.getLogger("mkdocs")
        if config.get("strict") and mkdocs_log.getEffectiveLevel() > logging.WARNING:
            # -q silences warnings before MkDocs can count them, so --strict -q would pass
            mkdocs_log.setLevel(logging.WARNING)
        result = run(self.options)
        report(result.diags, self.options.strict)
        if result.site is None or result.failed(self.options.strict):
            raise PluginError("the dossier content has errors (listed above)")
        self.site = result.site
        # the content's date, not the clock, stamps the sitemap (reproducible builds)
        os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(self.site.content_date))
        if self.stage:
            # MkDocs empties site_dir first and fails a --strict build only at the end:
            # build beside it instead, and swap in on success (see on_shutdown)
            site_dir = Path(config["site_dir"]).resolve()
            site_dir.parent.mkdir(parents=True, exist_ok=True)
            self.lock.enter_context(site_lock(site_dir.parent))
            try:  # never over a folder Dossier did not make (a checkout's .git, say)
                self.staged = StagedSite(site_dir, inputs(
                    self.options.content_dir, self.options.config_dir, self.options.templates_dir))
            except OutputRefused as refused:
                raise PluginError(refused.diagnostic.format()) from None
            config["site_dir"] = str(self.staged.staging)
            self.strict = bool(config.get("strict"))
            logging.getLogger("mkdocs").addHandler(self.warnings)
        generated = self.site.mkdocs_config
        config["site_name"] = generated["site_name"]
        config["site_description"] = generated["site_description"]
        config["nav"] = generated["nav"]
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.site is not None
        for path, text in self.site.pages.items():
            files.append(File.generated(config, path, content=text))
        return files

    def on_post_build(self, *, config: Any) -> None:
        self.built = True

    def on_shutdown(self) -> None:
        with self.lock:  # released last, whatever happens
            if self.staged is None:
                return
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            try:
                if self.built and not (self.strict and self.warnings.count):
                    self.staged.publish()
            finally:
                self.staged.discard()
                self.staged = None

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        if self.options is not None:
            for path in watched_paths(self.options):
                server.watch(str(path))
        return server


