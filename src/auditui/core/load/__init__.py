"""File → Source. One module per format; heavy libraries are imported only when their format is opened.

Every loader returns a :class:`~auditui.core.model.Source` whose ``text`` is what the auditor is shown, and
raises :class:`~auditui.core.model.LoadError` (path + one-line reason) for a file it cannot read.
Tables are rendered into the text one table row per line, cells separated by tabs, so that the one parser
reads every format and every cell's span points into the text shown.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..model import LoadError, Source

MAX_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused with a clear message (a report is never this large)."""
MAX_TEXT_BYTES = 8 * 1024 * 1024
"""The same for plain-text formats (.txt .md .tsv .csv), whose every byte is read: a report's text is rarely
over 200 KB, and 8 MB of text is checked in a few seconds within a few hundred MB."""
MAX_TEXT_CHARS = 4_000_000
"""The most characters of text any loader may give (an HTML page or a Word file can unpack to far more than
its size); the text of a 300-page PDF is well under a million."""
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".tsv", ".csv"})

Loader = Callable[[str, bytes, str], Source]
"""``loader(path, data, sha256) -> Source``."""


def _text(path: str, data: bytes, digest: str) -> Source:
    from .text import load_text

    return load_text(path, data, digest)


def _pdf(path: str, data: bytes, digest: str) -> Source:
    from .pdf import load_pdf

    return load_pdf(path, data, digest)


def _html(path: str, data: bytes, digest: str) -> Source:
    from .html import load_html

    return load_html(path, data, digest)


def _docx(path: str, data: bytes, digest: str) -> Source:
    from .docx import load_docx

    return load_docx(path, data, digest)


LOADERS: dict[str, Loader] = {
    ".txt": _text,
    ".text": _text,
    ".md": _text,
    ".markdown": _text,
    ".tsv": _text,
    ".csv": _text,
    ".pdf": _pdf,
    ".html": _html,
    ".htm": _html,
    ".xhtml": _html,
    ".docx": _docx,
}
SUFFIXES = tuple(sorted(LOADERS))


def is_report_file(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in LOADERS


def read_bytes(path: str, limit: int = MAX_BYTES) -> bytes:
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise LoadError(path, "no such file") from None
    except OSError as e:
        raise LoadError(path, f"cannot read: {e.strerror or e}") from None
    if os.path.isdir(path):
        raise LoadError(path, "is a folder, not a file")
    if size > limit:
        raise LoadError(path, f"file is {size / 1048576:.0f} MB; auditui reads {'text ' if limit < MAX_BYTES else ''}"
                              f"reports up to {limit // 1048576} MB")
    try:
        with open(path, "rb") as f:
            return f.read()
    except PermissionError:
        raise LoadError(path, "permission denied") from None
    except OSError as e:
        raise LoadError(path, f"cannot read: {e.strerror or e}") from None


def load(path: str | os.PathLike) -> Source:
    """Read one report file of any supported format into a Source, or raise LoadError."""
    path = os.fspath(path)
    suffix = Path(path).suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        if not os.path.exists(path):
            raise LoadError(path, "no such file")
        raise LoadError(path, f"unsupported file type {suffix or '(none)'}; auditui reads "
                              + ", ".join(SUFFIXES))
    data = read_bytes(path, MAX_TEXT_BYTES if suffix in TEXT_SUFFIXES else MAX_BYTES)
    if not data:
        raise LoadError(path, "empty file (0 bytes)")
    digest = hashlib.sha256(data).hexdigest()
    try:
        source = loader(path, data, digest)
    except LoadError:
        raise
    except MemoryError:
        raise LoadError(path, "too large to read in memory") from None
    except Exception as e:  # a library choking on a malformed file: one clear line, never a traceback
        raise LoadError(path, f"cannot read {suffix[1:].upper()} file: {type(e).__name__}: {e}") from None
    if len(source.text) > MAX_TEXT_CHARS:
        raise LoadError(path, f"the file holds {len(source.text):,} characters of text; auditui reads reports of "
                              f"up to {MAX_TEXT_CHARS:,}")
    return source


def iter_report_paths(paths: Iterable[str | os.PathLike]) -> Iterator[str]:
    """Expand files and folders (recursively, sorted) into report files. Missing paths are yielded as given
    so that loading reports them."""
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(os.path.join(root, f) for f in files if is_report_file(f) and not f.startswith("."))
            yield from sorted(found)
        else:
            yield p
