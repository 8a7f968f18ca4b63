"""The parse cache: what load + parse + check made of a file, kept by the hash of its bytes.

An auditor opens the same folder every day for weeks; a PDF takes a fifth of a second to a few seconds to
read. So :func:`~auditui.core.batch.check_file` keeps its result (a :class:`~auditui.core.checked.Checked`,
findings and prose sentences included) in a SQLite database and finds it again by a key made of

- the sha256 of the file's bytes, its suffix (which loader reads it) and its name (a year missing from the
  text is read from the name), and
- :func:`version`: a hash of the source of every module that makes a Checked (the loaders, the parser, the
  rules…), of auditui's version, of Python's, and of the versions of the libraries the loaders use. Any change
  that can alter what a file gives changes the version, and entries of another version are never read (they
  leave as the least recently used).

What depends on other files (carry-over, prose reuse, tables repeated: :mod:`auditui.core.series`) or on the
audit log is worked out again every time and never kept here.

The store is the standard library's ``sqlite3`` in WAL mode: every write is one transaction (atomic; readers in
other processes see all of it or none), several processes may read and write at once (``check --jobs``, the
TUI's loader). Entries are zlib-compressed pickles (some 6 KB a report), read back with an unpickler that
knows only the classes a Checked is made of; an entry that cannot be read, is of another kind, or is not of the
file it is filed under is deleted and made again. A database file that is not one (damaged, or another
program's) is replaced. The entries' sizes are added up by triggers; past the bound (default 500 MB) the least
recently used go first. Nothing in the cache is ever the only copy of anything: ``auditui cache clear`` may
empty it at any time.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sqlite3
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import __version__

if TYPE_CHECKING:
    from .checked import Checked
    from .config import Config
    from .load import Raw

_T = TypeVar("_T")

SCHEMA = 1
"""The layout of the database (tables, triggers, how entries are encoded): a database of another layout is
emptied and made again."""
FILE_NAME = "checked.sqlite3"
DEFAULT_MAX_BYTES = 500 * 1024 * 1024
TOUCH_SECONDS = 60.0
"""An entry read is marked as used now only if it was last marked longer ago than this (a second run over the
same folder writes nothing)."""
EVICT_TO = 0.9
"""Past the bound, entries are removed until the total is this share of it (not one at every write)."""

VERSIONED = ("load", "parse", "batch.py", "checked.py", "collector.py", "errors.py", "files.py", "model.py", "narrative.py", "reuse.py",
             "rules.py", "suggest.py", "t2s.py", "template.py", "text.py")
"""The modules (files and packages of ``auditui.core``) whose source makes a Checked: the cache version is a
hash of them (``tests/test_cache.py`` checks that nothing else of auditui is imported to check a file)."""
LIBRARIES = ("beautifulsoup4", "charset_normalizer", "lxml", "pdfminer_six", "pdfplumber", "python_docx")
"""The libraries whose version can change what a loader reads (as their metadata folders spell them)."""

ENV_CACHE_DIR = "AUDITUI_CACHE_DIR"


@lru_cache(maxsize=1)
def version() -> str:
    """A hash of everything that can change what a file gives (see the module's docstring)."""
    h = hashlib.sha256(f"auditui {__version__}; python {sys.version_info[:2]}; schema {SCHEMA}\n".encode())
    here = Path(__file__).parent
    for name in VERSIONED:
        p = here / name
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        for f in files:
            h.update(f.relative_to(here).as_posix().encode() + b"\0")
            try:
                h.update(f.read_bytes())
            except OSError:  # installed without sources: the versions above must do
                h.update(b"?")
    h.update(_libraries().encode())
    return h.hexdigest()[:32]


def _libraries() -> str:
    """The installed versions of :data:`LIBRARIES`, from the names of their ``*.dist-info`` folders (what
    ``importlib.metadata`` reads too, without the 30 ms it takes to import and ask)."""
    found = set()
    for folder in sys.path:
        try:
            names = os.listdir(folder or os.curdir)
        except OSError:
            continue
        for n in names:
            if n.endswith(".dist-info"):
                name = n[: -len(".dist-info")].partition("-")[0].lower().replace(".", "_").replace("-", "_")
                if name in LIBRARIES:
                    found.add(n)
    return ",".join(sorted(found))


def default_dir() -> Path:
    import platformdirs

    return platformdirs.user_cache_path("auditui", appauthor=False)


@dataclass(frozen=True, slots=True)
class CacheDir:
    """Where the cache is and how large it may grow: what a worker process is given to open it itself."""

    folder: str
    max_bytes: int = DEFAULT_MAX_BYTES

    @property
    def path(self) -> Path:
        return Path(self.folder) / FILE_NAME


def resolve(cli_value: str | os.PathLike[str] | None = None, no_cache: bool = False, config: Config | None = None,
            max_bytes: int | None = None) -> CacheDir | None:
    """The cache by precedence: ``--no-cache`` (None), ``--cache-dir``, ``$AUDITUI_CACHE_DIR``, the config's
    ``cache_dir``, platformdirs' user cache folder. ``max_bytes``: else the config's ``cache_max_mb``, else
    500 MB."""
    if no_cache:
        return None
    if max_bytes is None:
        mb = getattr(config, "cache_max_mb", None)
        max_bytes = int(mb * 1024 * 1024) if mb else DEFAULT_MAX_BYTES
    if cli_value is not None and str(cli_value).strip():
        return CacheDir(os.fspath(Path(cli_value).expanduser()), max_bytes)
    env = os.environ.get(ENV_CACHE_DIR, "").strip()
    if env:
        return CacheDir(os.fspath(Path(env).expanduser()), max_bytes)
    folder = getattr(config, "cache_dir", None)
    return CacheDir(os.fspath(folder if folder is not None else default_dir()), max_bytes)


class CacheError(Exception):
    """The cache cannot be used (a folder that cannot be made or written): the reason, in one line."""


# ------------------------------------------------------------------------------------------------ entries
_ALLOWED = {
    ("auditui.core.checked", "Checked"),
    ("auditui.core.model", "_report_to_parse_again"),
    ("auditui.core.model", "Source"),
    ("auditui.core.model", "_finding_from_wire"),
    ("auditui.core.model", "Suggestion"),
    ("auditui.core.model", "CellRef"),
    ("auditui.core.parse", "parse"),
    ("auditui.core.reuse", "Prose"),
    ("array", "_array_reconstructor"),
    ("array", "array"),
}
"""Every class and function a pickled Checked names (a report, its findings, their suggestions, its prose)."""


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a checked report")
        return super().find_class(module, name)


def encode(checked: Checked) -> bytes:
    return zlib.compress(pickle.dumps(checked, protocol=5), 1)


def decode(data: bytes, raw: Raw) -> Checked | None:
    """The Checked an entry holds, as read from ``raw.path``; None when it is not a Checked of that file."""
    from .checked import Checked

    try:
        checked = _Unpickler(io.BytesIO(zlib.decompress(data))).load()
    except Exception:  # damaged, foreign, or of classes we do not know: not an entry of ours
        return None
    if not isinstance(checked, Checked) or os.path.basename(checked.path) != os.path.basename(raw.path):
        return None
    r = checked.report
    if r is None:
        return checked.moved(raw.path) if isinstance(checked.error, str) else None
    if r.source.sha256 != raw.sha256:
        return None
    return checked.moved(raw.path)


def key(raw: Raw) -> str:
    """The entry's key: the file's bytes, suffix and name, and the version of what reads them."""
    h = hashlib.sha256(f"{version()}\0{raw.suffix}\0{os.path.basename(raw.path)}\0{raw.sha256}".encode(
        "utf-8", "surrogateescape"))
    return h.hexdigest()


# ------------------------------------------------------------------------------------------------ the store
_SCHEMA_SQL = (
    "CREATE TABLE entries (key TEXT PRIMARY KEY, version TEXT NOT NULL, size INTEGER NOT NULL, used REAL NOT NULL, "
    "data BLOB NOT NULL)",
    "CREATE INDEX entries_used ON entries (used)",
    "CREATE TABLE total (one INTEGER PRIMARY KEY CHECK (one = 1), bytes INTEGER NOT NULL)",
    "INSERT INTO total VALUES (1, 0)",
    "CREATE TRIGGER entries_added AFTER INSERT ON entries BEGIN UPDATE total SET bytes = bytes + new.size; END",
    "CREATE TRIGGER entries_removed AFTER DELETE ON entries BEGIN UPDATE total SET bytes = bytes - old.size; END",
    "CREATE TRIGGER entries_resized AFTER UPDATE OF size ON entries "
    "BEGIN UPDATE total SET bytes = bytes - old.size + new.size; END",
)
"""The tables: the entries, and their sizes added up by triggers (the bound is checked at every write without
adding up the whole table)."""
OVERHEAD = 120
"""Bytes counted for an entry beyond its data (its key, columns and index entries)."""

def _broken(e: sqlite3.Error) -> bool:
    """Whether ``e`` says the database file is damaged or not a database (not merely locked or unwritable)."""
    return (getattr(e, "sqlite_errorname", "") or "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


@dataclass(frozen=True, slots=True)
class Info:
    path: Path
    entries: int
    current: int
    """Entries of this version of auditui (the others are never read, and go first)."""
    bytes: int
    """The entries' sizes added up (what the bound applies to)."""
    file_bytes: int
    """The database's files on disk (with its write-ahead log)."""
    max_bytes: int


class Cache:
    """One open connection to the cache (use it from one thread: see :func:`opened`)."""

    def __init__(self, where: CacheDir) -> None:
        self.where = where
        self.path = where.path
        self.problem: str | None = None
        """What went wrong with the cache last (a write that failed), for the caller to tell once."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise CacheError(f"cannot make the cache folder {self.path.parent}: {e.strerror or e}") from None
        try:
            self._db = self._connect()
        except sqlite3.Error as e:
            if not _broken(e):
                raise CacheError(f"cannot open the cache {self.path}: {e}") from None
            self._replace()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA busy_timeout = 10000")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                db.execute("BEGIN IMMEDIATE")
                try:
                    if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:  # new, or of another layout
                        tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%'").fetchall()
                        for (name,) in tables:  # (their indexes and triggers go with them)
                            db.execute(f'DROP TABLE "{name}"')
                        for statement in _SCHEMA_SQL:
                            db.execute(statement)
                        db.execute(f"PRAGMA user_version = {SCHEMA}")
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
        except BaseException:
            db.close()
            raise
        return db

    def _replace(self) -> None:
        """The database file is damaged or not one: remove it (and its log) and start an empty one."""
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as e:
                raise CacheError(f"the cache {self.path} is damaged and cannot be replaced: {e.strerror or e}"
                                 ) from None
        try:
            self._db = self._connect()
        except sqlite3.Error as e:
            raise CacheError(f"cannot make the cache {self.path}: {e}") from None

    def _run(self, operation: Callable[[], _T]) -> _T | None:
        """``operation()``; a damaged database is replaced and the operation tried once more; another error
        (locked for longer than the timeout, a full disk) is kept in :attr:`problem` and gives None."""
        for attempt in (1, 2):
            try:
                return operation()
            except sqlite3.Error as e:
                if self._db.in_transaction:
                    try:
                        self._db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                if attempt == 1 and _broken(e):
                    self._db.close()
                    try:
                        self._replace()
                    except CacheError as problem:
                        self.problem = str(problem)
                        return None
                    continue
                self.problem = f"cache {self.path}: {e}"
                return None
        return None

    def close(self) -> None:
        self._db.close()

    # -------------------------------------------------------------------------------------------- entries

    def get(self, raw: Raw) -> Checked | None:
        """The Checked kept for the file ``raw`` was read from, or None. An entry that is not one (see
        :func:`decode`) is deleted."""
        k = key(raw)
        row = self._run(lambda: self._db.execute("SELECT data, used FROM entries WHERE key = ?", (k,)).fetchone())
        if row is None:
            return None
        checked = decode(row[0], raw)
        if checked is None:
            self._run(lambda: self._db.execute("DELETE FROM entries WHERE key = ?", (k,)))
            return None
        now = time.time()
        if row[1] < now - TOUCH_SECONDS:
            self._run(lambda: self._db.execute("UPDATE entries SET used = ? WHERE key = ?", (now, k)))
        return checked

    def put(self, raw: Raw, checked: Checked) -> None:
        """Keep ``checked`` for the file ``raw`` was read from (one transaction), then remove the least
        recently used entries while the total is past the bound."""
        data = encode(checked)
        size = len(data) + OVERHEAD
        if size > self.where.max_bytes:
            return
        k = key(raw)

        def write() -> None:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO entries (key, version, size, used, data) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET version = excluded.version, size = excluded.size, "
                       "used = excluded.used, data = excluded.data", (k, version(), size, time.time(), data))
            self._evict(keep=k)
            db.execute("COMMIT")

        self._run(write)

    def _evict(self, keep: str | None = None) -> None:
        db = self._db
        total = db.execute("SELECT bytes FROM total").fetchone()[0]
        if total <= self.where.max_bytes:
            return
        goal = int(self.where.max_bytes * EVICT_TO)
        rows = db.execute("SELECT key, size FROM entries ORDER BY used").fetchall()
        gone = []
        for k, size in rows:
            if total <= goal:
                break
            if k == keep:
                continue
            gone.append((k,))
            total -= size
        db.executemany("DELETE FROM entries WHERE key = ?", gone)

    # -------------------------------------------------------------------------------------------- the whole

    def info(self) -> Info:
        def read() -> tuple[int, int, int]:
            entries, current = self._db.execute(
                "SELECT count(*), total(version = ?) FROM entries", (version(),)).fetchone()
            return entries, int(current), self._db.execute("SELECT bytes FROM total").fetchone()[0]

        entries, current, total = self._run(read) or (0, 0, 0)
        on_disk = 0
        for suffix in ("", "-wal"):
            try:
                on_disk += os.stat(f"{self.path}{suffix}").st_size
            except OSError:
                pass
        return Info(self.path, entries, current, total, on_disk, self.where.max_bytes)

    def clear(self) -> int:
        """Remove every entry; returns how many there were. The file is shrunk."""
        def empty() -> int:
            self._db.execute("BEGIN IMMEDIATE")
            n: int = self._db.execute("SELECT count(*) FROM entries").fetchone()[0]
            self._db.execute("DELETE FROM entries")
            self._db.execute("COMMIT")
            return n

        n = self._run(empty) or 0
        self._run(lambda: self._db.execute("VACUUM"))
        self._run(lambda: self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
        return n


_local = threading.local()


def opened(where: CacheDir) -> Cache | None:
    """This thread's connection to the cache ``where`` (made on first use); None when the cache cannot be
    opened (the caller then works without it: :func:`open_cache` says why, for the one who asked for it)."""
    pid = os.getpid()
    caches: dict[CacheDir, Cache | None] | None = getattr(_local, "caches", None)
    if caches is None or getattr(_local, "pid", None) != pid:  # (a connection never crosses a fork)
        caches = _local.caches = {}
        _local.pid = pid
    if where not in caches:
        try:
            caches[where] = Cache(where)
        except CacheError:
            caches[where] = None
    return caches[where]


def open_cache(where: CacheDir) -> Cache:
    """Open the cache (and make its folder), or raise :class:`CacheError` with the reason."""
    return Cache(where)


__all__ = ["DEFAULT_MAX_BYTES", "Cache", "CacheDir", "CacheError", "Info", "decode", "encode", "key", "open_cache",
           "opened", "resolve", "version"]
