from allauth.account.forms import SignupForm as AllauthSignupForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupForm(AllauthSignupForm):
    """allauth's signup, with the display name explained: it is public and need not be a real name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = User._meta.get_field("username")
        self.fields["username"].label = _("Display name")
        self.fields["username"].help_text = field.help_text
        self.fields["username"].widget.attrs.pop("placeholder", None)
