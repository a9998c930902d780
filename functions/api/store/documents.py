"""Documents (JSON texts) in DynamoDB items: stored as text, or compressed when large.

A DynamoDB item holds at most 400 KB. A revision item carries the application and its verdict,
and the verdict repeats parts of the application (the effect goals, the districts), so a valid
body under the 256 KB limit can make an item over the limit — e.g. 4-byte characters in every
text. Documents are stored as text; only an item that would not fit has its large documents
zlib-compressed as binary (answers repeat a lot and compress well), so the common path pays
nothing for it. Readers take either form. An item still over ``ITEM_LIMIT`` compressed is
refused before any write, as the client's too-large document (413), never a 500.
"""

from __future__ import annotations

import zlib
from typing import Any

COMPRESS_FROM = 16 * 1024
ITEM_LIMIT = 390 * 1024  # DynamoDB's 400 KB, less room for the keys and small attributes


class ItemTooLarge(ValueError):
    """Even compressed, the document does not fit one DynamoDB item."""


def text_attribute(text: str) -> dict[str, Any]:
    """A text as stored inside an item that must shrink: compressed when large."""
    raw = text.encode("utf-8")
    if len(raw) < COMPRESS_FROM:
        return {"S": text}
    return {"B": zlib.compress(raw, 6)}


def read_text(attribute: dict[str, Any]) -> str:
    if "S" in attribute:
        return str(attribute["S"])
    return zlib.decompress(bytes(attribute["B"])).decode("utf-8")


def size_of(item: dict[str, Any]) -> int:
    """DynamoDB's size of an item, near enough: names and values of its S, B and N attributes."""
    total = 0
    for name, value in item.items():
        total += len(name.encode("utf-8"))
        for kind, content in value.items():
            if kind == "S" or kind == "N":
                total += len(str(content).encode("utf-8"))
            elif kind == "B":
                total += len(content)
    return total


def checked(item: dict[str, Any]) -> dict[str, Any]:
    """The item as it fits: as it is, or with its large texts compressed; else ItemTooLarge."""
    if size_of(item) <= ITEM_LIMIT:
        return item
    fitted = {
        name: text_attribute(value["S"])
        if "S" in value and len(value["S"]) >= COMPRESS_FROM // 4
        else value
        for name, value in item.items()
    }
    if size_of(fitted) > ITEM_LIMIT:
        raise ItemTooLarge(f"{size_of(fitted)} bytes stored; DynamoDB takes {ITEM_LIMIT}")
    return fitted
