"""WSGI entry point."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lucounty.settings")
application = get_wsgi_application()
# What start-up loaded lives as long as the process: keep it out of the garbage collector's
# full passes, which otherwise make the slowest dashboard requests (docs/benchmarks.md).
gc.freeze()
