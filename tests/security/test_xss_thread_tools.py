"""XSS in what the thread's moderator tools show: canned reason labels and texts (typed in the
admin), and topic names (admin) as the tools, the duplicate search, the topics page, the delete
confirmation, the queue and the log (a retag's reason names the topics) show them.

Same corpus and checker as test_xss_everywhere: each page is judged against the same page built
from harmless values (tests/security/xss/checker.py `page_issues`)."""

import pytest
from django.db import transaction

from forum.desk import thread_services
from forum.moderation.models import CannedReason
from forum.questions.models import Tag
from tests.factories import UserFactory, make_answer, make_question
from tests.security.xss.checker import page_issues
from tests.security.xss.corpus import GROUP_PARAMS
from tests.security.xss.world import get, harmless

pytestmark = pytest.mark.django_db
THREAD_TAGS = 5  # a question takes at most five topics


def _pages(client, value) -> dict[str, str]:
    """Build the world from `value(field, i)`, render every page that shows it, roll it all back."""
    with transaction.atomic():
        reasons = [CannedReason.objects.create(label=value("label", i)[:60], text=value("text", i)[:500], use="any",
                                               position=i) for i in range(len(_pages.group))]  # fmt: skip
        tags = [Tag.objects.create(name=f"{value('topic', i)[:34]} {i}", slug=f"xss-topic-{i}")
                for i in range(len(_pages.group))]  # fmt: skip
        question = make_question(title="A thread the moderators look after carefully")
        answer = make_answer(question=question, author=UserFactory())
        make_question(title="A question waiting in the queue for review", status="pending")
        thread_services.question_retag(moderator=client.user, question=question, tags=tags[:THREAD_TAGS],
                                       reason=reasons[0].text)  # fmt: skip
        response = client.post(f"/moderation/answer/{answer.pk}/delete/", {"reason": reasons[0].text})
        assert response.status_code == 200
        pages = {
            "thread": get(client, question.get_absolute_url()),
            "duplicate search": get(client, f"/moderation/question/{question.pk}/duplicate/?q=moderators"),
            "topics page": get(client, f"/moderation/question/{question.pk}/topics/"),
            "delete confirmation": response.content.decode(),
            "queue": get(client, "/moderation/"),
            "log": get(client, "/moderation/log/"),
        }
        transaction.set_rollback(True)
    return pages


@pytest.mark.parametrize("group", GROUP_PARAMS)
def test_canned_reasons_and_topic_names_never_become_markup(group, moderator):
    _pages.group = group  # type: ignore[attr-defined]
    baseline = _pages(moderator, harmless)
    shown = _pages(moderator, lambda field, i: group[i][1])
    for page, markup in shown.items():
        issues = page_issues(markup, baseline[page])
        assert not issues, (page, issues[:5])
    # What was checked really shows: the pickers on every page, the thread's payload-named topics.
    for page in ("thread", "duplicate search", "topics page", "delete confirmation", "queue"):
        assert 'name="canned"' in shown[page], page
    assert all(f"xss-topic-{i}/" in shown["thread"] for i in range(min(THREAD_TAGS, len(group))))
