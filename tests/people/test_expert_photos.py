"""Experts' photos: what an upload becomes, what is refused, who may see it, and how it is served."""

import hashlib
import io
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from accounts.models import ExpertPhoto, ExpertProfile
from forum.moderation.models import ModerationAction
from forum.people import photos
from forum.people.selectors import account_deletion_summary
from forum.people.services import account_delete
from forum.questions.models import Tag
from tests.factories import UserFactory, log_in, make_expert
from tests.people import images
from tests.people.experts import applicant, give_photo

pytestmark = pytest.mark.django_db

APPLICATION = {
    "title": "Sex therapist",
    "credentials": "MA Psychotherapy",
    "licence_number": "PT-77",
    "licence_body": "Council of Psychotherapy",
    "jurisdiction": "Belgium",
    "bio": "I see couples.",
}


def upload(data: bytes, name: str = "me.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- what an upload becomes -------------------------------------------------------------------


def test_it_keeps_only_a_fresh_jpeg_without_exif_gps_profile_or_trailing_bytes(member, member_user):
    original = images.phone_jpeg(trailer=images.TRAILER)
    with Image.open(io.BytesIO(original)) as source:  # the test's file really carries all of it
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert source.info.get("icc_profile")
    data = {**APPLICATION, "areas": [Tag.objects.first().pk], "photo": upload(original)}
    response = member.post("/experts/apply/", data)
    assert response.status_code == 302
    photo = ExpertPhoto.objects.get(profile__user=member_user)
    stored = bytes(photo.image)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (photos.SIZE, photos.SIZE) == (photo.width, photo.height)
        assert not image.getexif()
        assert "icc_profile" not in image.info and "exif" not in image.info
    assert b"PhoneMaker" not in stored and images.TRAILER not in stored
    assert stored.endswith(b"\xff\xd9")  # the JPEG's own end, nothing after it
    assert photo.sha256 == hashlib.sha256(stored).hexdigest()
    assert photo.content_type == "image/jpeg"


def test_it_takes_a_large_phone_photo_decoding_it_at_a_reduced_scale():
    encoded = photos.encode_bytes(images.phone_jpeg(6000, 4000))
    with Image.open(io.BytesIO(encoded.data)) as image:
        assert image.size == (400, 400)


def test_it_lays_transparency_on_white_and_crops_to_a_square():
    encoded = photos.encode_bytes(images.png(900, 300))
    with Image.open(io.BytesIO(encoded.data)) as image:
        assert image.mode == "RGB" and image.size == (400, 400)


@pytest.mark.parametrize(
    ("data", "name", "content_type", "message"),
    [
        (images.SVG, "me.png", "image/png", photos.NOT_AN_IMAGE),
        (images.SVG, "me.svg", "image/svg+xml", photos.NOT_AN_IMAGE),
        (images.HTML, "me.jpg", "image/jpeg", photos.NOT_AN_IMAGE),
        (b"GIF89a" + images.HTML, "me.gif", "image/gif", photos.NOT_AN_IMAGE),
        (images.phone_jpeg()[:2000], "cut.jpg", "image/jpeg", photos.NOT_AN_IMAGE),
        (images.animated_png(), "moving.png", "image/png", photos.ANIMATED),
        (images.bomb_png(), "bomb.png", "image/png", photos.TOO_MANY_PIXELS),
        (images.png(60, 60), "tiny.png", "image/png", photos.TOO_SMALL),
    ],
    ids=["svg-named-png", "svg", "html-named-jpg", "gif-html-polyglot", "truncated", "animated", "bomb", "tiny"],
)
def test_it_refuses_what_is_not_a_usable_still_photo_and_keeps_the_rest_of_the_form(
    member, member_user, data, name, content_type, message
):
    form = {**APPLICATION, "areas": [Tag.objects.first().pk], "photo": upload(data, name, content_type)}
    response = member.post("/experts/apply/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(message) % {"side": photos.MIN_SIDE} in unescape(html)  # the messages are lazy, in the reader's language
    assert 'id="id_photo_error"' in html  # next to the field
    assert 'value="PT-77"' in html and "I see couples." in html  # the rest is kept
    assert not ExpertProfile.objects.filter(user=member_user).exists()
    assert not ExpertPhoto.objects.exists()


def test_it_refuses_an_upload_over_the_limit_by_its_size_before_reading_it():
    class Huge(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("an oversized upload must not be read")

    huge = Huge("big.jpg", b"", content_type="image/jpeg")
    huge.size = photos.MAX_UPLOAD_BYTES + 1
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        photos.encode_photo(huge)


def test_it_tells_the_uploader_a_photo_is_too_large(member, member_user):
    applicant_profile = ExpertProfile.objects.create(
        user=member_user, title="T", credentials="C", licence_number="N", licence_body="B", jurisdiction="J"
    )
    too_big = images.phone_jpeg() + b"\0" * (photos.MAX_UPLOAD_BYTES + 1)
    response = member.post("/experts/apply/photo/", {"photo": upload(too_big)})
    assert response.status_code == 400
    assert str(photos.TOO_LARGE) in unescape(response.content.decode())
    assert not ExpertPhoto.objects.filter(profile=applicant_profile).exists()


def test_it_refuses_a_body_over_the_request_limit_before_reading_it(member, settings):
    body = b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = member.generic(
        "POST", "/experts/apply/photo/", body, content_type="multipart/form-data; boundary=BoUnDaRy"
    )
    assert response.status_code == 400


# --- uploading, replacing, removing -----------------------------------------------------------


def test_an_applicant_uploads_replaces_and_removes_their_photo():
    user = applicant()
    client = log_in(Client(), user)
    assert client.post("/experts/apply/photo/", {"photo": upload(images.phone_jpeg())}).status_code == 302
    first = ExpertPhoto.objects.get(profile__user=user).sha256
    page = client.get("/experts/apply/").content.decode()
    assert f"/experts/photos/{first}.jpg" in page and "Remove photo" in page
    client.post("/experts/apply/photo/", {"photo": upload(images.png(), "new.png", "image/png")})
    assert ExpertPhoto.objects.filter(profile__user=user).count() == 1
    assert ExpertPhoto.objects.get(profile__user=user).sha256 != first
    assert client.post("/experts/apply/photo/remove/").status_code == 302
    assert not ExpertPhoto.objects.filter(profile__user=user).exists()


def test_a_member_who_never_applied_has_no_photo_to_upload(member):
    response = member.post("/experts/apply/photo/", {"photo": upload(images.phone_jpeg())}, follow=True)
    assert "Apply as an expert first" in response.content.decode()
    assert not ExpertPhoto.objects.exists()


def test_the_photo_urls_refuse_other_methods_and_visitors(visitor, member):
    assert member.get("/experts/apply/photo/").status_code == 405
    assert member.get("/experts/apply/photo/remove/").status_code == 405
    response = visitor.post("/experts/apply/photo/", {"photo": upload(images.phone_jpeg())})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_moderator_takes_an_inappropriate_photo_down_with_a_logged_reason(moderator, moderator_user, member):
    expert = make_expert(UserFactory(username="expert-eve"))
    give_photo(expert)
    assert "Moderators: remove this photo" in moderator.get("/users/expert-eve/").content.decode()
    assert "Moderators: remove this photo" not in member.get("/users/expert-eve/").content.decode()
    assert member.post("/users/expert-eve/photo/remove/", {"reason": "x"}).status_code == 403
    assert ExpertPhoto.objects.exists()
    moderator.post("/users/expert-eve/photo/remove/", {"reason": ""})
    assert ExpertPhoto.objects.exists()  # a reason is required
    response = moderator.post("/users/expert-eve/photo/remove/", {"reason": "Not a photo of a person"})
    assert response.status_code == 302
    assert not ExpertPhoto.objects.exists()
    entry = ModerationAction.objects.get(kind=ModerationAction.Kind.EXPERT_PHOTO_REMOVE)
    assert entry.target_user_id == expert.pk and entry.reason == "Not a photo of a person"
    assert entry.moderator_id == moderator_user.pk


# --- serving ----------------------------------------------------------------------------------


def test_it_serves_a_verified_experts_photo_by_its_hash_for_a_year(visitor):
    expert = make_expert(UserFactory(username="expert-eve"))
    photo = give_photo(expert)
    response = visitor.get(f"/experts/photos/{photo.sha256}.jpg")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == photo.sha256
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert visitor.head(f"/experts/photos/{photo.sha256}.jpg").status_code == 200
    assert visitor.post(f"/experts/photos/{photo.sha256}.jpg").status_code == 405


def test_it_answers_404_for_an_unknown_hash_and_for_a_name_that_is_not_one(visitor):
    assert visitor.get(f"/experts/photos/{'a' * 64}.jpg").status_code == 404
    assert visitor.get(f"/experts/photos/{'A' * 64}.jpg").status_code == 404
    assert visitor.get("/experts/photos/../../etc/passwd.jpg").status_code == 404


def test_an_applicants_photo_shows_only_to_them_and_to_moderators(visitor, member, moderator):
    user = applicant()
    photo = give_photo(user)
    url = f"/experts/photos/{photo.sha256}.jpg"
    assert visitor.get(url).status_code == 404  # the same as a hash that exists nowhere
    assert member.get(url).status_code == 404
    own = log_in(Client(), user).get(url)
    assert own.status_code == 200 and own["Cache-Control"] == "private, no-store"
    assert moderator.get(url).status_code == 200


def test_a_revoked_or_lapsed_experts_photo_is_no_longer_public(visitor):
    expert = make_expert(UserFactory(username="expert-eve"))
    photo = give_photo(expert)
    ExpertProfile.objects.filter(user=expert).update(status=ExpertProfile.Status.REVOKED)
    assert visitor.get(f"/experts/photos/{photo.sha256}.jpg").status_code == 404


def test_posts_take_no_uploads(member):
    assert member.post("/markdownx/upload/", {"image": upload(images.phone_jpeg())}).status_code == 404
    assert member.get("/markdownx/upload/").status_code == 404


def test_deleting_the_account_deletes_the_photo():
    expert = make_expert(UserFactory(username="expert-eve"))
    give_photo(expert)
    assert ("expert photos", 1) in account_deletion_summary(expert)
    account_delete(user=expert, by=None)
    assert not ExpertPhoto.objects.exists()


def test_a_takedown_reason_with_markup_is_escaped_in_the_log(moderator):
    expert = make_expert(UserFactory(username="expert-eve"))
    give_photo(expert)
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    moderator.post("/users/expert-eve/photo/remove/", {"reason": payload})
    page = moderator.get("/moderation/log/").content.decode()
    assert "Removed an expert&#x27;s photo" in page or "Removed an expert's photo" in page
    assert payload not in page and "<script>alert(2)" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
