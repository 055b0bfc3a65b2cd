"""The benchmark's synthetic dossiers are sound content, so it never measures broken input."""

from __future__ import annotations

import importlib.util
import sys

from .conftest import ROOT, cli


def _generate_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_synthetic_dossier_passes_strict_check_and_is_deterministic(tmp_path, capsys):
    generate = _generate_module().generate
    assert generate(100, tmp_path / "a") == 100
    code, _, err = cli(capsys, "check", "--strict", "--content", str(tmp_path / "a"))
    assert code == 0, err
    assert err.strip().endswith("ok: 0 errors, 0 warnings")
    generate(100, tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yml"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    text = "".join((tmp_path / "a" / f).read_text(encoding="utf-8") for f in files)
    assert "[[" in text and "relations:" in text and "claims:" in text
    assert any("\u0400" <= c <= "\u04ff" for c in text)  # aliases in Cyrillic too
