"""Backups: one archive holding the whole database (history included) and the attachments, and
the restore of such an archive into an empty, migrated database.

The data is Django's own serialisation (`dumpdata`) with natural keys for content types and
permissions, which `migrate` recreates with ids of its own: a backup of a SQLite trial restores
into PostgreSQL and back. Sessions and login-throttling records are left out: they are not the
county's data and expire anyway.
"""

import io
import json
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.services.errors import ServiceError

DATA = "data.json"
MANIFEST = "manifest.json"
MEDIA = "media"
FORMAT = 1
# Recreated by `migrate`, or not the county's data.
LEFT_OUT = ("contenttypes", "auth.permission", "sessions", "axes")
# Rows whose presence means the database is not empty: restoring over them would mix two states.
CONTENT = ("indicators.Region", "indicators.Plan", "auth.User")


@dataclass(frozen=True)
class Restored:
    rows: int
    files: int


def backup_write(out_dir: Path, now: datetime | None = None) -> Path:
    """Write `lucounty-backup-<time>.tar.gz` in `out_dir` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    moment = timezone.localtime(now or timezone.now())
    path = out_dir / f"lucounty-backup-{moment:%Y%m%d-%H%M%S}.tar.gz"
    data = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=list(LEFT_OUT),
        stdout=data,
    )
    payload = data.getvalue().encode()
    media = _media_files()
    manifest = {
        "format": FORMAT,
        "written_at": moment.isoformat(),
        "rows": len(json.loads(payload)),
        "files": [str(name) for name, _path in media],
    }
    partial = path.with_suffix(".partial")
    with tarfile.open(partial, "w:gz") as archive:
        _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False).encode())
        _add_bytes(archive, DATA, payload)
        for name, file_path in media:
            archive.add(file_path, arcname=f"{MEDIA}/{name}", recursive=False)
    partial.rename(path)  # a half-written archive never carries the final name
    return path


def _media_files() -> list[tuple[PurePosixPath, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        (PurePosixPath(p.relative_to(root).as_posix()), p) for p in root.rglob("*") if p.is_file()
    )


def _add_bytes(archive: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    archive.addfile(info, io.BytesIO(payload))


def backup_restore(archive_path: Path) -> Restored:
    """Rebuild the data and the attachments from an archive into an empty, migrated database;
    refuse (changing nothing) when the database already holds a county's data or the archive
    is not one of ours."""
    for label in CONTENT:
        if apps.get_model(label).objects.exists():
            raise ServiceError(
                _("The database is not empty: restore into a new, migrated database.")
            )
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise ServiceError(_("Cannot read the backup: %(error)s") % {"error": exc}) from exc
    with archive:
        manifest, data = _read(archive, MANIFEST), _read(archive, DATA)
        if json.loads(manifest).get("format") != FORMAT:
            raise ServiceError(_("This is not a backup of this platform."))
        members = [m for m in archive.getmembers() if m.name.startswith(f"{MEDIA}/")]
        rows = _load(data)
        files = _restore_media(archive, members)
    return Restored(rows=rows, files=files)


def _read(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        member = archive.extractfile(name)
    except KeyError:
        member = None
    if member is None:
        raise ServiceError(_("This is not a backup of this platform."))
    return member.read()


@transaction.atomic
def _load(data: bytes) -> int:
    """Load every row in one transaction: all or nothing."""
    with tempfile.NamedTemporaryFile(suffix=".json") as handle:
        handle.write(data)
        handle.flush()
        call_command("loaddata", handle.name, verbosity=0)
    return len(json.loads(data))


def _restore_media(archive: tarfile.TarFile, members: list[tarfile.TarInfo]) -> int:
    """Write the attachments under MEDIA_ROOT; only plain files, never outside it."""
    root = Path(settings.MEDIA_ROOT).resolve()
    count = 0
    for member in members:
        target = (root / member.name[len(MEDIA) + 1 :]).resolve()
        if not member.isfile() or root not in target.parents:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        source = archive.extractfile(member)
        target.write_bytes(source.read())
        count += 1
    return count
