from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from markdownx.fields import MarkdownxFormField

from forum.core import text
from forum.core.i18n import grouped, lazy_format

from .models import ANSWER_MAX, ANSWER_MIN, COMMENT_MAX, COMMENT_MIN


class AnswerForm(forms.Form):
    body = MarkdownxFormField(
        label=_("Your answer"),
        # The minimum is counted in clean_body, in graphemes (fewer for Chinese or Japanese).
        max_length=ANSWER_MAX,
        help_text=_("Be kind and specific. Don't diagnose; suggest seeing a professional when it matters."),
        error_messages={
            "required": _("Please write your answer."),
            "max_length": lazy_format(
                _("Please keep your answer under %(limit)s characters."), limit=grouped(ANSWER_MAX)
            ),
        },
    )

    def clean_body(self):
        body = text.clean_body(self.cleaned_data["body"])
        if not text.long_enough(body.strip(), ANSWER_MIN):
            minimum = text.minimum_length(body, ANSWER_MIN)
            message = ngettext(
                "Please write at least %(minimum)s character.", "Please write at least %(minimum)s characters.", minimum
            )
            raise forms.ValidationError(message % {"minimum": minimum})
        return body


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", _("up")), ("-1", _("down")), ("0", _("withdraw"))], coerce=int)


class CommentForm(forms.Form):
    """A clarification: one short piece of inline markdown (emphasis, code, links)."""

    body = forms.CharField(
        label=_("Ask for a clarification"),
        min_length=COMMENT_MIN,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": COMMENT_MAX}),
        help_text=lazy_format(
            _("Up to %(max)s characters. *Emphasis*, `code` and links work; nothing else."), max=COMMENT_MAX
        ),
        error_messages={
            "required": _("Please write your clarification."),
            "min_length": lazy_format(
                ngettext_lazy(
                    "Please write at least %(minimum)s character.",
                    "Please write at least %(minimum)s characters.",
                    COMMENT_MIN,
                ),
                minimum=COMMENT_MIN,
            ),
            "max_length": lazy_format(_("Please keep a clarification under %(limit)s characters."), limit=COMMENT_MAX),
        },
    )
