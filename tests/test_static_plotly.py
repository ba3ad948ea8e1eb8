"""plotly.js from our own static files: found in the installed plotly package, collected and
hashed by the manifest storage, compressed, and served by whitenoise with far-future headers.

The collect runs once for the module, into a temporary STATIC_ROOT, with the production
storage (whitenoise's CompressedManifestStaticFilesStorage; conftest swaps in plain storage
for the other tests). The request goes through Django's test client, so through the real
middleware stack: a fresh client builds its WhiteNoiseMiddleware from the settings in force,
which then indexes the temporary STATIC_ROOT."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

from reports.finders import PlotlyFinder, plotly_js

MANIFEST = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
HASHED = re.compile(r"^plotly\.min\.[0-9a-f]{12}\.js$")
A_YEAR = 365 * 24 * 3600


def _storages(settings_storages: dict) -> dict:
    return {**settings_storages, "staticfiles": MANIFEST}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    from django.conf import settings

    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=_storages(settings.STORAGES)):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(settings, static_root, db):
    """The settings of a deployment: manifest storage, files indexed once at start-up. (`db`:
    closing a response ends the request, and Django then tidies the database connections.)"""
    settings.STATIC_ROOT = static_root
    settings.STORAGES = _storages(settings.STORAGES)
    settings.DEBUG = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    return static_root


def test_the_finder_finds_plotly_js_in_the_installed_package():
    found = finders.find("vendor/plotly.min.js")
    assert found == str(plotly_js())
    assert Path(found).stat().st_size > 1_000_000  # the full bundle, not a stub
    assert "site-packages" in found or "dist-packages" in found  # not a copy in the repo
    assert finders.find("vendor/plotly.min.js", find_all=True) == [found]
    assert PlotlyFinder().find("vendor/other.js") == []
    assert [path for path, _storage in PlotlyFinder().list(None)] == ["plotly.min.js"]


def test_collectstatic_hashes_and_compresses_plotly_js(static_root):
    vendor = static_root / "vendor"
    hashed = [p.name for p in vendor.iterdir() if HASHED.match(p.name)]
    assert len(hashed) == 1, sorted(p.name for p in vendor.iterdir())
    assert (vendor / (hashed[0] + ".gz")).is_file()
    try:
        import brotli  # noqa: F401
    except ImportError:
        pass  # whitenoise writes .br files only when the Brotli package is installed
    else:
        assert (vendor / (hashed[0] + ".br")).is_file()
    assert (vendor / hashed[0]).read_bytes() == plotly_js().read_bytes()


def test_the_hashed_url_is_served_compressed_and_cached_for_ever(production_static):
    from django.templatetags.static import static

    url = static("vendor/plotly.min.js")
    assert HASHED.match(url.rsplit("/", 1)[1]), url
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "javascript" in response["Content-Type"]
    control = response["Cache-Control"]
    assert "immutable" in control and "public" in control
    max_age = int(re.search(r"max-age=(\d+)", control).group(1))
    assert max_age >= A_YEAR
    assert b"".join(response.streaming_content)[:2] == b"\x1f\x8b"  # gzip's magic number
    response.close()


def test_the_unhashed_name_is_not_cached_for_ever(production_static):
    """Only a name that changes with the content may be cached for ever."""
    response = Client().get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    response.close()
