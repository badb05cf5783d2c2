"""Every moderation page and action goes through one door: visitor → sign in, member → 403, no MFA → set it up."""

import pytest

from forum.moderation.models import ModerationAction
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    question = make_question(status="pending")
    answer = make_answer(question=make_question(), author=UserFactory())
    member = UserFactory()
    get_urls = ["/moderation/", "/moderation/log/", "/moderation/words/", f"/moderation/question/{question.pk}/edit/",
                f"/moderation/question/{question.pk}/reveal/"]  # fmt: skip
    post_urls = [
        f"/moderation/question/{question.pk}/approve/",
        f"/moderation/question/{question.pk}/reject/",
        f"/moderation/question/{question.pk}/hide/",
        f"/moderation/question/{question.pk}/lock/",
        f"/moderation/question/{question.pk}/duplicate/",
        f"/moderation/question/{question.pk}/block/",
        f"/moderation/answer/{answer.pk}/hide/",
        f"/moderation/answer/{answer.pk}/restore/",
        f"/moderation/answer/{answer.pk}/dismiss/",
        f"/moderation/users/{member.pk}/suspend/",
        f"/moderation/users/{member.pk}/unsuspend/",
        "/moderation/first-posts/1/reviewed/",
        "/moderation/words/1/remove/",
    ]
    return get_urls, post_urls


def test_it_sends_visitors_to_sign_in(visitor, urls):
    get_urls, post_urls = urls
    for url in get_urls:
        response = visitor.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    for url in post_urls:
        response = visitor.post(url, {"reason": "x"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert not ModerationAction.objects.exists()


def test_it_refuses_members(member, urls):
    get_urls, post_urls = urls
    for url in get_urls:
        assert member.get(url).status_code == 403, url
    for url in post_urls:
        assert member.post(url, {"reason": "x"}).status_code == 403, url
    assert not ModerationAction.objects.exists()


def test_it_sends_a_moderator_without_mfa_to_set_it_up(moderator_without_mfa, urls):
    get_urls, post_urls = urls
    for url in get_urls + post_urls:
        method = moderator_without_mfa.get if url in get_urls else moderator_without_mfa.post
        response = method(url, {"reason": "x"}) if method == moderator_without_mfa.post else method(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/accounts/2fa/totp/activate/", url
    assert not ModerationAction.objects.exists()


def test_it_opens_the_desk_to_a_moderator_with_mfa(moderator, urls):
    get_urls, _ = urls
    for url in get_urls:
        assert moderator.get(url).status_code == 200, url


def test_it_answers_405_to_get_on_actions_and_404_to_unknown_ones(moderator, urls):
    _, post_urls = urls
    assert moderator.get(post_urls[0]).status_code == 405
    question = make_question()
    assert moderator.post(f"/moderation/question/{question.pk}/explode/").status_code == 404
    assert moderator.post(f"/moderation/other/{question.pk}/hide/").status_code == 404


def test_it_never_redirects_off_site_after_an_action(moderator):
    question = make_question(status="pending")
    for target in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        response = moderator.post(f"/moderation/question/{question.pk}/lock/", {"reason": "x", "next": target})
        assert response["Location"] == "/moderation/", target
