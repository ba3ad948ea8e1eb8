"""The cache of expensive reads: a plan's progress rows for a period, and its completeness.

Every cached entry is keyed by a data version, a token in the cache itself that a write able to
change the read replaces. There is one version per aspect of the values a read depends on:
- figures in force (`IN_FORCE`): replaced by an approval, or anything else that changes an
  approved figure or its 滞后说明. Rows of figures in force — what leaders and the public see —
  are keyed by it, so clerks entering and submitting values all day do not make them compute
  again;
- who submitted what when (`FIRST_SUBMITTED`): completeness reads it;
- all figures (`ANY`): every change of a value; rows showing submitted figures as provisional.
A change of a target, indicator, plan or anything else progress reads replaces every version.
A read after such a write computes afresh, and each later read costs nothing. The versions are
global, not per plan: writes are rare next to dashboard reads, and a global token needs no
query to find the plan of what was written.
"""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

# The data versions, by what a read depends on (`Actual.CACHED_ASPECTS` names the first two).
IN_FORCE = "in-force"
FIRST_SUBMITTED = "first-submitted"
ANY = "any"
VERSIONS = (IN_FORCE, FIRST_SUBMITTED, ANY)


def lifetime() -> int:
    """Seconds a cached read lives (0: caching off), from `PROGRESS_CACHE_SECONDS`."""
    return int(getattr(settings, "PROGRESS_CACHE_SECONDS", 300))


def data_version(aspect: str) -> str:
    key = f"lucounty:data-version:{aspect}"
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def _forget(aspects) -> None:
    cache.set_many(
        {f"lucounty:data-version:{aspect}": uuid.uuid4().hex for aspect in aspects}, timeout=None
    )


def _changed(aspects) -> None:
    """The versions change at once (a read later in the same transaction must not see an older
    page) and again once the transaction commits (a read by another request that raced the
    commit and cached the old state is dropped)."""
    aspects = tuple(aspects)
    _forget(aspects)
    transaction.on_commit(lambda: _forget(aspects))


def data_changed(**_kwargs) -> None:
    """Signal receiver for writes of anything progress reads besides values: every version."""
    _changed(VERSIONS)


def value_saved(instance, **_kwargs) -> None:
    """Signal receiver for a value saved: the version of all figures, and those of the aspects
    it changed (`Actual.changed_aspects`)."""
    aspects = instance.changed_aspects()
    instance.remember_aspects()
    _changed({ANY, *aspects})


def value_deleted(instance, **_kwargs) -> None:
    """Signal receiver for a value deleted: every version."""
    _changed(VERSIONS)


def cached(key: str, compute: Callable[[], object], *, aspect: str = IN_FORCE):
    """`compute()` once per key and version of the aspect the read depends on, while caching
    is on."""
    seconds = lifetime()
    if seconds <= 0:
        return compute()
    full_key = f"lucounty:{data_version(aspect)}:{key}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, timeout=seconds)
    return found
