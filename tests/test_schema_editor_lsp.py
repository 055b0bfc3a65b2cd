"""The schemas in the editor itself: the YAML language server that VS Code's YAML extension
runs (yaml-language-server, from the npm registry: `make .venv/npm/.installed`), set up
with the `yaml.schemas` mapping `dossier schema --out` writes, exactly as a writer would.

The issue found every agency file failing in the editor (one schema for all types) and
no completion for vocabulary words or ids; this drives the server over its protocol and
reads back its diagnostics and completions.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

from .conftest import ROOT

SERVER = ROOT / ".venv" / "npm" / "node_modules" / ".bin" / "yaml-language-server"
#: how long to wait for one answer before the test fails rather than hangs (a bound, not a
#: measurement: the server answers in well under a second)
ANSWER_WITHIN = 60

pytestmark = pytest.mark.skipif(not SERVER.exists() or shutil.which("node") is None,
                                reason="yaml-language-server not installed (make .venv/npm/.installed)")


class LanguageServer:
    """A minimal client of the Language Server Protocol over the server's stdio."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.settings = {"schemas": json.loads((workspace / "schemas" / "yaml.schemas.json")
                                               .read_text())["yaml.schemas"],
                         "validate": True, "completion": True, "schemaStore": {"enable": False}}
        self.proc = subprocess.Popen([str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=workspace)
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        uri = workspace.as_uri()
        self.request("initialize", {"processId": os.getpid(), "rootUri": uri,
                                    "workspaceFolders": [{"uri": uri, "name": "content"}],
                                    "capabilities": {"workspace": {"configuration": True}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.settings}})

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while (line := out.readline().decode()) not in ("\r\n", ""):
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":")[1])
            if not line:
                return
            self.inbox.put(json.loads(out.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        data = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(data), data))
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        asked = self.next_id
        self._send({"id": asked, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == asked and "method" not in m).get("result")

    def wait(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The next message `wanted`, answering the server's own requests meanwhile."""
        while True:
            message = self.inbox.get(timeout=ANSWER_WITHIN)
            if message.get("method") == "workspace/configuration":
                self._send({"id": message["id"], "result": [self.settings] * len(message["params"]["items"])})
            elif "method" in message and "id" in message:
                self._send({"id": message["id"], "result": None})
            elif wanted(message):
                return message

    def diagnostics(self, path: Path, text: str) -> list[tuple[int, str]]:
        """(line, message) of each problem the server finds in `text` opened as `path` (a
        path not opened before: the server keeps what it read of a closed one)."""
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                              "version": 1, "text": text}})
        found = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == uri)
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        return [(d["range"]["start"]["line"] + 1, d["message"]) for d in found["params"]["diagnostics"]]

    def completions(self, path: Path, text: str, line: int, column: int) -> dict[str, str]:
        """label → documentation of what the server offers at 1-based `line`, 0-based `column`."""
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                              "version": 1, "text": text}})
        result = self.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                          "position": {"line": line - 1,
                                                                       "character": column}})
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        items = result["items"] if isinstance(result, dict) else result or []
        return {item["label"]: _text(item.get("documentation")) for item in items}

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


def _text(documentation: Any) -> str:
    return documentation.get("value", "") if isinstance(documentation, dict) else documentation or ""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LanguageServer]:
    """A workspace with a copy of the default dossier and the schemas written for it, as
    `dossier schema --out schemas --content content` writes them from the workspace."""
    workspace = tmp_path_factory.mktemp("workspace")
    shutil.copytree(ROOT / "content", workspace / "content")
    here = Path.cwd()
    os.chdir(workspace)
    try:
        assert main(["schema", "--out", "schemas", "--content", "content"]) == 0
    finally:
        os.chdir(here)
    running = LanguageServer(workspace)
    # the server reads its settings and the schemas after the first files: until then it
    # finds nothing wrong anywhere; a bounded number of tries, so a schema that never
    # applies fails here rather than hangs
    ready = any(running.diagnostics(workspace / "content" / "people" / f"ready-{n}.yml",
                                    "name: X\nwebsite: y\n") for n in range(50))
    assert ready, "the YAML language server never applied the person schema"
    yield running
    running.close()


def test_every_file_of_the_default_dossier_is_clean_in_the_editor(server):
    files = sorted((server.workspace / "content").rglob("*.yml"))
    found = {str(p.relative_to(server.workspace)): server.diagnostics(p, p.read_text(encoding="utf-8"))
             for p in files}
    assert {path: problems for path, problems in found.items() if problems} == {}
    assert len(found) > 100


MISTAKES = """\
name: Test
born: 2019-13
website: x
nationality: [venezuel]
relations:
  - type: works-for
    target: fsb
    sources: [fsb]
claims:
  - text: T
    confidence: medium
"""


def test_the_editor_marks_what_check_refuses_on_its_line(server):
    path = server.workspace / "content" / "people" / "new-person.yml"
    found = server.diagnostics(path, MISTAKES)
    assert sorted({line for line, _ in found}) == [2, 3, 4, 6, 8, 11]  # month 13, unknown field,
    # an id, a word, not a source, a word; the date's own message, not a type mismatch
    assert (2, "Write a date: 2019, 2019-04 or 2019-04-25 (months 01 to 12).") in found


@pytest.mark.parametrize(("text", "line", "column", "offered", "documented"), [
    ("name: T\nrelations:\n  - type: \n", 3, 10, "cooperates-with", "cooperates with"),
    ("name: T\nclaims:\n  - text: T\n    status: \n", 4, 12, "reported", "reported"),
    ("name: T\nnationality: \n", 2, 13, "venezuela", None),
    ("name: T\nroles:\n  - title: X\n    organization: \n", 4, 18, "fsb", None),
    ("name: T\nrelations:\n  - \n", 3, 4, "relation", None),
    ("name: T\nclaims:\n  - \n", 3, 4, "claim", None),
    ("name: T\nroles:\n  - \n", 3, 4, "role", None),
])
def test_the_editor_completes_words_and_ids(server, text, line, column, offered, documented):
    path = server.workspace / "content" / "people" / f"typing-{offered}.yml"  # one per case
    found = server.completions(path, text, line, column)
    assert offered in found
    if documented is not None:
        assert found[offered] == documented
    if offered == "venezuela":
        assert "fsb" not in found  # an agency is no nationality


def test_an_agency_file_fits_only_its_own_schema(server):
    """The issue's finding: agency files failed in the editor under the one-for-all schema."""
    agencies = server.workspace / "content" / "agencies"
    assert server.diagnostics(agencies / "x.yml", "name: X\nkind: ministry\ncountry: russia\n") == []
    assert [line for line, _ in server.diagnostics(agencies / "y.yml", "name: X\nborn: 1970\n")] == [2]
