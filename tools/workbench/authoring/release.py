"""Releasing a ruleset: ``screening rules bump`` writes the manifest and ``VERSION``.

A release is the rule files' content under a version: the version moves whenever the content
does. ``rules check`` refuses rule files whose hash is not the one recorded in ``VERSION``;
``rules bump`` records the manifest (every rule file and its rule ids), the new hash, a new
version (``YYYY.MM.N``, or the one given) and the date from which it is in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from screening.ruleset.release import MANIFEST_FILE, VERSION_FILE, content_hash

from .compile import rule_files

MANIFEST_HEADER = """\
# yaml-language-server: $schema=../schemas/manifest-file.schema.json
#
# What the ruleset consists of: every rule file and the rule ids it defines. Written by
# `screening rules bump`; `screening rules check` and the service refuse rule files that differ
# from it (a deleted or truncated rule file never screens).
"""
VERSION_HEADER = """\
# The ruleset release. Written by `screening rules bump`: the version moves with the content.
# content_hash is sha256 over the rule files, the manifest and data/ (screening.ruleset.release);
# `screening rules check` fails when the files no longer have this hash.
"""


@dataclass(frozen=True)
class Release:
    version: str
    content_hash: str
    effective_from: date


def read_release(root: Path) -> Release | None:
    path = root / VERSION_FILE
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    if not isinstance(data, dict):
        return None
    effective = data.get("effective_from")
    return Release(
        str(data.get("version", "")),
        str(data.get("content_hash", "")),
        effective if isinstance(effective, date) else date.today(),
    )


def manifest_of(root: Path) -> dict[str, list[str]]:
    """Every rule file and the ids of its rules, as the files are now."""
    files: dict[str, list[str]] = {}
    for path in rule_files(root):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        rules = data.get("rules", []) if isinstance(data, dict) else []
        files[path.name] = [str(r.get("id")) for r in rules if isinstance(r, dict)]
    return files


def next_version(previous: str | None, today: date) -> str:
    """``2026.12.1``, then ``2026.12.2`` in the same month; a new month starts at 1."""
    prefix = f"{today.year}.{today.month:02d}."
    if previous and previous.startswith(prefix):
        tail = previous.removeprefix(prefix)
        if tail.isdigit():
            return f"{prefix}{int(tail) + 1}"
    return f"{prefix}1"


def write_manifest(root: Path) -> None:
    path = root / MANIFEST_FILE
    existing = yaml.safe_load(path.read_text("utf-8")) if path.is_file() else None
    subject = existing.get("subject") if isinstance(existing, dict) else None
    content: dict[str, object] = {"subject": subject} if subject else {}
    content["files"] = manifest_of(root)
    body = yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
    (root / MANIFEST_FILE).write_text(MANIFEST_HEADER + body, "utf-8")


def bump(
    root: Path,
    version: str | None = None,
    effective_from: date | None = None,
    today: date | None = None,
) -> tuple[Release, bool]:
    """Record the files as a release. Returns it, and whether anything changed."""
    today = today or date.today()
    previous = read_release(root)
    write_manifest(root)
    files_hash = content_hash(root)
    if previous is not None and previous.content_hash == files_hash and version is None:
        return previous, False
    if version is not None and not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.\-]{0,31}", version):
        raise ValueError("a version is letters, digits, dots and hyphens, e.g. 2026.12.1")
    if previous is not None and version == previous.version and files_hash != previous.content_hash:
        raise ValueError(f"version {version} already names other content; choose a new one")
    release = Release(
        version or next_version(previous.version if previous else None, today),
        files_hash,
        effective_from or today,
    )
    (root / VERSION_FILE).write_text(
        VERSION_HEADER
        + f"version: {release.version}\n"
        + f"content_hash: {release.content_hash}\n"
        + f"effective_from: {release.effective_from.isoformat()}\n",
        "utf-8",
    )
    return release, True


def release_from(source: Path, rules_dir: Path) -> Path:
    """Compile the rule files in ``source`` (a release's folder or git checkout) and ship them
    as ``rules/releases/VERSION.json``, beside the current release, in force from their date."""
    from screening.ruleset.compiled import RELEASES_DIR, artifact_text

    from .compile import compile_rules

    ruleset = compile_rules(source).ruleset  # a release's VERSION must match its files
    target = rules_dir / RELEASES_DIR / f"{ruleset.version['version']}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(artifact_text(ruleset), encoding="utf-8")
    return target
