from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from .models import RESERVED_NAMES


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, "username_taken": "That display name is taken."}

    def clean_username(self, username, shallow=False):
        if username.lower() in RESERVED_NAMES:
            raise forms.ValidationError("That display name is reserved. Please choose another.")
        return super().clean_username(username, shallow=shallow)
