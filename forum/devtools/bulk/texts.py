"""The words of the benchmark data set, in our own words: titles, markdown bodies, names.

The bodies are (weight, markdown) pairs; each is rendered once and its HTML reused.
"""

# What the benchmark searches for (scripts/bench.py reads these).
SEARCH_COMMON_WORD = "partner"
SEARCH_RARE_WORD = "vaginismus"
SEARCH_PHRASE = "after sex"
SEARCH_NATURAL = "why does it hurt when we have sex after my period"  # a question, typed as asked
SEARCH_MISSPELLED = "vaginsmus"  # corrected to SEARCH_RARE_WORD from the forum's own words

TITLES = [
    "Is it normal to feel sad after sex?",
    "Is it normal to cry after sex even when it was good?",
    "Why do I feel anxious right after sex?",
    "How do I tell my partner I want to try something new?",
    "How do I tell my partner that something hurts?",
    "My partner wants sex far more often than I do — what now?",
    "How can we talk about desire without it turning into a fight?",
    "Is it normal to lose interest in sex during a stressful time?",
    "When should I see a doctor about pain during sex?",
    "Can stress really affect erections this much?",
    "How do I bring up getting tested before we sleep together?",
    "What does a positive chlamydia test mean for my relationship?",
    "How do I ask for consent in a way that feels natural?",
    "How do I say no without hurting my partner's feelings?",
    "Is it okay to want to be alone after sex?",
    "How do I come out to a partner who doesn't know I'm bi?",
    "Which contraception has the fewest side effects?",
    "My period is late and we used a condom — should I worry?",
    "How do people rebuild intimacy after a baby?",
    "Why can't I reach orgasm with a partner when I can alone?",
    "Is it normal to have no sexual fantasies at all?",
    "How do I support a partner who was assaulted in the past?",
    "How do I know if my relationship has become controlling?",
    "How long is it normal for sex to last?",
    "Is it normal to feel guilty after masturbating?",
    "How do I talk to my doctor about low libido?",
    "Why does my partner go quiet after sex?",
    "How do couples handle different sleep schedules and intimacy?",
    "Is bleeding after sex something to worry about?",
    "How do I stop comparing myself to my partner's exes?",
]
CONTEXTS = [
    "",
    "",
    "",
    " (I'm 19)",
    " (I'm 24)",
    " (we're both in our thirties)",
    " (I'm 52)",
    " (together two years)",
    " (first serious relationship)",
    " (married for ten years)",
    " (long-distance for now)",
    " (since starting new medication)",
    " (after a difficult year)",
    " (asking for a friend, honestly)",
]


def with_context(title: str, context: str) -> str:
    """A title as a bulk question asks it: the context before its closing mark ("…sex (I'm 52)?")."""
    return title[:-1] + context + title[-1] if context else title


def asked_as(title: str) -> set[str]:
    """Every title a bulk question asking `title` can have (the relevance harness matches them)."""
    return {with_context(title, context) for context in CONTEXTS} if title in TITLES else {title}


RARE_TITLES = [
    "Could this be vaginismus, and who treats it?",
    "Is vaginismus something that can go away with time?",
]

