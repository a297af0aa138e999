"""Bounds on zip archives (XLSX, DOCX, QDPX) before anything unpacks or parses them.

A zip's central directory states every member's unpacked size, so a "zip bomb" (a small
file that unpacks to gigabytes of repeated bytes, or to a sheet of hundreds of thousands of
rows) is refused from those numbers, in microseconds, before a parser holds a worker for
minutes. The stated sizes can lie; readers that unpack a member read at most its stated
size plus one byte (``read_member``), so a lie is caught too.
"""

from __future__ import annotations

import zipfile

MB = 2**20
# A member whose unpacked size is this many times its packed size is refused (above 1 MB):
# office XML and text compress 5 to 20 times, repeated filler hundreds to thousands of times.
MAX_RATIO = 100
MAX_MEMBERS = 10_000


class ArchiveTooLarge(ValueError):
    """The archive unpacks to more than allowed. ``reason``: "size", "ratio" or "members"."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def check(archive: zipfile.ZipFile, *, max_total: int, max_ratio: int = MAX_RATIO) -> None:
    """Refuse an archive whose members unpack to more than ``max_total`` bytes together, or
    one of which unpacks to more than ``max_ratio`` times its packed size."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveTooLarge("members", f"The archive holds more than {MAX_MEMBERS} files.")
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise ArchiveTooLarge(
            "size", f"The archive unpacks to more than {max(1, max_total // MB)} MB."
        )
    for info in infos:
        if info.file_size > MB and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ArchiveTooLarge(
                "ratio",
                f"{info.filename} unpacks to more than {max_ratio} times its packed size.",
            )


def check_bytes(data: bytes, *, max_total: int, max_ratio: int = MAX_RATIO) -> None:
    """``check`` for an archive in memory; a file that is no zip at all passes (its reader
    says what is wrong with it)."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        check(archive, max_total=max_total, max_ratio=max_ratio)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, refusing more than ``limit`` (whatever size the archive states)."""
    with archive.open(info) as stream:
        content = stream.read(limit + 1)
    if len(content) > limit:
        raise ArchiveTooLarge("size", f"{info.filename} unpacks to more than {limit // MB} MB.")
    return content
