"""The cache of expensive reads: a plan's progress rows for a period, and its completeness.

Every cached entry is keyed by a data version, a token in the cache itself that a write able to
change the read replaces. There is one version per aspect of the values a read depends on:
- figures in force (`IN_FORCE`): replaced by an approval, or anything else that changes an
  approved figure or its 滞后说明. Rows of figures in force — what leaders and the public see —
  are keyed by it, so clerks entering and submitting values all day do not make them compute
  again;
- who submitted what when (`FIRST_SUBMITTED`): completeness reads it;
- all figures (`ANY`): every change of a value; rows showing submitted figures as provisional;
- 督办 items (`SUPERVISION`);
- the plans themselves (`PLANS`): their indicators, targets, departments, tasks and the rest.
A change of a target, indicator, plan or anything else progress reads replaces every version.
A read after such a write computes afresh, and each later read costs nothing. These versions
are global, not per plan: writes are rare next to dashboard reads, and a global token needs no
query to find the plan of what was written.

Each indicator also has a version of its own, replaced by any change of one of its values or
督办 items: a read about one indicator (its page) is keyed by it and by `PLANS`, so approving
one indicator's figure leaves every other indicator's page cached.
"""

import time
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

# The data versions, by what a read depends on (`Actual.CACHED_ASPECTS` names the first two).
IN_FORCE = "in-force"
FIRST_SUBMITTED = "first-submitted"
ANY = "any"
SUPERVISION = "supervision"
PLANS = "plans"
VERSIONS = (IN_FORCE, FIRST_SUBMITTED, ANY, SUPERVISION, PLANS)


def lifetime() -> int:
    """Seconds a cached read lives (0: caching off), from `PROGRESS_CACHE_SECONDS`."""
    return int(getattr(settings, "PROGRESS_CACHE_SECONDS", 300))


def _version_key(aspect: str | int) -> str:
    """The cache key of an aspect's version (a name), or of an indicator's (its id)."""
    if isinstance(aspect, int):
        return f"lucounty:data-version:indicator:{aspect}"
    return f"lucounty:data-version:{aspect}"


def data_versions(aspects: Iterable[str | int]) -> str:
    """The current versions of these aspects and indicators (ids), as one token; an aspect
    without a version (never written, or evicted from the cache) gets a new one (1–2 round
    trips to the cache)."""
    keys = [_version_key(aspect) for aspect in aspects]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, timeout=None)
        found |= cache.get_many(missing)
    return ":".join(found[key] for key in keys)


def _forget(aspects) -> None:
    cache.set_many({_version_key(aspect): uuid.uuid4().hex for aspect in aspects}, timeout=None)


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
    """Signal receiver for a value saved: the version of all figures, those of the aspects it
    changed (`Actual.changed_aspects`), and its indicator's."""
    aspects = instance.changed_aspects()
    instance.remember_aspects()
    _changed({ANY, *aspects, instance.indicator_id})


def value_deleted(instance, **_kwargs) -> None:
    """Signal receiver for a value deleted: every version, and its indicator's."""
    _changed((*VERSIONS, instance.indicator_id))


def supervision_changed(instance, **_kwargs) -> None:
    """Signal receiver for a 督办 item written (each step saves its item's new state): the
    items' version, and that of the indicator the item is about (an item on a task has none)."""
    indicator_id = instance.indicator_id
    _changed((SUPERVISION, indicator_id) if indicator_id else (SUPERVISION,))


def user_saved(update_fields=None, **_kwargs) -> None:
    """Signal receiver for a user saved: cached pages name users (who entered, who approved),
    so a change of a user replaces every version; a login (last_login alone) does not."""
    if update_fields is None or set(update_fields) != {"last_login"}:
        data_changed()


def cached(key: str, compute: Callable[[], object], *, aspects: Iterable[str | int] = (IN_FORCE,)):
    """`compute()` once per key and versions of the aspects the read depends on (names, or
    indicator ids for an indicator's own version), while caching is on."""
    seconds = lifetime()
    if seconds <= 0:
        return compute()
    full_key = f"lucounty:{data_versions(aspects)}:{key}"
    found = cache.get(full_key)
    if found is None:
        found = _computed_once(full_key, compute, seconds)
    return found


# How long a read waits for another request computing the same entry before computing it too.
COMPUTE_WAIT = 10


def _computed_once(full_key: str, compute: Callable[[], object], seconds: int):
    """Compute an entry and store it. While another request computes the same entry, wait for
    its result instead: right after an approval every reader of the overview would otherwise
    compute the same page at once, each slowing the others down."""
    lock = f"{full_key}:computing"
    if not cache.add(lock, True, timeout=COMPUTE_WAIT):
        deadline = time.monotonic() + COMPUTE_WAIT
        while time.monotonic() < deadline:
            time.sleep(0.02)
            polled = cache.get_many([full_key, lock])
            if polled.get(full_key) is not None:
                return polled[full_key]
            if lock not in polled:  # the other finished without a result (None, or it failed)
                break
    try:
        found = compute()
        cache.set(full_key, found, timeout=seconds)
    finally:
        cache.delete(lock)
    return found
