from django import forms
from markdownx.fields import MarkdownxFormField

from .models import ANSWER_MAX, ANSWER_MIN


class AnswerForm(forms.Form):
    body = MarkdownxFormField(
        label="Your answer",
        min_length=ANSWER_MIN,
        max_length=ANSWER_MAX,
        help_text="Be kind and specific. Don't diagnose; suggest seeing a professional when it matters.",
        error_messages={
            "required": "Please write your answer.",
            "min_length": f"Please write at least {ANSWER_MIN} characters.",
            "max_length": f"Please keep your answer under {ANSWER_MAX:,} characters.",
        },
    )


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "up"), ("-1", "down"), ("0", "withdraw")], coerce=int)
