"""`dossier new TYPE "Name"`: a profile file to start from, with every field named."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

from .load import FOLDER_OF_TYPE, TYPE_FOLDERS
from .schema import ID_MAX, TYPE_FIELDS


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:ID_MAX].strip("-")


def _yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_profile(content_dir: Path, type_: str, name: str) -> int:
    type_ = TYPE_FOLDERS.get(type_, type_)
    if type_ not in TYPE_FIELDS:
        print(f"dossier: unknown type '{type_}'; use one of: {', '.join(TYPE_FIELDS)}",
              file=sys.stderr)
        return 2
    slug = slugify(name)
    if not slug:
        print("dossier: the name gives no usable id; pass a name with Latin letters or digits",
              file=sys.stderr)
        return 2
    path = content_dir / FOLDER_OF_TYPE[type_] / f"{slug}.yml"
    if path.exists():
        print(f"dossier: {path} exists already; not overwritten", file=sys.stderr)
        return 1
    lines = [f"name: {_yaml_quote(name)}", "aliases: []", "summary: >-", "  Write a summary here.",
             "tags: []"]
    for field, spec in TYPE_FIELDS[type_].items():
        if spec.required:
            lines.append(f"{field}: " + ("2024" if spec.kind == "date" else _yaml_quote(name)))
        else:
            lines.append(f"# {field}:   # {spec.doc}")
    lines += ["relations: []", "claims: []", "sources: []"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(path)
    return 0
