import re
from typing import Any

from django import forms
from django.utils.translation import get_language, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from markdownx.fields import MarkdownxFormField

from forum.core import languages, text
from forum.core.i18n import grouped, lazy_format
from forum.core.tokens import new_form_token

from .models import BODY_MAX, MAX_TAGS, TITLE_MAX, TITLE_MIN, ContentWarning, NotificationPreference, Tag

FORM_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
BODY_MIN = 30


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Your question"),
        # The minimum is counted in clean_title, in graphemes (fewer for Chinese or Japanese).
        max_length=TITLE_MAX,
        help_text=_("One sentence, as you would ask a friend. Don't include names or anything that identifies you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": TITLE_MAX}),
        error_messages={
            "required": _("Please write your question."),
            "max_length": lazy_format(
                _("Please keep the question under %(limit)s characters; put details below."), limit=TITLE_MAX
            ),
        },
    )
    body = MarkdownxFormField(
        label=_("Details"),
        max_length=BODY_MAX,
        help_text=_("What happened, what you have tried, what worries you. Markdown works: **bold**, *italic*, lists."),
        error_messages={
            "required": _("Please add some details so people can help."),
            "max_length": lazy_format(
                _("Please keep the details under %(limit)s characters."), limit=grouped(BODY_MAX)
            ),
        },
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Tag.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=lazy_format(_("Choose 1 to %(max)s."), max=MAX_TAGS),
        error_messages={
            "required": _("Please choose at least one topic."),
            "invalid_choice": _("Please choose topics from the list."),
            "invalid_pk_value": _("Please choose topics from the list."),
        },
    )
    content_warnings = forms.MultipleChoiceField(
        label=_("Content warnings"),
        choices=ContentWarning.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Readers will see these first and choose whether to open your question."),
    )
    language = forms.ChoiceField(
        label=languages.LANGUAGE_LABEL,
        choices=languages.POST_LANGUAGES,
        required=False,  # left out (an older page): the asker's interface language
        help_text=_("The language of your question: search reads it in this language."),
        error_messages={"invalid_choice": _("Please choose a language from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The asker's interface language, unless they chose (or the question has) another.
        self.fields["language"].initial = languages.post_language(get_language())

    def clean_language(self):
        return self.cleaned_data["language"] or languages.post_language(get_language())

    def clean_title(self):
        title = text.clean_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(_("Please write your question."))
        if not text.long_enough(title, TITLE_MIN):
            minimum = text.minimum_length(title, TITLE_MIN)
            message = ngettext(
                "Please write a little more — at least %(minimum)s character.",
                "Please write a little more — at least %(minimum)s characters.",
                minimum,
            )
            raise forms.ValidationError(message % {"minimum": minimum})
        if not text.looks_like_question(title):
            raise forms.ValidationError(_("Please write your question as a sentence."))
        return title

    def clean_body(self):
        body = text.clean_body(self.cleaned_data["body"])
        if not text.long_enough(body.strip(), BODY_MIN):
            minimum = text.minimum_length(body, BODY_MIN)
            message = ngettext(
                "Please add a few more details — at least %(minimum)s character.",
                "Please add a few more details — at least %(minimum)s characters.",
                minimum,
            )
            raise forms.ValidationError(message % {"minimum": minimum})
        return body

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            message = ngettext(
                "Please choose at most %(max)s topic.", "Please choose at most %(max)s topics.", MAX_TAGS
            )
            raise forms.ValidationError(message % {"max": MAX_TAGS})
        return tags


ASKER_EMAIL_MAX = 254
# What the asker's email fields (the address for answers, the private link's) say when refused.
EMAIL_ERRORS: dict[str, Any] = {
    "required": _("Please enter an email address."),
    "invalid": _("Please enter a valid email address."),
    "max_length": lazy_format(
        ngettext_lazy(
            "An email address has at most %(limit)s character.",
            "An email address has at most %(limit)s characters.",
            ASKER_EMAIL_MAX,
        ),
        limit=ASKER_EMAIL_MAX,
    ),
}


def asker_email_field(*, required: bool) -> forms.EmailField:
    """An accountless asker's address for emails about one question (forum.questions.asker_mail)."""
    return forms.EmailField(
        label=_("Email me when someone answers") if required else _("Email me when someone answers (optional)"),
        required=required,
        max_length=ASKER_EMAIL_MAX,
        help_text=_(
            "Used only to tell you about answers and clarifications to this question. Stored encrypted, "
            "never shown to anyone (not even here), and erased when you stop the emails, delete the question, or "
            "after 30 days without activity on it."
        ),
        # Off: a shared device's browser should not offer the address to the next person.
        widget=forms.EmailInput(attrs={"autocomplete": "off", "maxlength": ASKER_EMAIL_MAX}),
        error_messages=EMAIL_ERRORS,
    )


class AskForm(QuestionForm):
    show_anonymous = forms.BooleanField(
        label=_("Show me as “Anonymous”"),
        required=False,
        initial=True,
        help_text=_(
            "Your display name will not appear anywhere. Moderators can link it to your account only "
            "if they must act on abuse, and every such look is logged."
        ),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)
    asker_email = asker_email_field(required=False)

    def __init__(self, *args, member: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if member:
            del self.fields["asker_email"]  # members have their notifications
        else:
            del self.fields["show_anonymous"]

    def clean_form_token(self):
        token = self.cleaned_data["form_token"]
        if not FORM_TOKEN_RE.match(token):
            raise forms.ValidationError(_("This form has expired. Please copy your text and reload the page."))
        return token


def ask_form_from_draft(data, *, member: bool) -> AskForm:
    """An unbound ask form holding the draft as typed, with its form token kept.

    For "Check for similar questions" without JavaScript: nothing is validated or created, no
    errors are shown, and the later real submit carries the same token, so it still dedupes.
    """
    initial = {
        "title": data.get("title", ""),
        "body": data.get("body", ""),
        "tags": data.getlist("tags"),
        "content_warnings": data.getlist("content_warnings"),
        "form_token": data.get("form_token") or new_form_token(),
    }
    if data.get("language") in languages.LANGUAGE_CODES:
        initial["language"] = data["language"]
    if member:
        initial["show_anonymous"] = bool(data.get("show_anonymous"))
    else:
        initial["asker_email"] = data.get("asker_email", "")
    return AskForm(member=member, initial=initial)


class NotificationSettingsForm(forms.ModelForm):
    """A member's notification choices; the experts' question alerts only for verified experts."""

    class Meta:
        model = NotificationPreference
        fields = [
            *("my_questions_site", "my_questions_email", "followed_site", "followed_email"),
            *("accepted_site", "accepted_email", "decisions_email", "expert_questions"),
        ]
        labels = {
            "my_questions_site": _("In the site"),
            "my_questions_email": _("By email"),
            "followed_site": _("In the site"),
            "followed_email": _("By email"),
            "accepted_site": _("In the site"),
            "accepted_email": _("By email"),
            "decisions_email": _("By email (they always show in the site)"),
            "expert_questions": _("New questions in your areas of practice"),
        }
        widgets = {"expert_questions": forms.RadioSelect}

    def __init__(self, *args, expert: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not expert:
            del self.fields["expert_questions"]


class AskerEmailForm(forms.Form):
    """Leave or replace the address on the asker's private page; the key proves who asks."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    asker_email = asker_email_field(required=True)


class KeyLinkEmailForm(forms.Form):
    """Email the private link to oneself, once (forum.questions.key_link_mail); the key proves who asks."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    link_email = forms.EmailField(
        label=_("Your email address"),
        max_length=ASKER_EMAIL_MAX,
        help_text=_("We send one email with the link and keep no copy of the address. It can be sent once."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "maxlength": ASKER_EMAIL_MAX}),
        error_messages=EMAIL_ERRORS,
    )
