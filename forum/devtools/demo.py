"""Demo content for `make run`, written in our own words. Idempotent: run it as often as you like."""

import io
import time
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from PIL import Image, ImageDraw

from accounts.models import ExpertProfile, User
from forum.answers.models import Comment
from forum.desk.comment_services import comment_approve
from forum.moderation.models import CannedReason
from forum.people.photos import Encoded, encode_bytes
from forum.people.services import expert_apply, expert_verify
from forum.questions.answer_services import answer_accept, answer_post, vote_cast
from forum.questions.comment_services import comment_post
from forum.questions.models import Question, Tag
from forum.questions.services import question_create, question_publish

DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - development only; seed_demo refuses DEBUG off

DEMO_USERS = [
    # (display name, email, role)
    ("sam", "sam@demo.invalid", "member"),
    ("riley", "riley@demo.invalid", "member"),
    ("noor", "noor@demo.invalid", "member"),
    ("mod-jordan", "jordan@demo.invalid", "moderator"),
    ("dr-amara", "amara@demo.invalid", "expert"),
    ("lee-therapist", "lee@demo.invalid", "expert"),
]

THREADS: list[dict[str, Any]] = [
    {
        "token": "demo-thread-cry-after-sx",
        "asker": None,  # a visitor, no account
        "title": "She cried after sex — did I do something wrong?",
        "tags": ["emotions-and-intimacy", "relationships"],
        "body": (
            "My girlfriend and I have been together for about eight months. Last night, right after we had sex, "
            "she started crying. She said she was fine and that it wasn't anything I did, but she couldn't "
            "really explain it. Everything seemed good to me and she'd been clearly into it.\n\n"
            "I keep going over it in my head. Did I hurt her without noticing? Should I bring it up again "
            "or leave it alone? I don't want to make her feel worse."
        ),
        "expert_answers": [
            (
                "dr-amara",
                "Crying after sex is far more common than most people realise, and on its own it is not a sign that "
                "you hurt her or that something is wrong between you.\n\n"
                "**Why it happens.** Sex, and orgasm especially, is a big release of tension — physical and "
                "emotional. Around orgasm the brain releases a surge of hormones, oxytocin among them, which is "
                "tied to bonding and can make feelings unusually close to the surface. For some people tears are "
                "simply part of letting go, the way some people laugh. Often the tears say *I feel safe enough with "
                "you to let this out* — trust, not distress.\n\n"
                "**Sometimes it is about the past.** Closeness can stir up older hurt: earlier relationships, "
                "shame learned growing up, grief, or a past experience that was not safe. The tears then belong to "
                "that old wound, not to you — but it may be something she needs room, and perhaps support, to work "
                "through.\n\n"
                "**What you can do.**\n\n"
                "1. In the moment: stay close, hold her if she wants that, and let the tears be. No questions needed.\n"
                "2. Later, somewhere calm and not in bed, let her know you noticed, you're not upset, and she can "
                "tell you anything — or nothing — whenever she's ready.\n"
                "3. Share what the moment was like for you too. It keeps the conversation mutual rather than an "
                "interview.\n"
                "4. If it happens often, feels painful for her, or connects to something difficult, a sex therapist "
                "or counsellor can help — on her own or as a couple.",
            ),
        ],
        "answers": [
            (
                "riley",
                "This happened to me (I was the one crying) and honestly it was nothing my partner did. "
                "Sometimes it just all spills out after feeling really close to someone. What helped most was my "
                "partner holding me and not demanding an explanation right away.\n\n"
                "A day or two later, in a calm moment that isn't in bed, you could say something like: *I noticed "
                "you were emotional the other night — I'm not worried I did something wrong, I just want you to "
                "know you can tell me anything.* That takes the pressure off her to have an answer.",
            ),
            (
                "noor",
                "It's more common than people think. Being close can bring up all sorts of feelings — relief, "
                "tenderness, sometimes old stuff that has nothing to do with you. The fact that you're asking "
                "how to support her rather than how to make it stop says a lot. Keep checking in, gently.",
            ),
        ],
        "accept": 0,
        # (who — a member, or "asker" for the visitor who asked —, under which answer or None, text)
        "clarifications": [
            (
                "lee-therapist",
                None,
                "When you say she couldn't explain it, did she seem sad, or more relieved, or somewhere in between?",
            ),
            ("asker", None, "More relieved, I think. She said it felt like *letting go*, not like being upset."),
        ],
    },
    {
        "token": "demo-thread-desire-mismt",
        "asker": "sam",
        "anonymous": True,
        "title": "How do couples deal with one partner wanting sex much more often?",
        "tags": ["desire-and-libido", "relationships"],
        "body": (
            "We've been married six years. I'd happily have sex three or four times a week; my partner would be "
            "content with a couple of times a month. Neither of us is wrong, but it's become a source of quiet "
            "resentment on my side and guilt on theirs. How do other couples find a way through this without "
            "one person just giving in?"
        ),
        "clarifications": [
            (
                "noor",
                0,
                "Did you set the weekly time together at the start, or did it take a few tries to find what worked?",
            ),
        ],
        "answers": [
            (
                "riley",
                "What changed things for us was separating *intimacy* from *intercourse*. We agreed on regular "
                "time for touch that doesn't have to lead anywhere, and the pressure dropped on both sides. "
                "Paradoxically, that's when desire came back more often.",
            ),
        ],
    },
    {
        "token": "demo-thread-first-time-p",
        "asker": "noor",
        "anonymous": False,
        "title": "Is it normal for the first time to hurt, and when should I see a doctor?",
        "tags": ["bodies-and-health", "pain-and-difficulties"],
        "body": (
            "I'm 22 and I've tried having sex with my boyfriend a few times, but it hurts a lot every time, "
            "even when I really want to. Everyone says it only hurts the first time. Is something wrong with me?"
        ),
        "answers": [
            (
                "sam",
                "Nothing is wrong with *you* — pain that keeps happening is common and it's treatable. Please "
                "don't push through it. A GP or a gynaecologist is the right first step; you can ask for a doctor "
                "who is experienced with painful sex. Going slower, lots of lubricant and more time to get aroused "
                "help many people too.",
            ),
        ],
    },
    {
        "token": "demo-thread-sti-telling",
        "asker": None,
        "title": "How do I tell a new partner I have herpes before we sleep together?",
        "tags": ["stis-and-testing", "relationships"],
        "body": (
            "I was diagnosed a year ago and I'm on suppressive medication. I've started seeing someone I really "
            "like and things are heading that way. I'm terrified that telling them will end it, but I know I have "
            "to. How do people actually have this conversation?"
        ),
        "answers": [],
    },
    {
        "token": "demo-thread-consent-askk",
        "asker": "riley",
        "anonymous": True,
        "title": "How do you ask for consent without killing the mood?",
        "tags": ["consent", "sex-and-pleasure"],
        "body": (
            "I want to make sure my partner is into everything we do, but stopping to ask feels awkward and "
            "clinical. How do people check in during sex in a way that feels natural?"
        ),
        "answers": [
            (
                "noor",
                'Honestly, asking *is* sexy when it\'s part of the flirting: "Do you like this?", "Want me to keep '
                'going?", "What would feel good right now?" Listen to the answer and to their body. And agree '
                "beforehand that either of you can say stop at any point, no questions asked.",
            ),
        ],
    },
]


