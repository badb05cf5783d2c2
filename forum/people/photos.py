"""Experts' photos: an upload becomes a small square JPEG that Pillow wrote itself, stored in PostgreSQL.

What arrives is never kept, nor served. It is refused unless it is a JPEG, PNG or WebP that Pillow
decodes (so no SVG, HTML or script, whatever the file is called), of one frame, no larger than
MAX_UPLOAD_BYTES (checked on the upload's size before a byte is read) and MAX_SOURCE_PIXELS
(checked from the header, before the pixels are decoded: a decompression bomb never expands).
The decoded pixels, turned upright by their EXIF orientation and cropped to a centred square, are
drawn onto a new image and written as a JPEG of SIZE × SIZE: no EXIF (so no GPS position), no
colour profile, no comment, nothing after the image — only pixels.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.models import ExpertPhoto, ExpertProfile
from forum.core import effects
from forum.core.pagecache import EVERYTHING
from forum.moderation import policy
from forum.moderation.models import ModerationAction

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SOURCE_PIXELS = 50_000_000  # a 48-megapixel phone photo is 8000 × 6000; more than that is refused
MIN_SIDE = 100
SIZE = 400
QUALITY = 80
FORMATS = ("JPEG", "PNG", "WEBP")

# Lazy: shown in the reader's language (TOO_SMALL's %(side)s is filled in by _refuse).
NOT_AN_IMAGE = _("Choose a photo in JPEG, PNG or WebP format.")
TOO_LARGE = _("That file is larger than 5 MB. Choose a smaller photo.")
TOO_MANY_PIXELS = _("That image is too large to process (over 50 megapixels). Choose a smaller photo.")
TOO_SMALL = _("That image is too small: at least %(side)s × %(side)s pixels, please.")
ANIMATED = _("Animated images can't be used. Choose a still photo.")


@dataclass(frozen=True)
class Encoded:
    data: bytes
    sha256: str
    width: int
    height: int
    content_type: str = "image/jpeg"


def _refuse(message) -> ValidationError:
    return ValidationError(message, code="photo", params={"side": MIN_SIDE})


def encode_photo(upload: UploadedFile) -> Encoded:
    """Check an upload and write a new JPEG from its pixels; a ValidationError saying why if refused."""
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise _refuse(TOO_LARGE)
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:  # a size that lied
        raise _refuse(TOO_LARGE)
    return encode_bytes(data)


def encode_bytes(data: bytes) -> Encoded:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as source:
                width, height = source.size  # from the header: nothing is decoded yet
                if width * height > MAX_SOURCE_PIXELS:
                    raise _refuse(TOO_MANY_PIXELS)
                if min(width, height) < MIN_SIDE:
                    raise _refuse(TOO_SMALL)
                if getattr(source, "is_animated", False) or getattr(source, "n_frames", 1) > 1:
                    raise _refuse(ANIMATED)
                if source.format == "JPEG":  # libjpeg decodes straight to 1/2, 1/4 or 1/8 scale: less memory
                    source.draft("RGB", (SIZE * 2, SIZE * 2))
                source.load()
                upright = ImageOps.exif_transpose(source)
                square = ImageOps.fit(_flat_rgb(upright), (SIZE, SIZE), Image.Resampling.LANCZOS)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        if isinstance(error, UnidentifiedImageError):
            raise _refuse(NOT_AN_IMAGE) from None
        raise _refuse(TOO_MANY_PIXELS) from None
    except (OSError, ValueError, SyntaxError, EOFError):  # truncated or damaged image data
        raise _refuse(NOT_AN_IMAGE) from None
    # A new image holding only the pixels: no info dict (EXIF, ICC, comments) can ride along.
    clean = Image.new("RGB", square.size)
    clean.paste(square)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=QUALITY, optimize=True, progressive=True)
    encoded = out.getvalue()
    return Encoded(data=encoded, sha256=hashlib.sha256(encoded).hexdigest(), width=SIZE, height=SIZE)


def _flat_rgb(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency laid on white (a JPEG has no alpha)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


# --- writes -----------------------------------------------------------------------------------


def _owned_profile(user) -> ExpertProfile:
    profile = ExpertProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise PermissionDenied(gettext("Apply as an expert first; your photo goes with your application."))
    return profile


@transaction.atomic
def expert_photo_set(*, user, photo: Encoded) -> ExpertPhoto:
    """The expert's (or applicant's) photo (encoded by the form, before any row is locked), replacing any before it.
    A suspended member can't change what the site shows of them."""
    policy.check_member_can_post(user)
    return expert_photo_store(profile=_owned_profile(user), encoded=photo)


def expert_photo_store(*, profile: ExpertProfile, encoded: Encoded) -> ExpertPhoto:
    """Within the caller's transaction, with `profile` locked."""
    photo = ExpertPhoto.objects.filter(profile=profile).defer("image").first() or ExpertPhoto(profile=profile)
    photo.image = encoded.data
    photo.content_type = encoded.content_type
    photo.sha256 = encoded.sha256
    photo.width, photo.height = encoded.width, encoded.height
    photo.full_clean(exclude=["profile"])
    photo.save()
    effects.pages_changed(EVERYTHING)  # the photo shows beside their answers on every thread
    return photo


@transaction.atomic
def expert_photo_remove(*, user) -> bool:
    """The owner takes their photo down. False when there was none."""
    profile = _owned_profile(user)
    deleted, _ = ExpertPhoto.objects.filter(profile=profile).delete()
    if deleted:
        effects.pages_changed(EVERYTHING)
    return bool(deleted)


@transaction.atomic
def expert_photo_takedown(*, moderator, profile: ExpertProfile, reason: str) -> None:
    """A moderator removes an inappropriate photo: one line in the log, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Please give a reason: the log keeps it.")})
    profile = ExpertProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    deleted, _ = ExpertPhoto.objects.filter(profile=profile).delete()
    if not deleted:
        raise ValidationError(gettext("This expert has no photo."))
    effects.audit(moderator, ModerationAction.Kind.EXPERT_PHOTO_REMOVE, target_user=profile.user, reason=reason)
    effects.pages_changed(EVERYTHING)


# --- reads ------------------------------------------------------------------------------------


def photo_to_serve(sha256: str, *, user, moderator: bool) -> ExpertPhoto | None:
    """The photo with this hash that this reader may see, with `public` set (any visitor may), or None.
    A verified expert's photo is public; an applicant's (or a lapsed or revoked expert's) only to
    them and to moderators — to anyone else the address is as unknown as a made-up one."""
    candidates = ExpertPhoto.objects.filter(sha256=sha256).select_related("profile")
    for photo in candidates:
        profile = photo.profile
        public = profile.is_current
        if public or moderator or (user.is_authenticated and profile.user_id == user.pk):
            photo.public = public  # type: ignore[attr-defined]
            return photo
    return None
