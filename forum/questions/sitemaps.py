"""The sitemap: an index at /sitemap.xml, sections at /sitemap-<section>.xml(?p=N).

Published threads and the topics only; nothing pending, hidden, rejected or removed. A sitemap
file may list at most 50,000 addresses, so each section is paged, and every page costs a
fixed number of queries (a COUNT on an indexed filter, then one page of rows) however many
threads there are.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Question, Tag

PAGE_SIZE = 10_000  # well under the protocol's 50,000, and a page renders in well under a second


class QuestionSitemap(Sitemap):
    limit = PAGE_SIZE

    def items(self):
        return Question.objects.published().only("id", "slug", "last_activity_at").order_by("id")

    def lastmod(self, question: Question):
        return question.last_activity_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item: 100k rows for one date in the index.
        # One aggregate on the (status, last_activity_at) index instead.
        return Question.objects.published().aggregate(latest=Max("last_activity_at"))["latest"]


class TopicSitemap(Sitemap):
    limit = PAGE_SIZE

    def items(self):
        return Tag.objects.only("id", "slug").order_by("name")


SITEMAPS = {"questions": QuestionSitemap, "topics": TopicSitemap}
