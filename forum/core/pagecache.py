"""Whole-page caching for visitors who are not signed in: the bulk of the traffic.

Views marked with `cache_page_for_visitors` (home, lists, threads, topics) are cached whole by
PageCacheMiddleware, which sits near the top of the middleware stack: a hit is answered before
sessions, authentication or CSRF run, with the headers the page was first served with.

A page is kept once per interface language (the language cookie, else the browser's
Accept-Language: what LocaleMiddleware will pick), so no reader gets another language's page.
A page is cached only for a GET with no session and no messages cookie (so no asker tools, no
flash messages, no member's votes on it), and only when it answered 200 without setting a
cookie. Its key carries the generations of the *scopes* it shows (a thread, the lists,
everything), which the writes that change them move once they commit (forum.core.effects.
pages_changed), as do periodic jobs: a reader never gets a page from before a change: a hidden
or deleted post is gone from the very next request. Between changes, pages are served from the
cache.

List pages also say which rows they show (`shows_rows`: each question's id and row version,
PostgreSQL's xmin, read in the same statement as the row itself). A vote or an answer moves
ROWS, not LISTS: a list page then checks its rows (one query by primary key) and is rendered
again only if one of them changed; a list whose *order* or *membership* a write changes has its
own scope (ACTIVITY, SCORES, ANSWERED, EXPERT_ANSWERED). So a vote on a question the home page
doesn't show leaves the home page cached, and a vote on one it shows re-renders it at once.

Two levels: the shared cache (CACHE_URL: the database by default, Redis when given) holds
every page for all workers; each worker also keeps the pages it served last in memory (bounded
by FORUM_PAGE_CACHE_LOCAL_BYTES) so that a hit costs one small read, the generation, instead
of fetching the whole page again. Each page is gzipped once, when it is stored, and served
compressed to clients that accept it (a thread page shrinks to about a fifth).
"""

import contextlib
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string
from django.utils.translation import get_language_from_request

from forum.core import replicas
from forum.core.shared_cache import UNREACHABLE, asking_redis, clear_strictly
from forum.core.tasks import retried_task

logger = logging.getLogger("forum.cache")

# A cached page's key carries the generations of the *scopes* it shows: a write moves the
# generations of the scopes it changed (forum.core.effects.pages_changed), so only those pages
# are recomputed. Every page also carries EVERYTHING, moved by changes that show on every page.
EVERYTHING = "all"
LISTS = "lists"  # the home page, the question lists and topic pages: rows with scores and counts
# Narrower than LISTS, for the frequent writes (votes, answers): what about the lists they change.
ROWS = "lists:rows"  # some listed question's row changed: list pages check the rows they show
ACTIVITY = "lists:activity"  # the order by latest activity (a new answer moves its question up)
SCORES = "lists:scores"  # the order by score
ANSWERED = "lists:answered"  # which questions have answers (the unanswered list, its count)
EXPERT_ANSWERED = "lists:expert"  # which questions have an expert answer (home, the expert filter)
_GENERATION_PREFIX = "forum:gen:"


def thread(question_id: int) -> str:
    """The scope of one thread's pages."""
    return f"thread:{question_id}"


def _counters():
    """Generations and list counts live in the "counters" cache, where page churn can't evict them."""
    return caches["counters"]


# Bump when the stored entry's shape changes, so a deploy never reads an older shape.
PAGE_KEY_PREFIX = "forum:page:v5"
# Headers a cached page is not served with again: cookies are per visitor, the marker is ours.
_NOT_REPLAYED = {"set-cookie", "x-page-cache", "content-length", "content-encoding"}
_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")

Generations = tuple[int, ...]
# The rows a list page shows, per table: ((table, ((id, version), ...)), ...).
Rows = tuple[tuple[str, tuple[tuple[int, int], ...]], ...]
# A kept page: the generations it showed, its body, the body gzipped (or b""), its headers, the
# rows it shows and the ROWS generation they were last found unchanged at (None: no rows checked).
Entry = tuple[Generations, bytes, bytes, tuple, Rows, int | None]


