"""The neutral model as JSON, for the inbox and the outbox: events, messages, destinations.

Only the frozen dataclasses named in `KINDS` are encoded, each tagged with its class name,
so a stored item decodes to exactly what was written, by this or a later process. Sequences
come back as tuples, as the model declares them.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot import events, messages, outbound, refs

TAG = "@"
KINDS: dict[str, type[Any]] = {
    cls.__name__: cls
    for module in (events, messages, outbound, refs)
    for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
}


def dumps(value: object) -> str:
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    return _decode(json.loads(text))


def _encode(value: object) -> Any:
    match value:
        case None | bool() | int() | float() | str():
            return value
        case datetime():
            return {TAG: "datetime", "iso": value.isoformat()}
        case bytes():
            return {TAG: "bytes", "b64": base64.b64encode(value).decode()}
        case tuple() | list():
            return [_encode(item) for item in value]
        case frozenset():
            return {TAG: "frozenset", "items": sorted(_encode(item) for item in value)}
        case Mapping():
            return {TAG: "map", "items": {str(k): _encode(v) for k, v in value.items()}}
        case _ if type(value).__name__ in KINDS and dataclasses.is_dataclass(value):
            fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return {TAG: type(value).__name__, **fields}
    raise TypeError(f"cannot store a {type(value).__name__}")


def _decode(data: Any) -> Any:
    if isinstance(data, list):
        return tuple(_decode(item) for item in data)
    if not isinstance(data, dict):
        return data
    match data.get(TAG):
        case "datetime":
            return datetime.fromisoformat(data["iso"])
        case "bytes":
            return base64.b64decode(data["b64"])
        case "frozenset":
            return frozenset(_decode(item) for item in data["items"])
        case "map":
            return {k: _decode(v) for k, v in data["items"].items()}
        case str(kind) if kind in KINDS:
            return KINDS[kind](**{k: _decode(v) for k, v in data.items() if k != TAG})
    raise ValueError(f"not a stored value: {str(data)[:80]}")