QUESTION_BODIES = [
    # (weight, markdown)
    (30, "Title says it all. Is this common, or should I be worried?"),
    (
        25,
        "We've talked about it a little, but every time it comes up one of us changes the subject. "
        "I don't want to make a big deal of it, I just want to understand what's going on and whether "
        "other people deal with the same thing.",
    ),
    (
        20,
        "Some background: my partner and I have been together a while and things are mostly good. "
        "Lately, though, something has felt off and I can't tell whether it's me, us, or just a phase.\n\n"
        "What I've tried so far:\n\n"
        "- talking about it over dinner (awkward, we both got defensive)\n"
        "- reading a couple of articles online (they contradicted each other)\n"
        "- waiting for it to pass (it hasn't)\n\n"
        "Is there a better way to start this conversation?",
    ),
    (
        15,
        "I feel silly asking this, but I genuinely don't know who else to ask. Right after sex I get "
        "this wave of sadness that lasts maybe twenty minutes. It isn't about my partner — I love them "
        "and the sex itself is good. It just happens, and then it goes away.\n\n"
        "My partner noticed last week and asked whether they'd done something wrong, which made me feel "
        "worse. How do I explain something I don't understand myself? And is there anything that helps?",
    ),
    (
        10,
        "### What happened\n\n"
        "A few weeks ago I started noticing pain during sex. Not every time, but often enough that I've "
        "started dreading it, and I think my partner can tell something is wrong.\n\n"
        "### What I know\n\n"
        "1. It's worse at the start and eases a little after a while.\n"
        "2. It doesn't happen when I use a tampon.\n"
        "3. I've had one STI test since and it was clear.\n\n"
        "### What I'm asking\n\n"
        "Should I see my GP, a gynaecologist, or someone else? And what do I even say when I get there? "
        "I'm nervous about being told it's all in my head.\n\n"
        "> I've read that *relaxing more* is the usual advice. It has not helped.",
    ),
    (
        8,
        "Long post, sorry. My partner and I have very different ideas of what a normal amount of sex is. "
        "When we met it was every day, now it's maybe twice a month, and we're both unhappy about it in "
        "different ways: I feel rejected, they feel pressured.\n\n"
        "We tried scheduling it. That helped for a month and then it started to feel like a chore. We tried "
        "not talking about it at all, which was worse. Our friends either joke about it or say it's normal "
        "in long relationships, which doesn't help when you're the one lying awake.\n\n"
        "What I'd like to know:\n\n"
        "* Is there a way to talk about this that doesn't end with one of us feeling guilty?\n"
        "* Do couples therapists actually help with this, or is it mostly talking?\n"
        "* Are there practical things that have worked for you?\n\n"
        "Thank you for reading this far. It helps just to write it down somewhere people won't judge.",
    ),
    (
        6,
        "I'm asking anonymously because I'm embarrassed. I have never had an orgasm with a partner, "
        "only on my own. My partner is patient and kind about it, but I can tell they take it personally "
        "sometimes, and then I start faking it, which I hate.\n\n"
        "Is this common? Is it something about me, or about how we do things? I'd love to hear from "
        "people who figured this out, and from anyone who works with this professionally.",
    ),
    (
        4,
        "Quick one: we used a condom but it slipped off at the end. Is emergency contraception still "
        "worth taking, and how long do I have?",
    ),
    (
        3,
        "Context first, because I think it matters. I'm in my forties, recently separated, and dating for "
        "the first time in fifteen years. A lot has changed: apps, expectations, the way people talk about "
        "consent and testing. I feel completely out of date.\n\n"
        "I've met someone I like and things are heading towards sex. I want to do this right: ask about "
        "testing, talk about what we both want, and not come across as either prudish or careless. But I "
        "honestly don't know the words people use now, and I'm scared of making it awkward.\n\n"
        "#### Specific questions\n\n"
        "1. When is the right moment to bring up STI testing — before a first date, after, right before?\n"
        "2. How do I say what I'm not comfortable with without it sounding like a list of rules?\n"
        "3. Is it odd to ask a new partner what they like, out loud?\n\n"
        "#### What I'm not asking\n\n"
        "I'm not asking whether I should date — I want to. I'm asking how people do the talking part "
        "gracefully. Any scripts, examples or gentle corrections are welcome.\n\n"
        "---\n\n"
        "*Edit:* thank you to everyone who already answered in my other thread, this is the follow-up.",
    ),
    (
        0,  # only through RARE_BODY_SHARE: the benchmark's rare search word
        "After months of pain I was finally told it might be vaginismus. I had never heard the word "
        "before. The doctor was kind but rushed, and I left with a leaflet and more questions than "
        "answers. Does anyone here have experience with pelvic floor physiotherapy or dilators? How long "
        "did it take before things got easier, and how did you talk to your partner about it?",
    ),
]

ANSWER_BODIES = [
    (30, "This happens to a lot of people, you're not alone. Be gentle with yourself."),
    (25, "Talk to your partner when you're both calm, not in bed. It makes a huge difference."),
    (
        20,
        "I went through something very similar last year. What helped me most was writing down what I "
        "wanted to say before the conversation, so I didn't freeze. My partner was far more understanding "
        "than I expected.",
    ),
    (
        15,
        "Two things that helped us:\n\n"
        "- agreeing that either of us can pause or stop at any point, no explanation needed\n"
        "- checking in the next day, when there's no pressure to perform\n\n"
        "It felt awkward the first few times and then it just became part of how we are together.",
    ),
    (
        12,
        "Please don't push through pain. It's your body telling you something, and it's very treatable "
        "once someone looks at it properly. A GP is a fine first step; ask for a referral if you feel "
        "brushed off. You deserve to be taken seriously.",
    ),
    (
        10,
        "I'd gently say that there's no *normal* here — there's what works for the two of you. Mismatched "
        "desire is one of the most common things couples bring to therapy. It doesn't mean anything is "
        "broken.\n\n"
        "What changed things for us was separating closeness from sex. We set aside time for touch that "
        "doesn't have to lead anywhere, and the pressure dropped on both sides. Strangely, that's when "
        "desire came back.",
    ),
    (
        8,
        "Honest answer from someone who was in your partner's position: I wasn't upset about the thing "
        "itself, I was upset that I found out late. Say it early, say it plainly, and give them time to "
        "think. Most decent people respond to honesty with respect.\n\n"
        "> The conversation you're dreading is almost always shorter than the one you imagine.\n\n"
        "Good luck — you're clearly thinking about it with care.",
    ),
    (
        6,
        "Some practical things that helped me, in no particular order:\n\n"
        "1. **Slow down.** More time before sex made the biggest difference.\n"
        "2. **Lubricant.** There's no shame in it; use more than you think you need.\n"
        "3. **Words.** We agreed on a simple way to say *slower* or *stop* that doesn't kill the mood.\n"
        "4. **Follow-up.** Checking in the next morning, over coffee, not under the covers.\n\n"
        "None of these fix everything, but together they took a lot of the fear out of it for us.",
    ),
    (
        4,
        "I'm sorry you're going through this. Feeling this way doesn't make you broken or a bad partner. "
        "If it keeps weighing on you, talking to a counsellor — even once or twice — can help you find "
        "the words. Many offer sliding-scale fees, and some clinics have free sessions.",
    ),
    (
        3,
        "Longer answer, because I've been where you are.\n\n"
        "For years I thought the problem was me. I read everything, tried every tip, and mostly ended up "
        "more anxious. What actually helped was much less dramatic: my partner and I started talking "
        "about it outside the bedroom, in short conversations, without trying to solve it in one go.\n\n"
        "We'd ask each other small questions. *What felt good this week? What would you like more of?* "
        "Sometimes the answer was *nothing, I'm tired*, and that was fine too. Over a few months the "
        "pressure faded, and so did most of the problem.\n\n"
        "If I could tell my younger self one thing, it would be that there was never a test to pass. "
        "There was just the two of us figuring it out, and that's allowed to take time.",
    ),
    (
        2,
        "Emergency contraception works best the sooner you take it, but some kinds work for several days "
        "afterwards. A pharmacist can tell you which one suits you and answer questions privately. If your "
        "period is more than a week late, take a test.",
    ),
]

