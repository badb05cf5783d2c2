"""RSS and Atom feeds of the latest published questions, site-wide and per topic.

An item names its author only when the question was asked under the member's name; a
content-warned question shows its warning instead of an excerpt. Two queries at most (the
topic, then the items with their authors), whatever the feed holds.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext

from . import seo
from .models import Question, Tag

FEED_SIZE = 30
EXCERPT_CHARS = 300


def feed_questions(*, tag: Tag | None = None) -> QuerySet[Question]:
    questions = (
        Question.objects.published()
        .select_related("author")
        .defer("body", "key_hash", "submission_hash", "source_hash")
        .order_by("-published_at", "-id")
    )
    if tag is not None:
        questions = questions.filter(tags=tag)
    return questions[:FEED_SIZE]


class LatestQuestionsFeed(Feed):
    def title(self):
        return gettext("%(SITE_NAME)s: latest questions") % {"SITE_NAME": settings.SITE_NAME}

    def description(self):
        return gettext("New questions about sex, intimacy and relationships, answered by experts and the community.")

    def link(self):
        return reverse("questions:list")

    def items(self):
        return feed_questions()

    def item_title(self, question: Question) -> str:
        # Some RSS readers render titles as HTML, others as text: escape what could be markup,
        # but leave the apostrophes and quotes that nearly every question has.
        return question.title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def item_description(self, question: Question) -> str:
        # Feed readers treat the description as HTML: give them escaped plain text.
        return escape(seo.question_text(question, limit=EXCERPT_CHARS))

    def item_pubdate(self, question: Question):
        return question.published_at

    def item_author_name(self, question: Question) -> str | None:
        author = question.public_author  # None for an anonymous question: no author element at all
        return author.username if author is not None else None


class LatestQuestionsAtomFeed(LatestQuestionsFeed):
    feed_type = Atom1Feed

    def item_title(self, question: Question) -> str:
        return question.title  # an Atom title is text by definition

    def subtitle(self):
        return self.description()


class TopicQuestionsFeed(LatestQuestionsFeed):  # Django's Feed passes get_object()'s topic to each
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag: Tag):  # type: ignore[override]
        return escape(f"{settings.SITE_NAME}: {tag.label}")

    def description(self, tag: Tag):  # type: ignore[override]
        # Feed readers may render channel text as HTML: escape it like the items.
        return escape(tag.about or gettext("New questions about %(topic)s.") % {"topic": tag.label})

    def link(self, tag: Tag):  # type: ignore[override]
        return tag.get_absolute_url()

    def items(self, tag: Tag):  # type: ignore[override]
        return feed_questions(tag=tag)
