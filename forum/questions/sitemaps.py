"""/sitemap.xml: published threads and the topics. Nothing pending, hidden, rejected or removed."""

from django.contrib.sitemaps import Sitemap

from .models import Question, Tag


class QuestionSitemap(Sitemap):
    def items(self):
        return Question.objects.published().only("id", "slug", "last_activity_at").order_by("id")

    def lastmod(self, question: Question):
        return question.last_activity_at


class TopicSitemap(Sitemap):
    def items(self):
        return Tag.objects.only("id", "slug").order_by("name")


SITEMAPS = {"questions": QuestionSitemap, "topics": TopicSitemap}
