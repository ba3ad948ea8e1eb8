"""ASGI entry point."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lucounty.settings")
application = get_asgi_application()
# What start-up loaded lives as long as the process: keep it out of the garbage collector's
# full passes, which otherwise make the slowest dashboard requests (docs/benchmarks.md).
gc.freeze()
