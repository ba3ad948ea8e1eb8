"""Attachments of reported values and supervision steps: which files are accepted, the names
they are stored under, and their download.

An attachment is evidence (a scan, a photo, a PDF report), downloaded later by reviewers and
leaders: so only PDFs and images are accepted, and only when the name's extension and the
file's first bytes agree (a page saved as "报告.pdf" that is HTML, or "图.png" that is a PDF,
is refused). Office files are not accepted: they can carry macros, and a .docx or .xlsx is a
zip, whose first bytes say nothing about what is inside; a PDF printed from them is.

The file is stored under a random name that keeps only the allow-listed extension, so nothing
the uploader chose reaches the storage path (no "../", no 200-character names, no clashes).
The original name is not kept (the model has no field for it yet): the file is shown and
downloaded as 附件.pdf, 附件.png….
"""

import uuid
from pathlib import PurePath

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024

# The extension → the file type its first bytes must show.
EXTENSIONS = {
    ".pdf": "pdf",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
    ".webp": "webp",
}
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}


class AttachmentError(ValueError):
    """The file is refused; `message` is for the person who chose it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def extension(name: str) -> str:
    """The allow-listed extension of a file name, lower case ("" when it has none of them)."""
    suffix = PurePath(str(name)).suffix.lower()
    return suffix if suffix in EXTENSIONS else ""


def content_type(head: bytes) -> str | None:
    """The accepted file type the first bytes show (pdf, png, jpeg, gif, webp), else None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return next((kind for kind, starts in SIGNATURES.items() if head.startswith(starts)), None)


def check_attachment(upload) -> None:
    """Refuse (AttachmentError) a file too large, of a type not accepted, or whose name's
    extension does not match its content. Used by every route that receives attachments."""
    if upload.size > MAX_BYTES:
        raise AttachmentError(_("The attachment is larger than 5 MB."))
    head = upload.read(16)
    upload.seek(0)
    kind = content_type(head)
    if kind is None:
        raise AttachmentError(
            _("The attachment must be a PDF or an image (PNG, JPEG, GIF or WebP).")
        )
    ext = extension(upload.name)
    if EXTENSIONS.get(ext) != kind:
        raise AttachmentError(
            _(
                "The attachment's name must end in .pdf, .png, .jpg, .jpeg, .gif or .webp, "
                "matching its content (this file is a %(kind)s)."
            )
            % {"kind": kind.upper()}
        )


def stored_name(filename: str) -> str:
    """A new random file name with the allow-listed extension of `filename`."""
    return uuid.uuid4().hex + extension(filename)


def display_name(file) -> str:
    """How a stored attachment is named to people and in downloads: 附件.pdf; "" for none."""
    if not file:
        return ""
    return _("Attachment") + extension(file.name)


def download(file) -> FileResponse:
    """A stored attachment as its download (404 when there is none or its file is gone):
    always a download, never shown in the browser's page, and never sniffed as HTML."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=display_name(file))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
