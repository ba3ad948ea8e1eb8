"""The check every uploaded workbook passes before openpyxl parses it: a zip bomb (a small file
that unpacks to gigabytes, or to millions of parts or shared texts) is refused from the zip's
directory alone, in milliseconds, without unpacking it.

An .xlsx is a zip. The sizes checked are those its central directory declares: Python's
zipfile never unpacks an entry past its declared size (a part that lies fails its CRC check),
so what openpyxl can be made to read is bounded by what is checked here. Only the shared
strings table, which openpyxl reads whole into memory, is streamed (bounded by the size check)
to count its texts.

The limits are far above any workbook of this platform (a template of 2000 rows is well under
1 MB unpacked and about 15 parts; a county's plan table about the same) and far below what
would tie up the server.
"""

import zipfile
import zlib
from io import BytesIO

from django.utils.translation import gettext as _

MAX_ENTRIES = 200  # parts: a sheet is two or three (its XML, relations, printer settings)
MAX_UNPACKED = 50 * 1024 * 1024  # bytes, all parts together
MAX_RATIO = 100  # unpacked : packed, for a part larger than RATIO_FROM
RATIO_FROM = 1024 * 1024  # a small part may compress better (empty sheets, styles)
MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024
MAX_SHARED_STRINGS = 200_000  # texts; openpyxl keeps every one in memory
SHARED_STRINGS = "xl/sharedStrings.xml"


class UnsafeWorkbook(Exception):
    """The file is refused before it is parsed; `message` is for the person who uploaded it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_workbook(data: bytes) -> None:
    """Refuse (UnsafeWorkbook) a zip whose parts are too many, unpack too large or compress
    suspiciously tightly, or whose shared strings are too many. A file that is no zip at all
    passes: telling it is no workbook is the reader's job."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
            _check_entries(entries)
            shared = next((e for e in entries if e.filename == SHARED_STRINGS), None)
            if shared is not None:
                _check_shared_strings(archive, shared)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
        return  # not a zip openpyxl could open either: the reader says so


def _check_entries(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        reason = _("it has more than %(count)s parts") % {"count": MAX_ENTRIES}
        raise UnsafeWorkbook(_refusal(reason))
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED:
        size = MAX_UNPACKED // (1024 * 1024)
        raise UnsafeWorkbook(_refusal(_("it unpacks to more than %(size)s MB") % {"size": size}))
    for entry in entries:
        if entry.file_size > RATIO_FROM and entry.file_size > MAX_RATIO * entry.compress_size:
            reason = _("its part %(name)s is compressed more than %(ratio)s to 1") % {
                "name": entry.filename[:100],
                "ratio": MAX_RATIO,
            }
            raise UnsafeWorkbook(_refusal(reason))


def _check_shared_strings(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Too large a table, or too many texts in it (counted by their <si> tags, streamed)."""
    too_many = _refusal(
        _("it holds more than %(count)s texts") % {"count": f"{MAX_SHARED_STRINGS:,}"}
    )
    if entry.file_size > MAX_SHARED_STRINGS_BYTES:
        raise UnsafeWorkbook(too_many)
    count, tail = 0, b""
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(1024 * 1024):
                # "<si>", "<si " or "<si/>" opens a text ("<sst" does not match). The last
                # three bytes go with the next chunk: a tag split between two is counted once,
                # and no tag (four bytes) fits in them to be counted twice.
                text = tail + chunk
                count += sum(text.count(tag) for tag in (b"<si>", b"<si ", b"<si/"))
                tail = text[-3:]
                if count > MAX_SHARED_STRINGS:
                    raise UnsafeWorkbook(too_many)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return  # a broken part: the reader refuses the file


def _refusal(reason: str) -> str:
    return _(
        "This file was refused before it was opened: %(reason)s, far more than any workbook "
        "of this platform. Save the workbook again in Excel as .xlsx and upload that."
    ) % {"reason": reason}
