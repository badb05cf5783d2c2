from django.db import models


class CounterEntry(models.Model):
    """One value of the "counters" cache (forum.core.counter_cache.CounterCache).

    Integers sit in `number`, where an increment is one UPDATE; any other value is pickled
    into `value`. Only the cache backend reads and writes this table, with its own SQL.
    """

    cache_key = models.TextField(primary_key=True)
    number = models.BigIntegerField(null=True)
    value = models.BinaryField(null=True)
    expires = models.DateTimeField()

    class Meta:
        db_table = "forum_counter_cache"

    def __str__(self):
        return self.cache_key
