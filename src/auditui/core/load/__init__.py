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
from typing import NamedTuple

from ..files import NotRegularFile, TooLarge, read_limited
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


# Compressed formats are read in a child process with bounded memory and time (see .sandbox); the parent
# imports their libraries first, once, so that each child starts with them.


def _pdf(path: str, data: bytes, digest: str) -> Source:
    from . import pdf, sandbox

    pdf.prepare()
    return sandbox.run(pdf.load_pdf, path, data, digest, "PDF")


def _html(path: str, data: bytes, digest: str) -> Source:
    from . import html, sandbox

    return sandbox.run(html.load_html, path, data, digest, "HTML page")


def _docx(path: str, data: bytes, digest: str) -> Source:
    from . import docx, sandbox

    docx.prepare()
    return sandbox.run(docx.load_docx, path, data, digest, "Word file")


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


def is_report_file(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in LOADERS


def read_bytes(path: str, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, read only from a regular file and never more than ``limit`` whatever its size says
    (a FIFO would wait forever, ``/dev/zero`` never ends); LoadError with the reason otherwise."""
    try:
        return read_limited(path, limit)
    except FileNotFoundError:
        raise LoadError(path, "no such file") from None
    except NotRegularFile as e:
        raise LoadError(path, f"not a regular file: it is {e.kind}") from None
    except TooLarge as e:
        raise LoadError(path, f"file is {e.size / 1048576:.0f} MB; auditui reads "
                              f"{'text ' if limit < MAX_BYTES else ''}reports up to {limit // 1048576} MB") from None
    except PermissionError:
        raise LoadError(path, "permission denied") from None
    except OSError as e:
        raise LoadError(path, f"cannot read: {e.strerror or e}") from None


def _folder_reason(path: str) -> str:
    """Why a folder given where a report file was expected cannot be used (yielded by iter_report_paths for a
    folder it could not read)."""
    try:
        with os.scandir(path):
            pass
    except OSError as e:
        return f"cannot read the folder: {(e.strerror or str(e)).lower()}"
    return "is a folder, not a file"


class Raw(NamedTuple):
    """A report file's bytes as read, before its format's loader makes them a Source (the parse cache looks a
    file up by these: its suffix, name and the hash of its bytes)."""

    path: str
    suffix: str
    data: bytes
    sha256: str


def read_report(path: str | os.PathLike[str]) -> Raw:
    """Read one report file's bytes (within the limits of its format), or raise LoadError."""
    path = os.fspath(path)
    if os.path.isdir(path):
        raise LoadError(path, _folder_reason(path))
    suffix = Path(path).suffix.lower()
    if suffix not in LOADERS:
        if not os.path.exists(path):
            raise LoadError(path, "no such file")
        raise LoadError(path, f"unsupported file type {suffix or '(none)'}; auditui reads "
                              + ", ".join(SUFFIXES))
    data = read_bytes(path, MAX_TEXT_BYTES if suffix in TEXT_SUFFIXES else MAX_BYTES)
    if not data:
        raise LoadError(path, "empty file (0 bytes)")
    return Raw(path, suffix, data, hashlib.sha256(data).hexdigest())


def load_raw(raw: Raw) -> Source:
    """The Source of a file read by :func:`read_report`, or LoadError."""
    path, suffix = raw.path, raw.suffix
    try:
        source = LOADERS[suffix](path, raw.data, raw.sha256)
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


def load(path: str | os.PathLike[str]) -> Source:
    """Read one report file of any supported format into a Source, or raise LoadError."""
    return load_raw(read_report(path))


def iter_report_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Expand files and folders (every level below, sorted) into report files. Missing paths, and every folder
    that could not be read, are yielded as they are, so that loading names them with the reason. Hidden files
    and folders are passed over, and so are symlinks to folders (a link may loop); the walk keeps a list of
    folders to read, not a call per level, so that no depth of folders is too deep."""
    for p in paths:
        p = os.fspath(p)
        if not os.path.isdir(p):
            yield p
            continue
        found: list[str] = []
        todo = [p]
        while todo:
            folder = todo.pop()
            try:
                with os.scandir(folder) as it:
                    entries = list(it)
            except OSError:
                found.append(folder)  # load() says why it cannot be read
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    linked_dir = not is_dir and entry.is_symlink() and entry.is_dir()
                except OSError:
                    is_dir = linked_dir = False
                if is_dir:
                    todo.append(entry.path)
                elif not linked_dir and is_report_file(entry.name):
                    found.append(entry.path)
        yield from sorted(found)
