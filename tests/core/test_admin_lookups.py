"""The admin never shows, searches, sorts or filters by the author of an anonymous question
(forum/core/admin.py and every admin.py of ours), query-string lookups included."""

import pytest
from django.contrib import admin
from django.urls import reverse

from forum.core.admin import StrictLookupsMixin
from forum.desk import services as moderation
from forum.moderation.models import ModerationAction, Suspension
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "questions", "answers", "moderation"}
# Every way of naming a person (or their posts) in a query string, on any of our models.
PERSON_LOOKUPS = [
    "author", "author__exact", "author__id", "author__id__exact", "author__pk", "author__in", "author__username",
    "user", "user__id__exact", "reporter", "reporter__id__exact", "target_user", "target_user__id__exact",
    "moderator", "created_by", "edited_by", "recipient", "reviewer", "question__author", "question__author__id",
    "answer__author", "votes__user", "flags__reporter", "expert_profile__user", "pk", "id",
]  # fmt: skip
POST_LOOKUPS = ["questions", "questions__id__exact", "questions__pk", "answers", "answers__question", "question",
                "question__id__exact", "votes__question", "notifications__question"]  # fmt: skip
ASKER = "hidden-asker"
EMAIL = "hidden-asker@example.com"
TITLE = "Is it normal to feel this way after we sleep together?"


@pytest.fixture
def scene(moderator_user, revealing_moderator):
    """A member's anonymous question; a moderator hides it and suspends its author from it;
    another moderator reveals the author (all logged). The author also reported a post."""
    asker = UserFactory(username=ASKER, email=EMAIL)
    question = make_question(author=asker, anonymous=True, title=TITLE)
    other = make_question(author=UserFactory(), anonymous=False, title="How do we talk about what we both want?")
    make_answer(question=question, author=UserFactory())
    moderation.flag_create(post=other, reason="spam", reporter=asker)
    moderation.post_hide(moderator=moderator_user, post=question, reason="Too graphic")
    suspension = moderation.question_author_suspend(moderator=moderator_user, question=question, days=3,
                                                    reason="Harassment in the question")  # fmt: skip
    moderation.author_reveal(moderator=revealing_moderator.user, question=question, reason="Legal request")
    return {"asker": asker, "question": question, "suspension": suspension}


def our_admins():
    return [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label in OUR_APPS]


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_it_gives_every_admin_of_ours_the_strict_lookups():
    admins = our_admins()
    assert {m._meta.label for m, _ in admins} >= {
        "accounts.User", "questions.Question", "questions.Tag", "answers.Answer", "moderation.Flag",
        "moderation.ModerationAction", "moderation.Suspension", "moderation.WatchedWord",
    }  # fmt: skip
    for model, model_admin in admins:
        assert isinstance(model_admin, StrictLookupsMixin), model


def test_it_refuses_every_lookup_by_a_person_or_their_posts(site_admin, scene):
    asker, question = scene["asker"], scene["question"]
    failures = []
    for model, _ in our_admins():
        url = changelist(model)
        assert site_admin.get(url).status_code == 200, url
        for lookup in PERSON_LOOKUPS + POST_LOOKUPS:
            value = question.pk if lookup in POST_LOOKUPS else asker.pk
            response = site_admin.get(url, {lookup: value})
            if response.status_code != 400:
                failures.append(f"{url}?{lookup}={value}: {response.status_code}")
    assert not failures, "lookups that were not refused:\n" + "\n".join(failures)


def test_it_still_filters_by_each_admins_own_filters(site_admin, scene):
    tag = scene["question"].tags.get()
    for url in [
        f"/admin/questions/question/?status__exact=hidden&tags__id__exact={tag.pk}",
        "/admin/answers/answer/?status__exact=published&is_expert__exact=0",
        "/admin/moderation/moderationaction/?kind__exact=suspend",
        f"/admin/moderation/moderationaction/?created_at__year={scene['question'].created_at.year}",
        "/admin/moderation/flag/?status__exact=open&reason__exact=spam",
        "/admin/accounts/user/?is_staff__exact=0&groups__id__exact=1",
    ]:
        response = site_admin.get(url)
        assert response.status_code == 200, url


def test_it_never_names_the_author_on_the_pages_about_their_anonymous_question(site_admin, scene):
    question, suspension = scene["question"], scene["suspension"]
    entries = ModerationAction.objects.filter(question=question)
    assert {e.kind for e in entries} == {"hide", "suspend", "reveal-author"}
    pages = [
        "/admin/questions/question/",
        f"/admin/questions/question/{question.pk}/change/",
        "/admin/moderation/moderationaction/",
        "/admin/moderation/moderationaction/?kind__exact=suspend",
        *[f"/admin/moderation/moderationaction/{e.pk}/change/" for e in entries],
        "/admin/moderation/suspension/",
        f"/admin/moderation/suspension/{suspension.pk}/change/",
        f"/admin/moderation/suspension/{suspension.pk}/history/",
        "/admin/moderation/flag/",
        *[f"/admin/moderation/flag/?o={n}" for n in range(1, 5)],
        *[f"/admin/moderation/suspension/?o={n}" for n in range(1, 7)],
    ]
    for url in pages:
        response = site_admin.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert ASKER not in html and EMAIL not in html, url
    for words in (ASKER, EMAIL):  # a search by name or address finds nothing
        html = site_admin.get("/admin/questions/question/", {"q": words}).content.decode()
        assert TITLE not in html and "0 results" in html
    suspension_page = site_admin.get(f"/admin/moderation/suspension/{suspension.pk}/change/").content.decode()
    assert f"the author of question #{question.pk}" in suspension_page
    log_page = site_admin.get("/admin/moderation/moderationaction/?kind__exact=suspend").content.decode()
    assert f"the author of question #{question.pk}" in log_page


def test_it_names_a_member_suspended_for_something_else(site_admin, moderator_user):
    member = UserFactory(username="named-nick")
    moderation.user_suspend(moderator=moderator_user, user=member, days=2, reason="Spam links")
    assert "member named-nick" in site_admin.get("/admin/moderation/suspension/").content.decode()
    assert "member named-nick" in site_admin.get("/admin/moderation/moderationaction/").content.decode()


def test_it_lifts_a_suspension_without_naming_the_author_in_its_messages(site_admin, scene):
    suspension = scene["suspension"]
    Suspension.objects.filter(pk=suspension.pk).update(ends_at=suspension.created_at)  # over already
    response = site_admin.post("/admin/moderation/suspension/", {"action": "lift", "_selected_action": [suspension.pk]},
                               follow=True)  # fmt: skip
    html = response.content.decode()
    lifted = (
        f"The author of question #{scene['question'].pk}: No suspension of the author of this question is in force."
    )
    assert lifted in html
    assert ASKER not in html and EMAIL not in html
