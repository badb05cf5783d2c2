from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from forum.core.privacy import source_hash
from forum.questions.access import forget_held_questions

from .models import RESERVED_NAMES


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, "username_taken": "That display name is taken."}

    def clean_username(self, username, shallow=False):
        if username.lower() in RESERVED_NAMES:
            raise forms.ValidationError("That display name is reserved. Please choose another.")
        return super().clean_username(username, shallow=shallow)

    def login(self, request, user):
        forget_held_questions(request)
        super().login(request, user)

    def get_client_ip(self, request):
        # allauth keys its rate limits (and cache entries) by this value: give it the keyed,
        # daily-rotating hash so no address is ever written to the cache.
        return source_hash(request)
