"""The cache of expensive reads: a plan's progress rows for a period.

Every cached entry is keyed by a data version, a token in the cache itself that a write able to
change the read replaces. There are two: the version of the figures in force, replaced by an
approval (or anything else that changes an approved figure or its 滞后说明) and by any change of
a target, indicator, plan or other model progress reads; and the version of all figures, which
every change of a value also replaces (an entry, a submission or a return). Rows of figures in
force — what leaders and the public see — are keyed by the first, so clerks entering and
submitting values all day do not make them compute again; rows that show submitted figures as
provisional are keyed by the second. A read after such a write computes afresh, and each later
read of the same page costs nothing. The versions are global, not per plan: writes are rare
next to dashboard reads, and a global token needs no query to find the plan of what was
written.
"""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

IN_FORCE_KEY = "lucounty:data-version:in-force"
ANY_KEY = "lucounty:data-version:any"


def lifetime() -> int:
    """Seconds a cached read lives (0: caching off), from `PROGRESS_CACHE_SECONDS`."""
    return int(getattr(settings, "PROGRESS_CACHE_SECONDS", 300))


def data_version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def _forget(keys: tuple[str, ...]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


def _changed(keys: tuple[str, ...]) -> None:
    """The versions change at once (a read later in the same transaction must not see an older
    page) and again once the transaction commits (a read by another request that raced the
    commit and cached the old state is dropped)."""
    _forget(keys)
    transaction.on_commit(lambda: _forget(keys))


def data_changed(**_kwargs) -> None:
    """Signal receiver for writes of anything progress reads besides values: every version."""
    _changed((IN_FORCE_KEY, ANY_KEY))


def value_saved(instance, **_kwargs) -> None:
    """Signal receiver for a value saved: the version of all figures, and that of figures in
    force only when its figure in force changed (`Actual.in_force_changed`)."""
    in_force = instance.in_force_changed()
    instance.saved_in_force()
    _changed((IN_FORCE_KEY, ANY_KEY) if in_force else (ANY_KEY,))


def value_deleted(instance, **_kwargs) -> None:
    """Signal receiver for a value deleted: figures in force change if it had one."""
    _changed((IN_FORCE_KEY, ANY_KEY) if instance.in_force else (ANY_KEY,))


def cached(key: str, compute: Callable[[], object], *, in_force_only: bool = True):
    """`compute()` once per data version and key while caching is on: the version of figures in
    force for a read of those only, else the version of all figures."""
    seconds = lifetime()
    if seconds <= 0:
        return compute()
    version = data_version(IN_FORCE_KEY if in_force_only else ANY_KEY)
    full_key = f"lucounty:{version}:{key}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, timeout=seconds)
    return found