EXPERT_BODIES = [
    (
        3,
        "What you describe has a name — *postcoital dysphoria* — and it's more common than most people "
        "realise. Surveys suggest a large share of people have felt it at least once, regardless of how "
        "good the sex was or how much they love their partner.\n\n"
        "### Why it can happen\n\n"
        "- a sudden shift in hormones and nervous-system arousal after climax\n"
        "- feeling very close and very exposed at the same moment\n"
        "- older experiences that surface when we let our guard down\n\n"
        "### What tends to help\n\n"
        "1. Naming it to your partner ahead of time, so they don't read it as rejection.\n"
        "2. Agreeing on what you'd like in the moment: holding, space, or a glass of water and a joke.\n"
        "3. Noticing patterns over a few weeks — time of day, stress, alcohol, particular situations.\n\n"
        "If it's intense, lasts for hours, or brings up memories that feel overwhelming, a therapist who "
        "works with sexual health can help you untangle it. That's not a sign something is wrong with you; "
        "it's a sensible use of support.",
    ),
    (
        3,
        "Pain during sex is common and it is treatable, so please don't accept *just relax* as an answer.\n\n"
        "### Who to see\n\n"
        "Start with a GP or a sexual-health clinic and say plainly: *I have pain with penetration and it's "
        "been going on for weeks.* You can ask for a referral to a gynaecologist or a pelvic-floor "
        "physiotherapist. Bring notes on when it happens and what makes it better or worse.\n\n"
        "### What they'll look at\n\n"
        "| Possible cause | What helps |\n"
        "|---|---|\n"
        "| Not enough arousal or lubrication | time, lubricant, less pressure |\n"
        "| Muscle tension in the pelvic floor | physiotherapy, gradual exercises |\n"
        "| Infection or skin conditions | testing and treatment |\n"
        "| Hormonal changes | depends on the cause; ask about options |\n\n"
        "Until you've been seen, it's completely fine to take penetration off the table and keep the "
        "closeness you both enjoy. Pushing through pain tends to make it worse over time.",
    ),
    (
        2,
        "A difference in desire is one of the most frequent reasons couples see a sex therapist, and it's "
        "rarely about one person being *too much* or *too little*.\n\n"
        "Desire comes in two broad styles: **spontaneous** (it shows up out of the blue) and **responsive** "
        "(it shows up once things get going). Many people in long relationships are mostly responsive, and "
        "they can wrongly conclude they've lost interest.\n\n"
        "Three things I suggest to couples:\n\n"
        "- talk about what makes sex *worth wanting* for each of you, not just how often\n"
        "- build in non-sexual touch with no expectation attached\n"
        "- notice the brakes as well as the accelerators: stress, tiredness, resentment, body image\n\n"
        "A few sessions with a therapist can make these conversations much easier. Look for someone "
        "with specific training in sex therapy.",
    ),
    (
        1,
        "For pain with penetration that comes with tightening you can't control, the outlook is good: "
        "most people improve with the right support, usually a "
        "combination of pelvic-floor physiotherapy, graded dilator work at your own pace, and attention to "
        "the anxiety that tends to build around pain.\n\n"
        "There is no deadline. Progress is often uneven — a good week, then a setback — and that's "
        "normal. Involving your partner in the plan, including agreeing on what intimacy looks like in "
        "the meantime, takes a lot of pressure off.",
    ),
]

SENSITIVE_WARNINGS = {"sexual-assault": "sexual-trauma", "abuse": "abuse"}
MEMBER_WORDS = ["quiet", "blue", "river", "oak", "moss", "lark", "fern", "stone", "dawn", "maple", "wren", "tide"]
EXPERT_NAMES = ["amara", "lee", "okafor", "lindqvist", "haddad", "moreau", "santos", "kowalski", "ito", "nair"]
