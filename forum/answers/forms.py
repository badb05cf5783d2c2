from django import forms
from markdownx.fields import MarkdownxFormField

from forum.core import text

from .models import ANSWER_MAX, ANSWER_MIN, COMMENT_MAX, COMMENT_MIN


class AnswerForm(forms.Form):
    body = MarkdownxFormField(
        label="Your answer",
        # The minimum is counted in clean_body, in graphemes (fewer for Chinese or Japanese).
        max_length=ANSWER_MAX,
        help_text="Be kind and specific. Don't diagnose; suggest seeing a professional when it matters.",
        error_messages={
            "required": "Please write your answer.",
            "max_length": f"Please keep your answer under {ANSWER_MAX:,} characters.",
        },
    )

    def clean_body(self):
        body = text.clean_body(self.cleaned_data["body"])
        if not text.long_enough(body.strip(), ANSWER_MIN):
            minimum = text.minimum_length(body, ANSWER_MIN)
            raise forms.ValidationError(f"Please write at least {minimum} characters.")
        return body


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "up"), ("-1", "down"), ("0", "withdraw")], coerce=int)


class CommentForm(forms.Form):
    """A clarification: one short piece of inline markdown (emphasis, code, links)."""

    body = forms.CharField(
        label="Ask for a clarification",
        min_length=COMMENT_MIN,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": COMMENT_MAX}),
        help_text=f"Up to {COMMENT_MAX} characters. *Emphasis*, `code` and links work; nothing else.",
        error_messages={
            "required": "Please write your clarification.",
            "min_length": f"Please write at least {COMMENT_MIN} characters.",
            "max_length": f"Please keep a clarification under {COMMENT_MAX} characters.",
        },
    )
