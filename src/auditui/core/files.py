"""Reading a file whose path comes from outside: only a regular file, never more than a limit.

A path named ``report.txt`` may be a FIFO (opening it for reading waits for a writer forever), a device or a
symlink to ``/dev/zero`` (whose size is 0 and which never ends). :func:`read_limited` opens without waiting,
refuses anything but a regular file, and reads at most ``limit`` bytes whatever the size said.
"""

from __future__ import annotations

import os
import stat


class NotRegularFile(OSError):
    """The path is not a regular file: ``kind`` says what it is ("a FIFO", "a device", "a folder"…)."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"not a regular file but {kind}")
        self.kind = kind


class TooLarge(OSError):
    """The file holds more than the limit: ``size`` is what it holds (at least limit + 1 when unknown)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"larger than allowed ({size} bytes)")
        self.size = size


def kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``limit`` of them.

    Raises :class:`NotRegularFile`, :class:`TooLarge` (checked on the size before reading and on what was
    read), or the OSError of opening or reading (FileNotFoundError, PermissionError, …)."""
    st = os.stat(path)  # never blocks, unlike opening a FIFO without O_NONBLOCK
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(kind(st.st_mode))
    if st.st_size > limit:
        raise TooLarge(st.st_size)
    fd = os.open(path, _FLAGS)
    try:
        st = os.fstat(fd)  # the file opened, which may not be the one looked at (it was replaced since)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(kind(st.st_mode))
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise TooLarge(max(st.st_size, len(data)))
    return data