def generations(scopes: tuple[str, ...]) -> Generations:
    """The current generation of each scope, EVERYTHING first: one cache read."""
    keys = [f"{_GENERATION_PREFIX}{scope}" for scope in (EVERYTHING, *scopes)]
    found = _counters().get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        start = time.time_ns()
        for key in missing:
            _counters().add(key, start, timeout=None)
        found.update(_counters().get_many(missing))
    return tuple(found[key] for key in keys)


def row_version(model) -> RawSQL:
    """An annotation for a list's query: the row's version (PostgreSQL's xmin, which every UPDATE
    of the row changes), read in the same statement, so it always matches the values shown."""
    table = connection.ops.quote_name(model._meta.db_table)
    return RawSQL(f"{table}.xmin::text::bigint", ())  # noqa: S611 - a quoted table name of ours, no input


_shown_rows: ContextVar[dict[str, dict[int, int]] | None] = ContextVar("page_cache_shown_rows", default=None)


def shows_rows(model, rows: Iterable[tuple[int, int]]) -> None:
    """The page being rendered shows these rows of `model`, as (id, row_version) pairs: a page
    whose scopes include ROWS is served from the cache only while they are unchanged."""
    shown = _shown_rows.get()
    if shown is not None:
        shown.setdefault(model._meta.db_table, {}).update(rows)


def _rows_unchanged(rows: Rows) -> bool:
    """One query per table (by primary key): is every row still there, at the version shown?"""
    for table, versions in rows:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, xmin::text::bigint FROM {connection.ops.quote_name(table)} WHERE id = ANY(%s)",
                [[pk for pk, _ in versions]],
            )
            if dict(cursor.fetchall()) != dict(versions):
                return False
    return True


def invalidate(scopes) -> None:
    """Move these scopes' generations: their cached pages are never served again.

    A new value, not an increment: concurrent writers can't lose a change. Raises UNREACHABLE
    when Redis can't be reached (after the client's own tries): see invalidate_soon."""
    now = time.time_ns()
    _counters().set_many({f"{_GENERATION_PREFIX}{scope}": now for scope in scopes}, timeout=None)


def invalidate_soon(scopes) -> None:
    """invalidate(), for a write that has committed: if Redis can't be reached, a task does it
    as soon as Redis is back, and the writer's request still succeeds. Meanwhile the pages are
    not served from a Redis this host can't reach; a Redis that restarted empty has none to serve;
    only a Redis that other hosts still reach could serve them, for at most the task's retry
    delay or FORUM_PAGE_CACHE_SECONDS, whichever is shorter."""
    _now_or_queued("invalidation", lambda: invalidate(scopes), invalidate_later, scopes=sorted(scopes))


def _now_or_queued(what: str, work, later, **kwargs) -> None:
    """Do `work` now; if Redis can't be reached, queue the task `later` (with kwargs) to do it."""
    try:
        with asking_redis():
            work()
    except UNREACHABLE as error:
        logger.error("page cache: Redis is unreachable (%s); %s queued", type(error).__name__, what)
        later.enqueue(**kwargs)


def _in_the_worker(work) -> None:
    """`work` as a retried task: Redis unreachable is a transient error, tried again later."""
    try:
        work()
    except UNREACHABLE as error:
        raise ConnectionError(f"Redis is unreachable: {type(error).__name__}") from None


# Pages a write changed are stale until this lands: try soon and often (they expire in 300 s anyway).
SOON = (2, 5, 15, 60, 240)


@retried_task(delays=SOON)
def invalidate_later(*, scopes: list[str]) -> None:
    """invalidate_soon's second chance, in the task worker, tried again until Redis answers."""
    _in_the_worker(lambda: invalidate(scopes))


def bump_content_generation() -> None:
    """Invalidate every cached page at once (periodic jobs, changes every page shows)."""
    invalidate({EVERYTHING})


