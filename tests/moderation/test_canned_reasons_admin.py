"""Canned reasons are kept in the admin by moderators with the permission; each change is in
the admin's own history (LogEntry)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group

from forum.devtools.demo import CANNED_REASONS, _canned_reasons
from forum.moderation.models import CannedReason
from tests.factories import UserFactory, log_in

pytestmark = pytest.mark.django_db
FORM = {"label": "Personal details", "text": "It named a real person.", "use": "reject", "position": 0,
        "is_active": "on"}  # fmt: skip


def _staff(client, *, moderator: bool):
    from allauth.mfa.models import Authenticator

    user = UserFactory(is_staff=True)
    if moderator:
        user.groups.add(Group.objects.get(name="moderators"))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "unused"})
    return log_in(client, user), user


def test_a_staff_moderator_adds_and_retires_a_canned_reason_and_the_admin_logs_it(client):
    client, user = _staff(client, moderator=True)
    assert client.get("/admin/moderation/cannedreason/").status_code == 200
    response = client.post("/admin/moderation/cannedreason/add/", FORM)
    assert response.status_code == 302
    reason = CannedReason.objects.get()
    assert (reason.label, reason.use, reason.is_active) == ("Personal details", "reject", True)
    client.post(f"/admin/moderation/cannedreason/{reason.pk}/change/", {**FORM, "is_active": ""})
    reason.refresh_from_db()
    assert not reason.is_active
    assert LogEntry.objects.filter(user=user, object_id=str(reason.pk)).count() == 2


def test_staff_without_the_permission_cannot_edit_them(client):
    client, _ = _staff(client, moderator=False)
    assert client.get("/admin/moderation/cannedreason/").status_code == 403
    assert client.post("/admin/moderation/cannedreason/add/", FORM).status_code == 403
    assert not CannedReason.objects.exists()


def test_the_demo_has_a_handful_of_kind_concrete_reasons():
    _canned_reasons()
    _canned_reasons()  # idempotent
    assert CannedReason.objects.count() == len(CANNED_REASONS) >= 5
    assert {reason.use for reason in CannedReason.objects.all()} >= {"reject", "hide", "delete", "duplicate"}
