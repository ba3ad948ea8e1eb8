"""Django's RedisCache, with one redis client per connection pool instead of one per call.

Django's client builds a new `redis.Redis` for every cache operation, and each one fills its
table of reply handlers (about 170 entries): a fifth of a millisecond per call, several calls a
page. A `redis.Redis` holds no state of its own between calls (the pool holds the connections)
and is safe to share between threads, so one per pool is enough.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