def forget_all_pages() -> None:
    """Drop every stored page, not only make it unreachable: after an asker deletes their question
    no copy of its words may stay in the cache (old generations otherwise linger until culled).

    Called once the deletion has committed. If Redis can't be reached, a task empties it as soon
    as it answers again (the pages' cache ignores errors, so it is emptied strictly here)."""
    local_pages.clear()
    _now_or_queued("emptying the pages", _empty_the_pages, forget_all_pages_later)


def _empty_the_pages() -> None:
    clear_strictly(cache)
    bump_content_generation()


@retried_task(delays=SOON)
def forget_all_pages_later() -> None:
    """forget_all_pages's second chance, in the task worker, tried again until Redis answers."""
    _in_the_worker(_empty_the_pages)


def count_for_generation(name: str, queryset, scopes: tuple[str, ...] = ()) -> int:
    """queryset.count(), remembered until the lists' generation moves (every write that could
    change a list's count says so with pages_changed(LISTS)), or one of `scopes` (a filtered
    list's: ANSWERED for the unanswered count). One cache read when remembered."""
    if not settings.FORUM_CACHE_COUNTS:
        return queryset.count()
    key = f"forum:count:{name}"
    gen_keys = [f"{_GENERATION_PREFIX}{scope}" for scope in (EVERYTHING, LISTS, *scopes)]
    try:
        with asking_redis():
            found = _counters().get_many([*gen_keys, key])
            current = tuple(found.get(k) for k in gen_keys)
            remembered = found.get(key)
            if None not in current and remembered is not None and remembered[0] == current:
                return remembered[1]
            if None in current:
                current = generations((LISTS, *scopes))
    except UNREACHABLE:
        return queryset.count()  # Redis is away: count now, remember nothing
    replicas.read_fresh()  # remembered under these generations: counted on data at least as new
    count = queryset.count()
    with contextlib.suppress(*UNREACHABLE), asking_redis():
        _counters().set(key, (current, count), timeout=None)
    return count


def cache_page_for_visitors(scopes):
    """Mark a GET view whose page is the same for every visitor who is not signed in.

    `scopes(request, kwargs)` names what the page shows (the request and the URL's keyword
    arguments in, scopes out), so that a write elsewhere leaves it cached. A page whose scopes
    include ROWS says which rows it shows with `shows_rows` while it renders."""

    def mark(view):
        view.cache_for_visitors = scopes
        return view

    return mark


def lists_scope(request, kwargs) -> tuple[str, ...]:
    return (LISTS,)


def thread_scope(request, kwargs) -> tuple[str, ...]:
    return (thread(int(kwargs["pk"])),)


def changes_no_content(view):
    """Mark a POST view that reads only (a preview, a lookup): documentation, since writes now
    say what they change themselves."""
    view.changes_no_content = True
    return view


class _LocalPages:
    """A worker's most recently served pages, least recently used out first, bounded in bytes."""

    def __init__(self):
        self._pages: OrderedDict[str, tuple[float, Entry]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, generation: Generations):
        with self._lock:
            kept = self._pages.get(key)
            if kept is None or kept[1][0] != generation or kept[0] < time.monotonic():
                return None
            self._pages.move_to_end(key)
            return kept[1]

    def put(self, key: str, entry: Entry) -> None:
        limit = settings.FORUM_PAGE_CACHE_LOCAL_BYTES
        size = len(entry[1]) + len(entry[2])
        if size > limit // 4:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1][1]) + len(old[1][2])
            self._pages[key] = (time.monotonic() + settings.FORUM_PAGE_CACHE_SECONDS, entry)
            self._bytes += size
            while self._bytes > limit:
                _, (_, dropped) = self._pages.popitem(last=False)
                self._bytes -= len(dropped[1]) + len(dropped[2])

    def checked(self, key: str, entry: Entry) -> None:
        """Replace a kept page by the same page with its rows checked again, keeping its expiry."""
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None and kept[1][1] is entry[1]:
                self._pages[key] = (kept[0], entry)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


