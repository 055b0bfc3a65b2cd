"""The JavaScript the site ships is the npm registry's, byte for byte.

Sites must work with no network, so libraries are committed under
`site_config/docs/assets/javascripts/` and copied into every site; `make test` installs
the same exact versions from the registry (`NPM_PACKAGES` in the Makefile) under
`.venv/npm`, and this test compares the two. To upgrade a library: change its version in
the Makefile, copy the file over, and this test says whether they agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / ".venv" / "npm" / "node_modules"
SHIPPED = ROOT / "site_config" / "docs" / "assets" / "javascripts"

#: (package, version, file in the package, file shipped in the site)
VENDORED = [
    ("iframe-worker", "1.0.4", "shim/index.js", "iframe-worker/shim.js"),
    ("cytoscape", "3.35.0", "dist/cytoscape.min.js", "cytoscape/cytoscape.min.js"),
    ("minisearch", "7.2.0", "dist/umd/index.js", "minisearch/index.js"),
]


def _makefile_packages() -> set[str]:
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                if line.startswith("NPM_PACKAGES"))
    return set(line.split(":=", 1)[1].split())


@pytest.mark.parametrize(("package", "version", "inside", "shipped"), VENDORED)
def test_the_makefile_installs_the_shipped_version(package: str, version: str, inside: str,
                                                   shipped: str) -> None:
    assert f"{package}@{version}" in _makefile_packages()
    assert (SHIPPED / shipped).is_file()
    assert (SHIPPED / shipped).parent.joinpath("LICENSE").is_file() or \
        (SHIPPED / shipped).with_name("LICENSE").is_file(), "ship the library's licence beside it"


@pytest.mark.parametrize(("package", "version", "inside", "shipped"), VENDORED)
def test_the_shipped_file_is_the_registrys(package: str, version: str, inside: str, shipped: str) -> None:
    installed = NODE_MODULES / package
    if not installed.is_dir():
        pytest.skip("npm packages not installed (make test installs them)")
    assert json.loads((installed / "package.json").read_text())["version"] == version
    assert (installed / inside).read_bytes() == (SHIPPED / shipped).read_bytes()
