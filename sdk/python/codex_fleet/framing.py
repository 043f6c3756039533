"""LSP-style framing of JSON-RPC 2.0 messages: ``Content-Length: N\\r\\n\\r\\n`` then N bytes of UTF-8 JSON."""

from __future__ import annotations

import json
from typing import Any

from .errors import ProtocolError

_SEPARATOR = b"\r\n\r\n"
_MAX_HEADER = 8192


def encode_message(message: dict[str, Any]) -> bytes:
    """One framed message, ready for a single socket write."""
    body = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return b"Content-Length: " + str(len(body)).encode("ascii") + _SEPARATOR + body


class FrameDecoder:
    """Incremental decoder: feed it bytes as they arrive, get whole messages back."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._expected: int | None = None

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        self._buffer.extend(data)
        out: list[dict[str, Any]] = []
        while True:
            if self._expected is None:
                end = self._buffer.find(_SEPARATOR)
                if end < 0:
                    if len(self._buffer) > _MAX_HEADER:
                        raise ProtocolError("frame header too long (no Content-Length header end)")
                    return out
                self._expected = _content_length(bytes(self._buffer[:end]))
                del self._buffer[: end + len(_SEPARATOR)]
            if len(self._buffer) < self._expected:
                return out
            body = bytes(self._buffer[: self._expected])
            del self._buffer[: self._expected]
            self._expected = None
            try:
                message = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                raise ProtocolError(f"frame body is not JSON: {e}") from e
            if not isinstance(message, dict):
                raise ProtocolError("frame body is not a JSON object")
            out.append(message)

    @property
    def pending_bytes(self) -> int:
        """Bytes received but not yet part of a whole message."""
        return len(self._buffer)


def _content_length(header: bytes) -> int:
    length: int | None = None
    for line in header.decode("ascii", errors="replace").split("\r\n"):
        name, sep, value = line.partition(":")
        if not sep:
            raise ProtocolError(f"malformed frame header line {line!r}")
        if name.strip().lower() == "content-length":
            try:
                length = int(value.strip())
            except ValueError as e:
                raise ProtocolError(f"bad Content-Length {value.strip()!r}") from e
    if length is None or length < 0:
        raise ProtocolError("frame header without Content-Length")
    return length
