"""Bytes to text that never fails: BOMs, then UTF-8, then Windows-1252, then Latin-1."""

from __future__ import annotations

import codecs

from search.errors import InputError

SNIFF_BYTES = 8192
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
LEGACY_ERRORS = "newsarchive-legacy"
# C0 control bytes that text never holds in bulk (tab, newlines, form feed and ESC excepted).
CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
# Random bytes (images, archives, compressed data) are about 10% control bytes; text ~0%.
BINARY_CONTROL_SHARE = 0.05
BINARY = "binary content, not text"


def decode_legacy_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read bytes that are not UTF-8 as Windows-1252, else Latin-1."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    # Byte by byte, so one stray legacy byte in a UTF-8 file leaves the UTF-8 around it intact.
    return "".join(decode_legacy_byte(bad[i : i + 1]) for i in range(len(bad))), error.end


def decode_legacy_byte(byte: bytes) -> str:
    """One byte as Windows-1252, or as Latin-1 for the five bytes 1252 leaves undefined."""
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:
        return byte.decode("latin-1")


codecs.register_error(LEGACY_ERRORS, decode_legacy_bytes)


def split_bom(data: bytes) -> tuple[str | None, bytes]:
    """The encoding a byte-order mark announces, and the bytes after it."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, data[len(bom) :]
    return None, data


def looks_binary(data: bytes) -> bool:
    """True when the data starts NUL- or control-byte-heavy, as binaries do and text never does."""
    sample = data[:SNIFF_BYTES]
    if sample.count(0) > len(sample) // 100:
        return True
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return controls > len(sample) * BINARY_CONTROL_SHARE


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes to text with newlines as '\\n'; InputError if they are binary."""
    encoding, rest = split_bom(data)
    if encoding and encoding.startswith("utf-16"):
        text = rest.decode(encoding, errors="replace")
    elif looks_binary(rest):
        raise InputError(BINARY)
    else:
        text = rest.decode("utf-8", errors=LEGACY_ERRORS)
    return normalise_newlines(text.replace("\x00", ""))


def decode_line(data: bytes) -> str:
    """Decode one line of a UTF-8 or legacy file, as decode_bytes decodes a whole one."""
    return data.decode("utf-8", errors=LEGACY_ERRORS).replace("\x00", "")


def check_text_head(head: bytes) -> None:
    """InputError when a file's first bytes are binary, so that it is not read any further."""
    encoding, rest = split_bom(head)
    if not (encoding and encoding.startswith("utf-16")) and looks_binary(rest):
        raise InputError(BINARY)


def decode_head(head: bytes) -> str:
    """Decode the first bytes of a file for sniffing; a cut character at the end is harmless."""
    encoding, rest = split_bom(head)
    return rest.decode(encoding or "utf-8", errors="replace")


def normalise_newlines(text: str) -> str:
    """Windows and old Mac line ends as '\\n', so line numbers and paragraphs agree everywhere."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
