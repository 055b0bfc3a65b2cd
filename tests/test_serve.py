"""`dossier serve`: regenerates on content edits, and keeps serving the last good
site when an edit breaks the content."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import FIXTURES


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return str(r.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(predicate, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--content", str(content),
         "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        yield content, f"http://127.0.0.1:{port}", tmp_path / "serve.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_edit_regenerates_and_broken_edit_keeps_last_good_site(served):
    content, base, log = served
    url = f"{base}/people/jane-doe.html"
    assert wait_for(lambda: (fetch(url) or "").count("Jane Doe") > 0), log.read_text()
    profile = content / "people" / "jane-doe.yml"
    profile.write_text(profile.read_text().replace("name: Jane Doe", "name: Janet Doe"))
    assert wait_for(lambda: "Janet Doe" in (fetch(url) or "")), log.read_text()
    # the inverse side is refreshed too: John Roe's page shows the new name
    assert wait_for(lambda: "Janet Doe" in (fetch(f"{base}/people/john-roe.html") or ""))
    profile.write_text(profile.read_text().replace("target: john-roe", "target: john-roee"))
    assert wait_for(lambda: "unknown id 'john-roee'" in log.read_text()), log.read_text()
    assert "still serving the last good site" in log.read_text()
    time.sleep(1)
    assert "Janet Doe" in (fetch(url) or "")
