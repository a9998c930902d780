"""Reading application and report files for the command line: the one reader every command
uses."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from screening.models.application import Application
from screening.validation import ApplicationInvalid, parse_application


class UnreadableFile(ValueError):
    """A file that is not there, or not JSON/YAML; the message is one line."""


def read_application(path: Path) -> Application:
    """An application from a JSON or YAML file; raises UnreadableFile or ApplicationInvalid."""
    return read_document(path, parse_application)  # type: ignore[no-any-return]


def read_document(path: Path, parse: Callable[[Any], Any]) -> Any:
    """A contract document from a JSON or YAML file, validated by ``parse`` (which raises
    BodyInvalid); raises UnreadableFile for a file that is not there or not JSON/YAML."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror}") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            document = yaml.safe_load(raw.decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise UnreadableFile(f"not valid YAML ({error})") from None
        if not isinstance(document, dict):
            raise UnreadableFile("the file holds no mapping")
        return parse(document)
    try:
        json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = (
            f" (line {error.lineno}: {error.msg})"
            if isinstance(error, json.JSONDecodeError)
            else ""
        )
        raise UnreadableFile(f"not valid JSON{where}") from None
    return parse(raw)


def read_applications(files: Sequence[str]) -> tuple[list[tuple[str, Application]], list[str]]:
    """Every file read; the second list holds one line per problem (``FILE: field: message``)."""
    read: list[tuple[str, Application]] = []
    problems: list[str] = []
    for name in files:
        try:
            read.append((name, read_application(Path(name))))
        except ApplicationInvalid as error:
            problems += [f"{name}: {e.field}: {e.message}" for e in error.errors]
        except UnreadableFile as error:
            problems.append(f"{name}: {error}")
    return read, problems