# A fixed TOTP secret for the demo moderator and experts, so you can add it to an authenticator app,
# or ask `manage.py demo_code` for the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - development only


def demo_code(now: float | None = None) -> tuple[str, int]:
    """The code an authenticator app with DEMO_TOTP_SECRET shows now, and the seconds it stays valid."""
    now = time.time() if now is None else now
    period = mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // period)), period - int(now) % period


def _user(username: str, email: str, *, role: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role == "moderator" and created:
        user.groups.add(Group.objects.get(name="moderators"))
        user.user_permissions.add(Permission.objects.get(codename="reveal_author"))
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def _thread(spec: dict, users: dict[str, User]) -> tuple[Question, str | None]:
    token = spec["token"]
    result = question_create(
        author=users.get(spec["asker"]) if spec["asker"] else None,
        title=spec["title"],
        body=spec["body"],
        tags=Tag.objects.filter(slug__in=spec["tags"]),
        show_anonymous=spec.get("anonymous", True),
        form_token=token,
    )
    question = result.question
    if result.duplicate:
        return question, result.key
    if question.status == Question.Status.PENDING:
        question = question_publish(question=question)
    expert_answers = [
        answer_post(question=question, author=users[name], body=body) for name, body in spec.get("expert_answers", [])
    ]
    answers = [answer_post(question=question, author=users[name], body=body) for name, body in spec["answers"]]
    voters = [u for u in users.values() if u != question.author]
    for answer in answers:
        for voter in voters[:3]:
            if voter != answer.author:
                vote_cast(user=voter, value=1, answer=answer)
    for answer in expert_answers:
        for voter in voters[:4]:
            if voter != answer.author:
                vote_cast(user=voter, value=1, answer=answer)
    if "accept" in spec and (expert_answers or answers):
        answer_accept(question=question, answer=(expert_answers or answers)[spec["accept"]])
    _clarify(question, spec.get("clarifications", []), [*expert_answers, *answers], users)
    return question, result.key


def _clarify(question: Question, specs: list, answers: list, users: dict[str, User]) -> None:
    """Clarifications through the services; the visitor's wait for review, so the demo moderator approves them."""
    for who, answer_index, body in specs:
        answer = answers[answer_index] if answer_index is not None else None
        if who == "asker":
            comment = comment_post(question=question, answer=answer, author=None, by_asker=True, body=body)
            if comment.status == Comment.Status.PENDING:
                comment_approve(moderator=users["mod-jordan"], comment=comment, reason="Demo data")
        else:
            comment_post(question=question, answer=answer, author=users[who], by_asker=False, body=body)


EXPERTS = {
    "dr-amara": (
        "Physician and sexual health specialist",
        "MD; diploma in sexual and reproductive health",
        "GMC-7001234",
        "General Medical Council",
        "United Kingdom",
        ["bodies-and-health", "stis-and-testing", "contraception"],
    ),
    "lee-therapist": (
        "Couples and sex therapist",
        "MA Psychotherapy; accredited psychosexual therapist",
        "PST-00421",
        "College of Sexual and Relationship Therapists",
        "United Kingdom",
        ["relationships", "emotions-and-intimacy", "desire-and-libido"],
    ),
}


def _demo_photo(background: tuple[int, int, int], figure: tuple[int, int, int]) -> Encoded:
    """A drawn silhouette (no real face), through the same encoder as an upload."""
    image = Image.new("RGB", (400, 400), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((130, 70, 270, 220), fill=figure)  # head
    draw.ellipse((60, 240, 340, 520), fill=figure)  # shoulders
    out = io.BytesIO()
    image.save(out, format="PNG")
    return encode_bytes(out.getvalue())


DEMO_PHOTO_COLOURS = [((214, 234, 230), (31, 110, 104)), ((241, 234, 249), (107, 63, 160))]


# Canned reasons (kept in the admin): kind and concrete, since a rejection's reason reaches the asker.
CANNED_REASONS = [
    (
        "Personal details",
        "We removed it because it named or could identify a real person. "
        "Please ask again without names, places or other details that point to someone.",
        "reject",
    ),
    (
        "Not a question",
        "It didn't read as a question we could answer. Please ask again: what would you like to know?",
        "reject",
    ),
    ("Advertising", "Advertising or links to products and services aren't allowed here.", "hide"),
    ("Unkind to the asker", "Answers here stay kind to the person asking; this one judged or mocked them.", "hide"),
    ("Unsafe advice", "It gave advice that could hurt someone (medication, risky practices) without care.", "hide"),
    ("Spam", "Spam.", "delete"),
    ("Heated thread", "The thread turned into an argument; it stays readable but takes no new answers.", "lock"),
    ("Same question", "The same question, already answered in the thread linked above.", "duplicate"),
    ("Better topic", "Moved to the topics that describe it, so the right experts see it.", "retag"),
]


def _canned_reasons() -> None:
    for position, (label, text, use) in enumerate(CANNED_REASONS):
        CannedReason.objects.get_or_create(label=label, defaults={"text": text, "use": use, "position": position})


def _verify_experts(users: dict[str, User]) -> None:
    """The two demo experts apply and the demo moderator verifies them (through the real services)."""
    moderator = users["mod-jordan"]
    for (username, (title, credentials, number, body, place, areas)), colours in zip(
        EXPERTS.items(), DEMO_PHOTO_COLOURS, strict=True
    ):
        user = users[username]
        if ExpertProfile.objects.filter(user=user).exists():
            continue
        profile = expert_apply(
            user=user, title=title, credentials=credentials, licence_number=number, licence_body=body,
            jurisdiction=place, bio="Demo expert account. Everything here is written for the demo.",
            areas=Tag.objects.filter(slug__in=areas), photo=_demo_photo(*colours),
        )  # fmt: skip
        expert_verify(moderator=moderator, profile=profile, reason="Demo data")
        TOTP.activate(user, DEMO_TOTP_SECRET)


@transaction.atomic
def seed() -> list[str]:
    users = {username: _user(username, email, role=role) for username, email, role in DEMO_USERS}
    _verify_experts(users)
    _canned_reasons()
    keys = [key for key in (_thread(spec, users)[1] for spec in THREADS) if key]
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {role:<10} {email}" for _, email, role in DEMO_USERS]
    code, valid = demo_code()
    lines.append(f"The moderator and the experts also need a second factor: the TOTP secret {DEMO_TOTP_SECRET}")
    lines.append(f"  in an authenticator app, or the code {code} (valid {valid} s more; `make demo-code` prints one).")
    lines.append(f"A visitor's private question page: {settings.SITE_URL}/questions/key/{keys[0]}/")
    lines.append(f"{Question.objects.published().count()} published questions.")
    return lines
