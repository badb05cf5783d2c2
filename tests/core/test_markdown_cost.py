"""No input, however crafted, costs a worker more than a couple of seconds (DESIGN.md, promise 7).

Markdown known to be costly for some parser (tests/core/markdown_inputs.py: CommonMark's
pathological cases, markdown-it's and Python-Markdown's trouble spots) goes through every
endpoint that takes text, at that endpoint's own maximum length, with Django's test client.
Each request must answer (any status but 5xx) within BOUND. The realistic cost is far lower —
the worst input renders in 0.15-0.4 s at 20,000 characters on a busy 2-core machine (`make
bench-markdown`), a request takes up to about 0.8 s there — so the bound fails for a real
regression, not for a busy machine. The whole matrix takes a while and is marked
slow; the preview with 20,000 × "[" and an endpoint's costliest inputs run in every test run.
"""

import time
from collections.abc import Callable

import pytest
from django.test import Client

from forum.answers.models import ANSWER_MAX
from forum.core.markdown import render_markdown
from forum.core.tokens import new_form_token
from forum.core.views import PREVIEW_MAX
from forum.desk.forms import EditForm, ReportForm
from forum.questions.models import BODY_MAX, Tag
from forum.questions.search import QUERY_MAX
from tests.core.markdown_inputs import pathological_inputs
from tests.factories import make_question

pytestmark = pytest.mark.django_db

BOUND = 2.0  # seconds
PREVIEW_URL = "/markdownx/markdownify/"
TITLE = "Is it normal to feel this way after a first date?"
REPORT_NOTE_MAX = ReportForm.base_fields["note"].max_length
EDIT_BODY_MAX = EditForm.base_fields["body"].max_length
SEARCH_RAW = 4_000  # a longer query line than gunicorn accepts (4,094 bytes); the view keeps QUERY_MAX
# The costliest inputs for markdown-it-py (bench-markdown's top rows), checked in every run.
COSTLY = ("[ run", "![ run", "many wide tables of empty rows", "definition list flood", "long list")
# Django refuses NUL in form fields (the form comes back with an error): those never reach markdown.
REFUSED_BY_FORMS = {"NUL bytes"}

WORST: dict[str, tuple[float, str]] = {}


@pytest.fixture(scope="module", autouse=True)
def report_worst(request):
    yield
    if not WORST:
        return
    worst = ", ".join(f"{name} {seconds:.2f}s ({case})" for name, (seconds, case) in sorted(WORST.items()))
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\n[markdown cost] worst per endpoint: {worst}")


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    # Dozens of requests from one client: the limits are tested elsewhere.
    settings.RATELIMIT_ENABLE = False


def send_each(name: str, size: int, send: Callable[[str], object], *, only=None) -> dict[str, int]:
    """Every input at `size` characters through `send`; the status of each. Fails on a 5xx or a slow answer."""
    statuses, too_slow = {}, []
    for case, text in pathological_inputs(size).items():
        if only is not None and case not in only:
            continue
        started = time.perf_counter()
        response = send(text)
        seconds = time.perf_counter() - started
        statuses[case] = response.status_code
        if response.status_code >= 500 or seconds > BOUND:
            too_slow.append(f"{case}: {response.status_code} in {seconds:.2f}s")
        if seconds > WORST.get(name, (0.0, ""))[0]:
            WORST[name] = (seconds, case)
    assert too_slow == [], f"{name}: " + "; ".join(too_slow)
    return statuses


def accepted(statuses: dict[str, int], status: int, size: int) -> None:
    """Each input the forms allow was taken (so it was rendered and stored), the others refused politely:
    NUL characters (Django's form fields refuse them) and text that renders to nothing (a post's HTML
    may not be blank), both with the form again and its error."""
    inputs = pathological_inputs(size)
    refused = {case: got for case, got in statuses.items() if got != status}
    for case, got in refused.items():
        assert got in (200, 400), (case, got)
        assert case in REFUSED_BY_FORMS or render_markdown(inputs[case]) == "", (case, got)
    assert len(refused) <= 6, refused


@pytest.fixture
def tag_pk(db):
    return Tag.objects.order_by("pk").values_list("pk", flat=True).first()


@pytest.fixture
def question(member_user):
    return make_question(author=member_user, title=TITLE)


