"""The rule files as they were at a git revision, checked out into a temporary folder."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path


def _git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise ValueError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def is_revision(rules_dir: Path, ref: str) -> bool:
    try:
        _git(rules_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ValueError:
        return False
    return True


def rules_at(rules_dir: Path, ref: str) -> tuple[Path, str]:
    """A folder holding ``rules_dir`` as it was at ``ref``, and the commit it resolved to."""
    top = Path(_git(rules_dir, "rev-parse", "--show-toplevel").strip())
    inside = rules_dir.resolve().relative_to(top.resolve()).as_posix()
    commit = _git(rules_dir, "rev-parse", "--verify", f"{ref}^{{commit}}").strip()
    archive = subprocess.run(
        ["git", "-C", str(top), "archive", "--format=tar", commit, inside],
        capture_output=True,
        check=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="lsh-rules-"))
    atexit.register(shutil.rmtree, folder, True)  # the checkout lives as long as the command
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / inside, commit
