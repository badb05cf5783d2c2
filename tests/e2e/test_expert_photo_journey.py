"""The people behind the answers, in a real browser: an expert (signed in with an authenticator code)
uploads a photo through the file input, and it shows — without its EXIF — beside their answer on the
thread, on /experts/ and on their profile; an expert without two-factor authentication is told on the
answer form; axe finds nothing serious on the pages this touches, in both colour schemes."""

import io
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import expect

from accounts.models import ExpertPhoto, ExpertProfile
from tests.e2e.conftest import DESKTOP, PHONE, log_in
from tests.e2e.helpers import describe, log_in_with_mfa, serious_violations, with_totp
from tests.factories import UserFactory, make_answer, make_expert, make_question
from tests.people import images
from tests.people.experts import give_photo

EXPERT = "dr-okafor"
NOTE = "Your answers show the expert badge only once two-factor authentication is on"


@pytest.fixture(scope="session")
def axe():
    return Axe()


def expert_with_answer(*, mfa: bool = True, username: str = EXPERT) -> SimpleNamespace:
    expert = make_expert(UserFactory(username=username), title="Clinical sexologist", mfa=False)
    ExpertProfile.objects.filter(user=expert).update(bio="I work with couples on desire and pain.", bio_html="")
    if mfa:
        with_totp(expert)
    question = make_question(title="Is it normal for desire to change after a baby?")
    make_answer(question=question, author=expert, body="Yes: sleep, hormones and touch all change. It comes back.")
    return SimpleNamespace(expert=expert, question=question)


def no_sideways_scroll(page) -> None:
    if page.e2e_mode.phone:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls at {page.url}"


def photo_loaded(page, alt: str):
    image = page.get_by_role("img", name=alt).first
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth === 400"), "the photo did not load"
    return image.get_attribute("src")


def test_an_expert_uploads_a_photo_that_shows_beside_their_answer_on_experts_and_profile(
    mode, open_page, tmp_path, screenshot
):
    world = expert_with_answer()
    source = tmp_path / "holiday.jpg"
    source.write_bytes(images.phone_jpeg(1600, 1200, trailer=images.TRAILER))
    page = open_page(mode)
    log_in_with_mfa(page, world.expert, next_url="/experts/apply/")
    expect(page.get_by_role("heading", name="Your photo")).to_be_visible()
    page.get_by_label("Choose a photo").set_input_files(source)
    with page.expect_navigation():
        page.get_by_role("button", name="Upload photo").click()
    expect(page.get_by_text("Your photo is saved.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove photo")).to_be_visible()
    screenshot(page, "apply")
    no_sideways_scroll(page)

    photo = ExpertPhoto.objects.get(profile__user=world.expert)
    with Image.open(io.BytesIO(bytes(photo.image))) as stored:
        assert not stored.getexif() and "icc_profile" not in stored.info
    assert images.TRAILER not in bytes(photo.image)
    address = f"/experts/photos/{photo.sha256}.jpg"

    alt = f"Photo of {EXPERT}"
    for path in (world.question.get_absolute_url(), "/experts/", f"/users/{EXPERT}/"):
        page.goto(path)
        assert photo_loaded(page, alt) == address
        no_sideways_scroll(page)
        screenshot(page, path.strip("/").split("/")[0] or "home")
    # A visitor sees it too, with the same address (public and cacheable for a year).
    visitor = open_page(mode)
    visitor.goto(world.question.get_absolute_url())
    assert photo_loaded(visitor, alt) == address


def test_an_expert_removes_their_photo(open_page):
    world = expert_with_answer()
    give_photo(world.expert)
    page = open_page(DESKTOP)
    log_in_with_mfa(page, world.expert, next_url="/experts/apply/")
    with page.expect_navigation():
        page.get_by_role("button", name="Remove photo").click()
    expect(page.get_by_text("Your photo is removed.")).to_be_visible()
    assert not ExpertPhoto.objects.exists()
    page.goto(world.question.get_absolute_url())
    expect(page.get_by_role("img", name=f"Photo of {EXPERT}")).to_have_count(0)


def test_an_svg_is_refused_beside_the_field(open_page, tmp_path):
    world = expert_with_answer()
    fake = tmp_path / "me.png"
    fake.write_bytes(images.SVG)
    page = open_page(DESKTOP)
    log_in_with_mfa(page, world.expert, next_url="/experts/apply/")
    page.get_by_label("Choose a photo").set_input_files(fake)
    page.get_by_role("button", name="Upload photo").click()
    expect(page.locator("#id_photo_error")).to_contain_text("Choose a photo in JPEG, PNG or WebP format.")
    assert not ExpertPhoto.objects.exists()


def test_a_photo_over_5_mb_is_refused_beside_the_field_with_or_without_javascript(mode, open_page, tmp_path):
    world = expert_with_answer()
    big = tmp_path / "big.jpg"
    big.write_bytes(images.phone_jpeg() + b"\0" * (5 * 1024 * 1024))
    page = open_page(mode)
    log_in_with_mfa(page, world.expert, next_url="/experts/apply/")
    page.get_by_label("Choose a photo").set_input_files(big)
    page.get_by_role("button", name="Upload photo").click()
    # With JavaScript the page says so before sending; without, the server says the same beside the field.
    expect(page.locator(".expert-photo-manage .errorlist")).to_contain_text("larger than 5 MB")
    assert not ExpertPhoto.objects.exists()
    no_sideways_scroll(page)


def test_an_expert_without_two_factor_is_told_on_the_answer_form(mode, open_page):
    world = expert_with_answer(mfa=False)
    page = open_page(mode)
    log_in(page, world.expert, next_url=world.question.get_absolute_url())
    form = page.locator(".answer-form-section")
    expect(form.get_by_text(NOTE)).to_be_visible()
    form.get_by_role("link", name="set it up").click()
    page.wait_for_url("**/accounts/2fa/**")
    page.goto("/experts/apply/")
    expect(page.get_by_text(NOTE)).to_be_visible()
    no_sideways_scroll(page)


# --- accessibility ------------------------------------------------------------------------------

PAGES = ("/experts/", "/about/", f"/users/{EXPERT}/", "/experts/apply/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_people_pages_have_no_serious_accessibility_violations(scheme, viewport, axe, open_page):
    world = expert_with_answer()
    give_photo(world.expert)
    make_expert(UserFactory(username="nurse-ade"), title="Sexual health nurse")
    page = open_page(viewport)
    page.emulate_media(color_scheme=scheme)
    log_in_with_mfa(page, world.expert, next_url="/experts/apply/")
    problems = []
    for path in (*PAGES, world.question.get_absolute_url()):
        page.goto(path)
        assert page.url.endswith(path), f"expected {path}, at {page.url}"
        no_sideways_scroll(page)
        violations = serious_violations(axe, page)
        if violations:
            problems.append(f"{path} ({scheme}, {viewport.name}):\n{describe(violations)}")
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)
