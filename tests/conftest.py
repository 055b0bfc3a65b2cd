"""Shared helpers: small content folders written in tmp_path, and the CLI run in-process."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import DEFAULT_CONFIG_DIR, load_config
from generator.diagnostics import Diagnostics
from generator.pipeline import Options, Result, run

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

MINIMAL_DOSSIER = "title: Test dossier\n"
SOURCE = "name: Src\ntitle: A source\nkind: media-report\nreliability: B\n"


def write(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root (dedented); returns root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
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


def messages(result: Result) -> list[str]:
    return [d.format() for d in result.diags.sorted()]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="session")
def vocab():  # type: ignore[no-untyped-def]
    cfg = load_config(DEFAULT_CONFIG_DIR, Diagnostics())
    assert cfg is not None
    return cfg