# --- the preview, in every run -------------------------------------------------------------


def test_it_previews_20000_brackets_within_the_bound(visitor):
    started = time.perf_counter()
    response = visitor.post(PREVIEW_URL, {"content": "[" * 20_000})
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert response.content.decode() == "<p>" + "[" * 20_000 + "</p>"
    assert seconds < BOUND, f"{seconds:.2f}s"


def test_it_refuses_to_preview_more_than_a_post_can_hold(visitor):
    assert PREVIEW_MAX == ANSWER_MAX == EDIT_BODY_MAX > BODY_MAX
    response = visitor.post(PREVIEW_URL, {"content": "[" * (PREVIEW_MAX + 1)})
    assert response.status_code == 413
    assert response.content.decode() == (
        "<p><strong>Too long to preview.</strong> A post can be up to 20,000 characters; this text has 20,001.</p>"
    )
    assert visitor.post(PREVIEW_URL, {"content": "a" * PREVIEW_MAX}).status_code == 200


def test_it_previews_the_costliest_inputs_within_the_bound(visitor):
    statuses = send_each("preview", PREVIEW_MAX, lambda text: visitor.post(PREVIEW_URL, {"content": text}), only=COSTLY)
    assert set(statuses.values()) == {200} and len(statuses) == len(COSTLY)


def test_it_takes_the_costliest_answers_within_the_bound(outsider, question):
    url = f"/questions/{question.pk}/answer/"
    statuses = send_each("answer", ANSWER_MAX, lambda text: outsider.post(url, {"body": text}), only=COSTLY)
    assert set(statuses.values()) == {302} and len(statuses) == len(COSTLY)


# --- every input through every endpoint --------------------------------------------------------


@pytest.mark.slow
def test_it_previews_every_costly_input_within_the_bound(visitor):
    statuses = send_each("preview", PREVIEW_MAX, lambda text: visitor.post(PREVIEW_URL, {"content": text}))
    assert statuses.pop("NUL bytes") == 400  # a malformed request (forum.core.malformed): PostgreSQL can't hold U+0000
    assert set(statuses.values()) == {200}


@pytest.mark.slow
def test_it_takes_every_costly_question_within_the_bound(tag_pk):
    def ask(text):
        data = {"title": TITLE, "body": text, "tags": [tag_pk], "form_token": new_form_token()}
        return Client().post("/questions/ask/", data)

    accepted(send_each("ask", BODY_MAX, ask), 302, BODY_MAX)


@pytest.mark.slow
def test_it_takes_every_costly_answer_within_the_bound(outsider, question):
    url = f"/questions/{question.pk}/answer/"
    accepted(send_each("answer", ANSWER_MAX, lambda text: outsider.post(url, {"body": text})), 302, ANSWER_MAX)


@pytest.mark.slow
def test_it_takes_every_costly_edit_within_the_bound(member, question, tag_pk):
    url = f"/questions/{question.pk}/edit/"

    def edit(text):
        return member.post(url, {"title": TITLE, "body": text, "tags": [tag_pk]})

    accepted(send_each("edit", BODY_MAX, edit), 302, BODY_MAX)


@pytest.mark.slow
def test_it_takes_every_costly_moderator_edit_within_the_bound(moderator, question):
    url = f"/moderation/question/{question.pk}/edit/"

    def edit(text):
        return moderator.post(url, {"title": TITLE, "body": text, "reason": "Tidy"})

    accepted(send_each("moderator edit", EDIT_BODY_MAX, edit), 302, EDIT_BODY_MAX)


@pytest.mark.slow
def test_it_searches_for_every_costly_input_within_the_bound(visitor, question):
    assert QUERY_MAX < SEARCH_RAW
    statuses = send_each("search", SEARCH_RAW, lambda text: visitor.get("/search/", {"q": text}))
    assert statuses.pop("NUL bytes") == 400  # a malformed request (forum.core.malformed)
    assert set(statuses.values()) == {200}


@pytest.mark.slow
def test_it_takes_every_costly_report_note_within_the_bound(question):
    url = f"/report/question/{question.pk}/"

    def report(text):
        return Client().post(url, {"reason": "other", "note": text})

    accepted(send_each("report", REPORT_NOTE_MAX, report), 302, REPORT_NOTE_MAX)
