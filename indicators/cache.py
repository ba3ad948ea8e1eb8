"""The cache of expensive reads: a plan's progress rows for a period.

Every cached entry is keyed by the platform's data version, a token in the cache itself that any
write able to change progress replaces (a value entered, submitted, approved or returned; a
target, indicator or plan changed; an assigned value or judgement recorded). A read after such a
write therefore computes afresh, and each later read of the same page costs nothing. The version
is global, not per plan: writes are rare next to dashboard reads, and a global token needs no
query to find the plan of what was written.
"""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "lucounty:data-version"


def lifetime() -> int:
    """Seconds a cached read lives (0: caching off), from `PROGRESS_CACHE_SECONDS`."""
    return int(getattr(settings, "PROGRESS_CACHE_SECONDS", 300))


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def forget_everything() -> None:
    """Make every cached read stale: a new data version."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def data_changed(**_kwargs) -> None:
    """Signal receiver for writes that can change progress. The version changes at once (a
    read later in the same transaction must not see an older page) and again once the
    transaction commits (a read by another request that raced the commit and cached the old
    state is dropped)."""
    forget_everything()
    transaction.on_commit(forget_everything)


def cached(key: str, compute: Callable[[], object]):
    """`compute()` once per data version and key while caching is on."""
    seconds = lifetime()
    if seconds <= 0:
        return compute()
    full_key = f"lucounty:{data_version()}:{key}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, timeout=seconds)
    return found
