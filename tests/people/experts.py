"""Experts for the photo tests: an applicant, and a photo given through the real encoder."""

from accounts.models import ExpertPhoto, ExpertProfile
from forum.people import photos
from forum.questions.models import Tag
from tests.factories import UserFactory
from tests.people import images


def give_photo(user, data: bytes | None = None) -> ExpertPhoto:
    profile = ExpertProfile.objects.get(user=user)
    return photos.expert_photo_store(profile=profile, encoded=photos.encode_bytes(data or images.phone_jpeg()))


def applicant(username="applicant-ann"):
    user = UserFactory(username=username)
    profile = ExpertProfile.objects.create(
        user=user, title="Sex therapist", credentials="MA", licence_number="T-1", licence_body="Board",
        jurisdiction="Belgium",
    )  # fmt: skip
    profile.areas.set([Tag.objects.first()])
    return user
