from django import forms
from django.core.validators import URLValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import ExpertProfile
from forum.questions.models import Tag

from . import photos

BIO_MAX = 600
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"
PHOTO_HELP_REQUIRED = _(
    "A clear photo of your face, JPEG, PNG or WebP, up to 5 MB. We crop it to a square and"
    " save a fresh copy without any hidden data (such as where it was taken). Shown on your profile"
    " and beside your answers while you are verified."
)
PHOTO_HELP = format_lazy("{optional} {help}", optional=_("Optional."), help=PHOTO_HELP_REQUIRED)


class PhotoField(forms.FileField):
    """An upload that comes out of `clean` as photos.Encoded: checked and re-encoded, or refused."""

    widget = forms.FileInput(
        attrs={"accept": PHOTO_ACCEPT, "data-max-bytes": photos.MAX_UPLOAD_BYTES, "data-too-large": photos.TOO_LARGE}
    )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return photos.encode_photo(upload) if upload else None


class ExpertPhotoForm(forms.Form):
    photo = PhotoField(
        label=_("Choose a photo"),
        help_text=PHOTO_HELP_REQUIRED,
        error_messages={"required": _("Choose a photo to upload.")},
    )


class PhotoTakedownForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the moderation log)"),
        max_length=500,
        error_messages={"required": _("Please give a reason: the log keeps it.")},
    )


class ExpertApplicationForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Public website"),
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A page where your registration can be checked."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas of practice"),
        queryset=Tag.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one area of practice.")},
    )

    photo = PhotoField(label=_("Your photo"), required=False, help_text=PHOTO_HELP)

    class Meta:
        model = ExpertProfile
        fields = ["title", "credentials", "licence_number", "licence_body", "jurisdiction", "website", "bio", "areas"]
        widgets = {
            "credentials": forms.Textarea(attrs={"rows": 4}),
            "bio": forms.Textarea(attrs={"rows": 4, "maxlength": BIO_MAX}),
        }
        error_messages = {
            "title": {"required": _("Please give your professional title.")},
            "credentials": {"required": _("Please list your credentials and qualifications.")},
            "licence_number": {"required": _("Please give your registration or licence number.")},
            "licence_body": {"required": _("Please name the body that issued it.")},
            "jurisdiction": {"required": _("Please say where you are registered.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bio"].help_text = gettext(
            "A few sentences about how you work, up to %(max)s characters. Shown on the experts page and your profile."
        ) % {"max": BIO_MAX}

    def clean_bio(self):
        bio = self.cleaned_data.get("bio", "")
        if len(bio) > BIO_MAX:
            raise forms.ValidationError(
                gettext("Keep your bio to %(max)s characters (it has %(count)s).") % {"max": BIO_MAX, "count": len(bio)}
            )
        return bio
