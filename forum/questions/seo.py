"""What search engines and feed readers see of a thread: plain-text summaries and schema.org data.

Two rules hold everywhere here: an anonymous question names no author, and a content-warned
question shows no body text (only "Content warning: …").
"""

import html
import re

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext

from .models import Question

# Block ends become spaces, so "<p>one</p><p>two</p>" reads "one two", not "onetwo".
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|td|th)>|<br\s*/?>", re.IGNORECASE)


def plain_text(body_html: str) -> str:
    """The text of sanitized HTML, entities decoded, on one line. Escape it wherever it goes."""
    return " ".join(html.unescape(strip_tags(_BLOCK_END.sub(" ", body_html or ""))).split())


def content_warning_text(question: Question) -> str:
    labels = gettext(", ").join(question.content_warning_labels())
    return gettext("Content warning: %(warnings)s.") % {"warnings": labels}


def question_text(question: Question, *, limit: int | None = None) -> str:
    """The question's body as plain text (cut to `limit` characters), or only its content warning."""
    if question.content_warnings:
        return content_warning_text(question)
    text = plain_text(question.body_html)
    return Truncator(text).chars(limit) if limit else text


def qa_page(question: Question, answers, *, url: str) -> dict:
    """schema.org QAPage data for a published thread, from what the thread view already loaded."""
    entity = {
        "@type": "Question",
        "name": question.title,
        "text": question_text(question),
        "dateCreated": question.created_at.isoformat(),
        "upvoteCount": question.score,
        "answerCount": question.answer_count,
        "url": url,
    }
    author = question.public_author  # None for an anonymous question, whoever asked it
    if author is not None:
        entity["author"] = {"@type": "Person", "name": author.username}
    accepted = [answer for answer in answers if answer.is_accepted]
    suggested = [answer for answer in answers if not answer.is_accepted]
    if accepted:
        entity["acceptedAnswer"] = _answer(accepted[0], url=url)
    if suggested:
        entity["suggestedAnswer"] = [_answer(answer, url=url) for answer in suggested]
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}


def _answer(answer, *, url: str) -> dict:
    # Answers are by members, whose names are public on the thread; none once the account is deleted.
    entity = {
        "@type": "Answer",
        "text": plain_text(answer.body_html),
        "dateCreated": answer.created_at.isoformat(),
        "upvoteCount": answer.score,
        "url": f"{url}#answer-{answer.pk}",
    }
    if answer.author is not None:
        entity["author"] = {"@type": "Person", "name": answer.author.username}
    return entity
