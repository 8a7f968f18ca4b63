"""Plain text and Markdown: encoding detection and line ends. The text is kept as it is otherwise."""

from __future__ import annotations

import codecs
import re

from ..model import LoadError, Source

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(path: str, data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding name). UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030 (a superset of
    GBK and GB2312, what Notepad and WPS save as "ANSI" on Chinese Windows), else charset-normalizer's guess."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise LoadError(path, f"starts with a {enc} byte-order mark but is not valid {enc} "
                                      f"(byte {e.start})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise LoadError(path, "binary data, not a text report")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(path, "cannot decode the text: not UTF-8, GB18030/GBK or any encoding recognised")
    return str(best), best.encoding


# Control characters are replaced one for one (spans stay valid) by a visible stand-in: C0 controls and DEL
# by their Unicode "control pictures" (ESC → ␛), C1 controls and bidirectional overrides by U+FFFD. An escape
# sequence or a right-to-left override in a report is thus shown literally and never reaches a terminal.
_CONTROL = {c: 0x2400 + c for c in range(32) if c not in (9, 10)}
_CONTROL[0x7F] = 0x2421
_CONTROL.update({c: 0xFFFD for c in range(0x80, 0xA0)})
_CONTROL.update({c: 0xFFFD for c in (0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_ANY_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CONTROL)) + "]")


def clean_text(text: str) -> str:
    """Unify line ends to ``\\n`` and make control characters visible (see ``_CONTROL``)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if _ANY_CONTROL.search(text) is None:  # the usual case, found by one scan in C: translate() is 20× slower
        return text
    return text.translate(_CONTROL)


def load_text(path: str, data: bytes, digest: str) -> Source:
    text, encoding = decode(path, data)
    text = clean_text(text)
    if not text.strip():
        raise LoadError(path, "no text in the file (only white space)")
    return Source(path=path, text=text, encoding=encoding, format="text", sha256=digest)
