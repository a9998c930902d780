"""What makes up a ruleset release, and its content hash.

The hash covers every file that decides verdicts: the rule files (``rules/*.yaml``), the
manifest, and the data files (``rules/data/**``). It leaves out ``VERSION`` (which records the
hash), the examples and the compiled artifact. ``screening rules check`` fails when the hash
recorded in ``VERSION`` is not the files' hash (content changed, version did not); the service
refuses a compiled ruleset whose hash is not the hash of the rule files beside it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

VERSION_FILE = "VERSION"
MANIFEST_FILE = "manifest.yaml"
COMPILED_DIR = "compiled"


def ruleset_files(root: Path) -> Iterator[Path]:
    """The files whose content the hash covers, in a stable order."""
    yield from sorted(p for p in root.glob("*.yaml") if p.is_file())
    data = root / "data"
    if data.is_dir():
        yield from sorted(p for p in data.rglob("*.yaml") if p.is_file())


def content_hash(root: Path) -> str:
    """sha256 over the files' relative paths and bytes, first 16 hex digits."""
    digest = hashlib.sha256()
    for path in ruleset_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def default_rules_dir() -> Path:
    """``$LSH_RULES_DIR`` (the rules layer, /opt, in Lambda), else the repository's ``rules/``."""
    configured = os.environ.get("LSH_RULES_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "rules"
