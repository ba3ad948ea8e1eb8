"""plotly.js served from our own static files, taken from the installed plotly package.

The county intranet has no internet, so the charts cannot load plotly.js from a CDN; and a
4.8 MB minified bundle has no place in the repository. This finder exposes the copy that the
plotly Python package ships (``plotly/package_data/plotly.min.js``) as the static path
``vendor/plotly.min.js``: ``runserver`` serves it from there, and ``collectstatic`` copies it
into STATIC_ROOT, where whitenoise's CompressedManifestStaticFilesStorage gives it a hashed
name (``vendor/plotly.min.<hash>.js``) and .gz (and .br, with Brotli installed) siblings, so
whitenoise serves it compressed with far-future cache headers. Upgrading the plotly package
upgrades plotly.js, and the new hash busts the browsers' caches.
"""

import os
from importlib.resources import files
from pathlib import Path

from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor"
NAME = "plotly.min.js"
STATIC_PATH = f"{PREFIX}/{NAME}"


def plotly_js() -> Path:
    """Where the installed plotly package keeps its minified plotly.js."""
    return Path(str(files("plotly") / "package_data" / NAME))


class PlotlyFinder(BaseFinder):
    """Finds exactly one file, ``vendor/plotly.min.js``, in the installed plotly package."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = plotly_js()
        # collectstatic joins the storage's prefix and the listed path: vendor/plotly.min.js
        self.storage = FileSystemStorage(location=str(self.source.parent))
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        if self.source.is_file():
            return []
        return [
            Error(
                f"plotly.js is missing from the installed plotly package: {self.source}",
                hint="Reinstall the requirements (pip install -r requirements.txt).",
                id="reports.E001",
            )
        ]

    def find(self, path, find_all=False, **kwargs):
        # RemovedInDjango61Warning: the old `all` keyword, as Django's own finders accept it.
        if kwargs:
            find_all = self._check_deprecated_find_param(find_all=find_all, **kwargs)
        found = os.path.normpath(path) == os.path.normpath(STATIC_PATH) and self.source.is_file()
        if not found:
            return []
        return [str(self.source)] if find_all else str(self.source)

    def list(self, ignore_patterns):
        if self.source.is_file() and not utils.matches_patterns(NAME, ignore_patterns or []):
            yield NAME, self.storage
