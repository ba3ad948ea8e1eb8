"""Log records as one JSON object per line on stdout, for journald and whatever reads it.

A few lines of the standard library rather than a dependency: the fields are few and fixed.
Used by Django's LOGGING (settings.py) and by gunicorn's (gunicorn.conf.py).
"""

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime

# gunicorn passes an access line's parts as a mapping of its "atoms"
ACCESS_FIELDS = {"h": "remote", "m": "method", "U": "path", "s": "status", "M": "duration_ms"}


class JsonFormatter(logging.Formatter):
    """time, level, logger, message; a request's method, path and status when the record
    carries them (Django's django.request, gunicorn's access log); a traceback as `exception`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_request_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _request_fields(record: logging.LogRecord) -> dict:
    if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
        return {field: record.args[atom] for atom, field in ACCESS_FIELDS.items()}
    fields = {}
    request = getattr(record, "request", None)
    if hasattr(request, "path"):
        fields.update(method=request.method, path=request.path)
    if hasattr(record, "status_code"):
        fields["status"] = record.status_code
    return fields
