import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    # A typical member joined a while ago; tests about new accounts pass date_joined=timezone.now().
    date_joined = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def make_question(*, author=None, title="How do I talk to my partner about this?", body=None, tags=None,
                  status="published", anonymous=True, content_warnings=(), token=None, language="en"):  # fmt: skip
    """A question created through the real service, then moved to `status`."""
    from forum.core.tokens import new_form_token
    from forum.questions.models import Tag
    from forum.questions.services import question_create, question_set_status

    tags = tags if tags is not None else [Tag.objects.order_by("pk").first()]
    result = question_create(
        author=author,
        title=title,
        body=body or "Some details about the situation, long enough to pass validation.",
        tags=tags,
        content_warnings=content_warnings,
        show_anonymous=anonymous,
        form_token=token or new_form_token(),
        language=language,
    )
    question = result.question
    if question.status != status:
        question = question_set_status(question=question, status=status)
    question.key = result.key  # the private key, for tests that act as the key holder
    return question


def make_answer(*, question, author, body="A kind and careful answer with enough words in it."):
    from forum.questions.answer_services import answer_post

    return answer_post(question=question, author=author, body=body)


def make_expert(user=None, *, title="Clinical sexologist", mfa=True, until=None):
    """A verified expert with MFA on, through the real services."""
    import datetime

    from allauth.mfa.models import Authenticator
    from django.utils import timezone

    from accounts.models import ExpertProfile
    from forum.questions.models import Tag

    user = user or UserFactory()
    profile = ExpertProfile.objects.create(
        user=user, title=title, credentials="MSc Clinical Sexology", licence_number="SX-1234",
        licence_body="Board of Sexology", jurisdiction="Netherlands", status=ExpertProfile.Status.VERIFIED,
        verified_until=until or timezone.localdate() + datetime.timedelta(days=365),
    )  # fmt: skip
    profile.areas.set(Tag.objects.all()[:2])
    if mfa:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "unused"})
    return user


def log_in(client, user, *, mfa: bool | None = None):
    """client.force_login(user), then what allauth writes into the session at a real sign-in:
    the password step and, for a member with a TOTP authenticator, the authenticator-code step
    ("mfa"), through allauth's own `record_authentication`. `mfa=False` leaves the code step out
    (a session that never passed MFA); the default is "if the member owns an authenticator"."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.test import RequestFactory

    client.force_login(user)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if mfa is None:
        mfa = authenticator is not None
    request = RequestFactory().get("/")
    request.session, request.user = client.session, user
    record_authentication(request, user, "password", email=user.email)
    if mfa:
        assert authenticator is not None, f"{user} has no authenticator to pass MFA with"
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return client


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, known to the tests only


def totp_code_now(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now (allauth accepts only the current period): near
    the end of one, wait for the next, so that it cannot expire between computing and sending."""
    import time

    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