local_pages = _LocalPages()


def _page_key(request) -> tuple[str, tuple[str, ...]] | None:
    """The cache key for this request's page and the scopes it shows, or None when it must not
    be served from the cache."""
    if (
        settings.FORUM_PAGE_CACHE_SECONDS <= 0
        or request.method != "GET"
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
    ):
        return None
    try:
        match = resolve(request.path_info)
        scopes = getattr(match.func, "cache_for_visitors", None)
        if scopes is None:
            return None
        # One page per language: the language LocaleMiddleware will choose (cookie, else Accept-Language).
        language = get_language_from_request(request)
        address = f"{language} {request.scheme}://{request.get_host()}{request.get_full_path()}"
        shown = tuple(scopes(request, match.kwargs))
    except (Resolver404, DisallowedHost, KeyError, ValueError):
        return None  # the normal path answers these (404, 400)
    return hashlib.sha256(address.encode()).hexdigest(), shown


def may_keep_for_visitors(request) -> bool:
    """Whether this request's page may be kept for other visitors: then it must depend only on
    its address and language, never on another header (the crisis box's region)."""
    return _page_key(request) is not None


def stored_page_key(key: str, generation: Generations) -> str:
    """Where the shared cache keeps a page: its address's hash under the generations it showed."""
    return f"{PAGE_KEY_PREFIX}:{'.'.join(map(str, generation))}:{key}"


def _entry(generation: Generations, response, rows: Rows = (), rows_checked: int | None = None) -> Entry:
    """What is kept of a rendered page: its body, the body gzipped once (b"" when that doesn't
    pay), and the headers it was served with. Visitors' pages carry no secret (no CSRF token,
    no session), so compressing them exposes nothing to BREACH-style guessing."""
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    headers = tuple((n, v) for n, v in response.items() if n.lower() not in _NOT_REPLAYED)
    body = response.content
    gzipped = compress_string(body) if len(body) >= 200 else b""
    return generation, body, gzipped if len(gzipped) < len(body) else b"", headers, rows, rows_checked


def _serve(entry: Entry, request, response: HttpResponse | None = None) -> HttpResponse:
    """The kept page, gzipped for a client that accepts it; `response` is reused on a miss."""
    _, body, gzipped, headers = entry[:4]
    if response is None:
        response = HttpResponse()
        for name, value in headers:
            response[name] = value
    if gzipped and _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response.content = gzipped
        response["Content-Encoding"] = "gzip"
    else:
        response.content = body
    response["Content-Length"] = str(len(response.content))
    return response


