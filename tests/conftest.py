"""Shared helpers: small content folders written in tmp_path, each stage run on its own
(`loaded`, `validated`, `linked`), the whole pipeline, and the CLI run in-process."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import DEFAULT_CONFIG_DIR, SiteConfig, load_config
from generator.diagnostics import Diagnostics
from generator.link import LinkedDossier, link
from generator.load import LoadedContent, load_content
from generator.model import Content
from generator.pipeline import Options, Result, run
from generator.validate import validate


@pytest.fixture(autouse=True)
def fresh_mkdocs_plugins() -> None:
    """MkDocs keeps the plugins that have startup events (Material's search among them)
    from one configuration to the next in a process, so that `mkdocs serve` keeps their
    state across rebuilds; a test that starts a serve (tests/test_serve_memory.py) would
    otherwise leave Material's search merging every later build's index into its own."""
    from mkdocs.config.defaults import MkDocsConfig

    MkDocsConfig.plugins.plugin_cache.clear()


ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

MINIMAL_DOSSIER = "title: Test dossier\n"
SOURCE = "name: Src\ntitle: A source\nkind: media-report\nreliability: B\n"

#: what the `content` fixture hands a test: files → the content folder written
ContentFactory = Callable[..., Path]


def write(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root (dedented); returns root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ContentFactory:
    """Factory: a content folder in tmp_path with a dossier.yml and one source, plus files.

    The working directory is tmp_path, so diagnostics print `content/...` paths.
    """
    monkeypatch.chdir(tmp_path)

    def make(files: dict[str, str], with_defaults: bool = True) -> Path:
        base = {"content/dossier.yml": MINIMAL_DOSSIER, "content/sources/src.yml": SOURCE}
        return write(tmp_path, {**(base if with_defaults else {}), **files}) / "content"

    return make


def pipeline(content_dir: Path, **kw: object) -> Result:
    return run(Options(content_dir=content_dir, config_dir=DEFAULT_CONFIG_DIR, **kw))  # type: ignore[arg-type]


def messages(found: Result | Diagnostics) -> list[str]:
    """The diagnostics of a pipeline run or of one stage, as printed, in printed order."""
    diags = found.diags if isinstance(found, Result) else found
    return [d.format() for d in diags.sorted()]


# --- the stages one by one: each helper runs the stages before it, which must report
# nothing (the content is there for the stage under test), then that stage alone ----------


def loaded(root: Path) -> LoadedContent:
    """`root` read by the load stage, which must find nothing wrong in it."""
    diags = Diagnostics()
    found = load_content(root, diags)
    assert messages(diags) == [], "the fixture content does not load cleanly"
    return found


def validated(root: Path, config: SiteConfig) -> tuple[Content, Diagnostics]:
    """`root` loaded, then validated: the content and what validate alone reported."""
    diags = Diagnostics()
    return validate(loaded(root), config, diags), diags


def linked(root: Path, config: SiteConfig, edition: str = "full") -> tuple[LinkedDossier, Diagnostics]:
    """`root` loaded, validated (cleanly), then linked for `edition`: the linked dossier
    and what link alone reported."""
    content, found = validated(root, config)
    assert messages(found) == [], "the fixture content does not validate cleanly"
    diags = Diagnostics()
    return link(content, config.vocab, diags, edition), diags


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="session")
def site_config() -> SiteConfig:
    """The default site configuration (site_config/), read once: stages take it as given."""
    cfg = load_config(DEFAULT_CONFIG_DIR, Diagnostics())
    assert cfg is not None
    return cfg


@pytest.fixture(scope="session")
def vocab(site_config: SiteConfig) -> SiteConfig:
    """The same configuration under its older name (tests written before `site_config`)."""
    return site_config


#: the search worker (site_config/docs/assets/javascripts/search-worker.js) in a fresh V8
#: context under node: `importScripts` reads the files named by `worker`, `minisearch` and
#: `entries`, `postMessage` collects the answers in `sent`, `handler` is its listener
WORKER_CONTEXT_JS = r"""const sent = [];
let handler = null;
const ctx = vm.createContext({ console });
ctx.self = ctx;
ctx.setTimeout = setTimeout;
ctx.location = { href: "file:///site/assets/javascripts/search-worker.js" };
ctx.importScripts = (...urls) => {
  for (const url of urls)
    vm.runInContext(fs.readFileSync(url.endsWith("/search/entries.js") ? entries : minisearch, "utf8"), ctx);
};
ctx.addEventListener = (type, fn) => { handler = fn; };
ctx.postMessage = message => sent.push(message);
vm.runInContext(fs.readFileSync(worker, "utf8"), ctx);
"""
