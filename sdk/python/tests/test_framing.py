from __future__ import annotations

import json
import unittest

from codex_fleet.errors import ProtocolError
from codex_fleet.framing import FrameDecoder, encode_message


class FramingTest(unittest.TestCase):
    def test_encode_counts_utf8_bytes(self) -> None:
        frame = encode_message({"jsonrpc": "2.0", "method": "x", "params": {"text": "héllo ✓"}})
        header, body = frame.split(b"\r\n\r\n", 1)
        self.assertEqual(header, f"Content-Length: {len(body)}".encode())
        self.assertEqual(json.loads(body)["params"]["text"], "héllo ✓")
        self.assertGreater(len(body), len(body.decode()))

    def test_decode_byte_by_byte_and_batched(self) -> None:
        messages = [{"id": i, "result": {"n": "é" * i}} for i in range(5)]
        stream = b"".join(encode_message(m) for m in messages)
        one = FrameDecoder()
        got = [m for b in stream for m in one.feed(bytes([b]))]
        self.assertEqual(got, messages)
        self.assertEqual(FrameDecoder().feed(stream), messages)
        self.assertEqual(one.pending_bytes, 0)

    def test_extra_headers_and_case(self) -> None:
        body = b'{"a":1}'
        frame = b"content-length: 7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body
        self.assertEqual(FrameDecoder().feed(frame), [{"a": 1}])

    def test_partial_body_waits(self) -> None:
        frame = encode_message({"id": 1})
        decoder = FrameDecoder()
        self.assertEqual(decoder.feed(frame[:-2]), [])
        self.assertEqual(decoder.feed(frame[-2:]), [{"id": 1}])

    def test_malformed_frames(self) -> None:
        with self.assertRaises(ProtocolError):
            FrameDecoder().feed(b"Content-Type: x\r\n\r\n{}")
        with self.assertRaises(ProtocolError):
            FrameDecoder().feed(b"Content-Length: abc\r\n\r\n")
        with self.assertRaises(ProtocolError):
            FrameDecoder().feed(b"Content-Length: 3\r\n\r\n[1]")
        with self.assertRaises(ProtocolError):
            FrameDecoder().feed(b"x" * 9000)


if __name__ == "__main__":
    unittest.main()