class PageCacheMiddleware:
    """Answer visitors' requests for cacheable pages from the cache; store what the views render."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = _page_key(request)
        if found is None:
            return self.get_response(request)
        key, scopes = found
        try:
            with asking_redis():
                entry, generation, rows_generation, stored_key, lease = _look_up(key, scopes)
        except UNREACHABLE:
            # Redis can't be reached (asking_redis logged it): the page is rendered for this visitor, kept for nobody.
            response = self.get_response(request)
            response["X-Page-Cache"] = "off"
            return response
        if entry is not None:
            response = _serve(entry, request)
            response["X-Page-Cache"] = "hit"
            return response

        shown = _shown_rows.set({} if rows_generation is not None else None)
        # Kept for everyone under the generations read above: rendered from data at least that new.
        replicas.read_fresh()
        try:
            response = self.get_response(request)
            rows = tuple((table, tuple(versions.items())) for table, versions in (_shown_rows.get() or {}).items())
            if response.status_code == 200 and not response.streaming and not response.cookies:
                entry = _entry(generation, response, rows, rows_generation)
                cache.set(stored_key, entry, settings.FORUM_PAGE_CACHE_SECONDS)
                local_pages.put(key, entry)
                response = _serve(entry, request, response)
                response["X-Page-Cache"] = "miss"
        finally:
            _shown_rows.reset(shown)
            if lease is not None:
                with contextlib.suppress(*UNREACHABLE), asking_redis():  # else it lapses in RENDER_LEASE_SECONDS
                    _counters().delete(lease)
        return response


def _look_up(key: str, scopes: tuple[str, ...]) -> tuple[Entry | None, Generations, int | None, str, str | None]:
    """The kept page (or None), the generations a new one is kept under, the ROWS generation
    (None: the page shows no rows to check), the page's key in the shared cache, and the render
    lease this worker took (or None). Raises UNREACHABLE when Redis is away."""
    if ROWS in scopes:
        scopes = tuple(scope for scope in scopes if scope != ROWS)
        *keyed, rows_generation = generations((*scopes, ROWS))
        generation: Generations = tuple(keyed)
    else:
        generation, rows_generation = generations(scopes), None
    stored_key = stored_page_key(key, generation)
    entry = local_pages.get(key, generation)
    if entry is None:
        entry = _shared(key, stored_key)
    entry = _with_rows_checked(key, entry, rows_generation)
    lease = None
    if entry is None:
        lease = _render_lease(stored_key)
        if lease is None:  # another worker is rendering this very page: wait for it
            entry = _rendered_elsewhere(key, stored_key, rows_generation)
        else:
            # Another worker may have stored the page and given the lease back between our
            # look in the cache and taking the lease: look once more before rendering.
            entry = _with_rows_checked(key, _shared(key, stored_key), rows_generation)
            if entry is not None:
                _counters().delete(lease)
                lease = None
    return entry, generation, rows_generation, stored_key, lease


def _shared(key: str, stored_key: str) -> Entry | None:
    """The page from the shared cache (another worker rendered it), kept in this worker's memory too."""
    entry = cache.get(stored_key)
    if entry is not None:
        local_pages.put(key, entry)
    return entry


def _with_rows_checked(key: str, entry: Entry | None, rows_generation: int | None) -> Entry | None:
    """The entry if the rows it shows are unchanged: no query when ROWS hasn't moved since they
    were last checked, else one (a listed row may have changed); None if one did change."""
    if entry is None or rows_generation is None or entry[5] == rows_generation:
        return entry
    if not _rows_unchanged(entry[4]):
        return None
    entry = (*entry[:5], rows_generation)
    local_pages.checked(key, entry)
    return entry


# A page that a write made stale is rendered again by one worker, not by every worker that is
# asked for it meanwhile: the first takes a lease on it (in the counters cache, where `add` is
# atomic) and the others wait for the page in the shared cache, checking every few milliseconds
# that the lease is still held (it is given back when the page is stored, or isn't). A lease
# outlives a worker that died mid-render by RENDER_LEASE_SECONDS at most, and nobody waits more
# than RENDER_WAIT_SECONDS: then they render the page themselves, as without a lease.
RENDER_LEASE_SECONDS = 2
RENDER_WAIT_SECONDS = 1.0


def _render_lease(stored_key: str) -> str | None:
    """The lease's key if this worker is to render the page; None if another worker is at it."""
    lease = f"forum:render:{stored_key}"
    return lease if _counters().add(lease, 1, timeout=RENDER_LEASE_SECONDS) else None


def _rendered_elsewhere(key: str, stored_key: str, rows_generation: int | None) -> Entry | None:
    """The page another worker is rendering, once it is in the shared cache; None if that worker
    gave up (an error, a page that isn't kept) or the wait is over."""
    lease = f"forum:render:{stored_key}"
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    pause = 0.004
    while time.monotonic() < deadline:
        time.sleep(pause)
        entry = _with_rows_checked(key, _shared(key, stored_key), rows_generation)
        if entry is not None:
            return entry
        if not _counters().has_key(lease):
            return None
        pause = min(2 * pause, 0.032)
    return None
