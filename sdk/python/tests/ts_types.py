"""A careful text extractor for protocol/types.ts: the fields of named interfaces and the variants of an
object-type union (``| { kind: '...'; field: T; ... }``). Enough for the sync check of the Python types;
it understands comments, optional fields, nested object/generic types and ``extends``."""

from __future__ import annotations

import re

_OPEN = "{[(<"
_CLOSE = "}])>"


def strip_comments(text: str) -> str:
    out: list[str] = []
    i, quote = 0, ""
    while i < len(text):
        ch = text[i]
        if quote:
            out.append(ch)
            if ch == "\\":
                out.append(text[i + 1 : i + 2])
                i += 2
                continue
            if ch == quote:
                quote = ""
            i += 1
        elif ch in "'\"`":
            quote = ch
            out.append(ch)
            i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _matching(text: str, start: int) -> int:
    """Index just past the bracket that closes the one at ``start``."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and not (ch == ">" and text[i - 1] == "="):
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError(f"unbalanced brackets from offset {start}")


def _split_top(body: str, seps: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for i, ch in enumerate(body):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and not (ch == ">" and body[i - 1] == "="):
            depth -= 1
        if depth == 0 and ch in seps:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def object_fields(body: str) -> dict[str, str]:
    """``{ a: T; b?: U }`` (without the outer braces) → field name → type text."""
    fields: dict[str, str] = {}
    for member in _split_top(body, ";\n,"):
        m = re.match(r"^(readonly\s+)?([A-Za-z_$][\w$]*)\??\s*:\s*(.+)$", member, re.S)
        if m:
            fields[m.group(2)] = m.group(3).strip()
    return fields


def interfaces(text: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Every ``interface Name [extends A, B] { ... }`` → (bases, own fields)."""
    clean = strip_comments(text)
    out: dict[str, tuple[list[str], dict[str, str]]] = {}
    for m in re.finditer(r"\binterface\s+(\w+)(?:<[^>{]*>)?\s*(?:extends\s+([^{]+))?\{", clean):
        start = m.end() - 1
        end = _matching(clean, start)
        bases = [b.strip() for b in (m.group(2) or "").split(",") if b.strip()]
        out[m.group(1)] = (bases, object_fields(clean[start + 1 : end - 1]))
    return out


def all_fields(text: str, name: str) -> set[str]:
    """An interface's fields including those it inherits."""
    table = interfaces(text)
    bases, own = table[name]
    fields = set(own)
    for base in bases:
        if base in table:
            fields |= all_fields(text, base)
    return fields


def union_variants(text: str, type_name: str) -> list[dict[str, str]]:
    """``type Name = | { ... } | { ... };`` → the fields of each object variant."""
    clean = strip_comments(text)
    m = re.search(rf"\btype\s+{type_name}\s*=", clean)
    if not m:
        raise ValueError(f"type {type_name} not found")
    variants: list[dict[str, str]] = []
    i = m.end()
    while i < len(clean):
        ch = clean[i]
        if ch == "{":
            end = _matching(clean, i)
            variants.append(object_fields(clean[i + 1 : end - 1]))
            i = end
        elif ch == ";":
            break
        else:
            i += 1
    return variants


def literal(type_text: str) -> str:
    m = re.fullmatch(r"""\s*['"]([^'"]+)['"]\s*""", type_text)
    if not m:
        raise ValueError(f"not a string literal type: {type_text!r}")
    return m.group(1)
