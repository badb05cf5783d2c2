"""The matrix's rows for experts' photos (forum/people/photo_views.py): the served image, uploading
and removing one's own, and a moderator's takedown. See tests.security.authz.world for the cells."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.people import images
from tests.security.authz.world import MODERATORS, Row, desk, everyone, none, signed_in


def photo(attr):
    return lambda w: {"sha256": getattr(w, attr).sha256}


def a_photo(w):
    return {"photo": SimpleUploadedFile("me.jpg", images.phone_jpeg(400, 300), content_type="image/jpeg")}


def expert_name(w):
    return {"username": w.expert.username}


def reason(w):
    return {"reason": "Not a photo of a person"}


PEOPLE_ROWS = [
    # A verified expert's photo is public; an applicant's is a 404 like any unknown hash, except to
    # the applicant and to moderators whose session passed MFA.
    Row("people:expert_photo", photo("expert_photo"), "GET", everyone(200), note="verified expert"),
    Row(
        "people:expert_photo",
        photo("applicant_photo"),
        "GET",
        everyone(404, **dict.fromkeys(MODERATORS, 200)),
        note="applicant",
    ),
    Row("people:expert_photo", lambda w: {"sha256": "0" * 64}, "GET", everyone(404), note="unknown"),
    Row("people:expert_photo", photo("expert_photo"), "POST", everyone(405)),
    # Your own photo: a member who never applied is told to apply first; a suspended one can't.
    Row("people:expert_photo_upload", none, "POST", signed_in(302, suspended=400), data=a_photo),
    Row("people:expert_photo_upload", none, "GET", signed_in(405)),
    Row("people:expert_photo_remove", none, "POST", signed_in(302)),
    Row("people:expert_photo_remove", none, "GET", signed_in(405)),
    # A moderator's takedown, with a reason, logged.
    Row("people:expert_photo_takedown", expert_name, "POST", desk(302), data=reason),
    Row("people:expert_photo_takedown", expert_name, "GET", everyone(405)),
]
