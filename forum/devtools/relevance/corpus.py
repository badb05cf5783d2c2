"""The answering threads of the relevance set, written in our own words for this test only.

Each thread is what a worried person might have asked years ago, with the answers it got. They
are created first (measure.build), so they are the oldest threads in the database; 100,000
newer bulk questions follow. The threads do not repeat every word a searcher would type: a
person asking "why did she cry after we had sex" must still find the thread titled "burst into
tears".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    text: str
    expert: bool = False  # posted by a verified expert
    accepted: bool = False  # the asker's accepted answer (at most one per thread)


@dataclass(frozen=True)
class Thread:
    key: str  # stable: queries name their answers by it
    title: str
    body: str
    answers: tuple[Reply, ...]
    language: str = "en"
    tags: tuple[str, ...] = ("sex-and-pleasure",)


def _t(key, title, body, *answers, language="en", tags=("sex-and-pleasure",)) -> Thread:
    return Thread(key=key, title=title, body=body, answers=tuple(answers), language=language, tags=tuple(tags))


E, A = {"expert": True}, {"accepted": True}
EA = {"expert": True, "accepted": True}

CORPUS: tuple[Thread, ...] = (
    _t(
        "tears-after-sex",
        "Why did I burst into tears after sex with my boyfriend?",
        "It was gentle and I really wanted it, but afterwards I started sobbing and could not explain why. "
        "He thought he had hurt me and now he is scared to touch me. Is something wrong with me?",
        Reply(
            "What you describe has a name: postcoital dysphoria. Tears, sadness or restlessness after sex "
            "that was wanted and felt good are common in every gender and usually pass within the hour. "
            "Tell him it was not about him, and notice whether it happens again.",
            **EA,
        ),
        Reply("Happened to me too. My girlfriend just held me and we talked the next morning."),
        tags=("emotions-and-intimacy",),
    ),
    _t(
        "desire-gone",
        "I don't want sex anymore and I'm only 31",
        "We have been together six years and I love him, but the wish has simply gone. "
        "He is patient but I can see it hurts him. Is losing my libido like this normal or am I broken?",
        Reply(
            "Losing interest is one of the most common reasons people see a sex therapist. Many people "
            "have responsive desire: it appears once touch begins rather than out of nowhere. Stress, "
            "sleep, medication and resentment all play a part, and each can be worked on.",
            **EA,
        ),
        Reply("Check your contraception too, mine flattened everything for a year."),
        tags=("desire-and-libido",),
    ),
    _t(
        "vaginismus",
        "Penetration is impossible, it feels like hitting a wall",
        "Every time we try, my muscles clamp shut and it hurts so much I have to stop. Tampons never "
        "worked either. My gynaecologist says everything looks fine. A friend said vaginismus, is she right?",
        Reply(
            "This sounds like vaginismus: the pelvic floor muscles tighten on their own when something "
            "approaches. It is very treatable. A pelvic floor physiotherapist and a graded set of dilators, "
            "at your own pace, help most people within months.",
            **EA,
        ),
        Reply("I had the same. Physio changed my life, please don't give up."),
        tags=("pain-and-difficulties",),
    ),
    _t(
        "erection-nerves",
        "Lost my erection with a new partner and now I'm scared it will happen again",
        "Twice now I went soft just before we started. On my own everything works fine. I'm 27 and healthy, "
        "and now I'm dreading the next date.",
        Reply(
            "Erectile dysfunction at your age is most often performance anxiety: adrenaline works against "
            "arousal. Take penetration off the table for a while, focus on touch, and tell her. If it "
            "persists, a GP can rule out anything physical.",
            **EA,
        ),
        Reply("Alcohol did this to me. Two beers less and the problem was gone."),
        tags=("pain-and-difficulties",),
    ),
    _t(
        "condom-broke",
        "The condom broke last night, what do I do now?",
        "We only noticed afterwards that the condom had split. She is not on the pill and we are both panicking. "
        "How long do we have and where do we go?",
        Reply(
            "Emergency contraception works best early. The levonorgestrel morning after pill is licensed "
            "for 72 hours, ulipristal for 120 hours, and a copper IUD fitted within five days is the most "
            "effective option. A pharmacy or sexual health clinic can help today.",
            **EA,
        ),
        Reply("Also think about an STI test in two weeks if you are not sure of each other's status."),
        tags=("contraception",),
    ),
    _t(
        "pill-mood",
        "Which birth control won't mess with my mood?",
        "The pill made me feel flat and teary for months. I'm thinking about the hormonal coil or the copper "
        "one but I'm scared of swapping one problem for another.",
        Reply(
            "Mood changes on combined pills are real for some people. The copper IUD has no hormones at "
            "all; its side effects are heavier periods. The hormonal coil releases a small local dose. "
            "Contraception side effects differ person to person, so a clinic can help you weigh them.",
            **E,
        ),
        Reply("Copper coil here, three years, my head is clear again.", **A),
        tags=("contraception",),
    ),
    _t(
        "porn-hurt",
        "My boyfriend watches porn every day, should I feel hurt?",
        "I found his browser history. He says it has nothing to do with me but I keep comparing myself "
        "to those women and feel ugly.",
        Reply(
            "Many people in happy relationships watch porn; it says little about how they see their "
            "partner. Your feelings still matter. Talk about what it means to each of you, and what "
            "you both are comfortable with.",
            **A,
        ),
        Reply("It becomes a problem when it replaces intimacy, not just because it exists."),
        tags=("relationships",),
    ),
    _t(
        "jealous-ex",
        "I get jealous when my girlfriend talks to her ex",
        "They broke up years ago and are still friends. Nothing is going on, she shows me the messages, "
        "but I get a knot in my stomach every time his name comes up.",
        Reply(
            "Jealousy often says more about our own fears than about the partner. Notice what exactly "
            "you fear losing, and say that out loud rather than asking her to cut contact.",
            **A,
        ),
        Reply("I was the girlfriend in this story. Reassurance helped, control did not."),
        tags=("relationships",),
    ),
    _t(
        "coming-out-parents",
        "How do I come out to my religious parents?",
        "I'm 17 and gay. My parents go to church every week and say things at dinner that make me sick. "
        "I don't know if I should tell them now or wait until I move out.",
        Reply(
            "Your safety comes first. If you depend on them for a home, waiting until you are independent "
            "is a valid choice. Find one adult you trust first, and look for an LGBTQ youth line near you.",
            **A,
        ),
        Reply("I waited until university. Best decision I made."),
        tags=("lgbtq",),
    ),
    _t(
        "first-time",
        "Nervous about losing my virginity",
        "My girlfriend and I want our first time to be special, but I'm scared it will hurt her or that I'll "
        "finish too quickly and ruin it.",
        Reply(
            "Go slowly, use plenty of lubricant, and agree that either of you can stop at any moment. "
            "A first time does not have to be perfect; it is the start of learning each other.",
            **A,
        ),
        Reply("Ours was awkward and funny and that is what made it good."),
        tags=("sex-and-pleasure",),
    ),
    _t(
        "ask-testing",
        "How do I ask someone new to get an STI test?",
        "I'm dating again after a long relationship and I have no idea how to bring it up without sounding "
        "like I'm accusing them of something.",
        Reply(
            "Make it about both of you: say when you were last tested and suggest going together. Most "
            "clinics test for chlamydia, gonorrhoea, syphilis and HIV in one visit.",
            **EA,
        ),
        tags=("stis-and-testing",),
    ),
    _t(
        "menopause-pain",
        "Sex hurts since the change, is this just my life now?",
        "I'm 54. Everything feels dry and burning and I've started avoiding my husband. My friends say it's just age.",
        Reply(
            "Vaginal dryness after menopause is common and treatable. Low-dose vaginal oestrogen, "
            "moisturisers used a few times a week and a good lubricant help most women. Ask your doctor "
            "about genitourinary syndrome of menopause; it is not just age.",
            **EA,
        ),
        Reply("Oestrogen cream was the answer for me after two years of suffering."),
        tags=("bodies-and-health",),
    ),
    _t(
        "drunk-consent",
        "She was drunk and said yes, was that okay?",
        "We had both been drinking at a party. She said yes and seemed into it, but the next day she was "
        "upset and said she barely remembers. I feel sick about it.",
        Reply(
            "A person who is too intoxicated to understand what is happening cannot consent, whatever "
            "they say. Being tipsy is not the same as being incapacitated, but when in doubt, wait. "
            "Listen to her now and do not argue about what she remembers.",
            **EA,
        ),
        tags=("consent",),
    ),
    _t(
        "comes-fast",
        "I always finish within a minute",
        "It's been like this with every partner. I try thinking about other things but it doesn't help. "
        "My girlfriend says she doesn't mind but I do.",
        Reply(
            "Premature ejaculation is the most common sexual complaint in men and responds well to "
            "practice. The stop-start technique, pelvic floor exercises and, if needed, medication from a "
            "doctor all help.",
            **EA,
        ),
        Reply("Condoms with a bit of numbing inside helped me while I practised."),
        tags=("pain-and-difficulties",),
    ),
    _t(
        "deep-pain",
        "Deep pain during sex only in certain positions",
        "It feels like something is being hit deep inside, and afterwards I ache for hours. "
        "Shallow is fine. My periods are very painful too.",
        Reply(
            "Deep pain with painful periods can be a sign of endometriosis and is worth a gynaecologist's "
            "look. Meanwhile positions where you control depth, such as being on top, can help.",
            **E,
        ),
        tags=("pain-and-difficulties",),
    ),
    _t(
        "herpes-new",
        "Just diagnosed with genital herpes, will anyone ever want me?",
        "I got the result today and I can't stop crying. I feel dirty. How do I ever tell someone?",
        Reply(
            "Herpes is extremely common and most people who carry it do not know. Outbreaks usually get "
            "milder, daily antivirals lower the chance of passing it on, and many people with herpes "
            "have loving sex lives. Tell partners before sex, calmly and with facts.",
            **EA,
        ),
        tags=("stis-and-testing",),
    ),
    _t(
        "no-attraction",
        "I've never felt sexual attraction to anyone",
        "I'm 24. Friends talk about crushes and I just don't get it. I like cuddling but the idea of sex "
        "does nothing for me.",
        Reply(
            "You may be asexual, or somewhere on the ace spectrum. It is an orientation, not a disorder, "
            "and many asexual people have happy relationships.",
            **A,
        ),
        tags=("lgbtq",),
    ),
    _t(
        "faking",
        "Faking orgasms for two years, how do I stop?",
        "I started faking because I didn't want him to feel bad and now I don't know how to undo it "
        "without him feeling betrayed.",
        Reply(
            "Tell him you want to explore together what works for you, without a full confession. "
            "Show him what you do alone; most people need direct clitoral touch to climax.",
            **A,
        ),
        tags=("sex-and-pleasure",),
    ),
    _t(
        "after-birth",
        "When is it safe to have sex after giving birth?",
        "Our daughter is five weeks old. I had a small tear. My partner is hinting and I'm not sure if my "
        "body is ready.",
        Reply(
            "Most people are advised to wait until bleeding has stopped and tears have healed, often "
            "around six weeks, but readiness matters more than a date. Breastfeeding can cause dryness, "
            "so use lubricant, and think about contraception before you start again.",
            **EA,
        ),
        tags=("bodies-and-health",),
    ),
    _t(
        "daily-masturbation",
        "Is touching myself every day harmful?",
        "I'm 16 and do it once or twice a day. I read online that it damages your brain.",
        Reply(
            "Masturbation is healthy and does not damage your body or brain. It only becomes a concern "
            "if it gets in the way of sleep, school or friends.",
            **EA,
        ),
        tags=("sex-and-pleasure",),
    ),
    _t(
        "uti-sex",
        "I get a bladder infection every time we sleep together",
        "Within two days of sex it burns when I pee. I've had three courses of antibiotics this year.",
        Reply(
            "Recurrent cystitis after sex is common. Peeing soon after, drinking water and avoiding "
            "spermicides help; a doctor may offer a single antibiotic dose after intercourse.",
            **EA,
        ),
        tags=("bodies-and-health",),
    ),
    _t(
        "cheated-trust",
        "He cheated, I stayed, and I keep checking his phone",
        "It's been eight months. He has been honest since, but I still can't trust him and I hate who I've become.",
        Reply(
            "Rebuilding trust after infidelity takes longer than either partner hopes. Couples therapy "
            "gives the checking and the anger somewhere to go.",
            **A,
        ),
        tags=("relationships",),
    ),
    _t(
        "curved",
        "My penis bends to one side, is that a problem?",
        "It has always curved a bit but lately it seems worse and there's a hard lump.",
        Reply(
            "A new curve with a lump may be Peyronie's disease, scar tissue in the shaft. See a urologist "
            "early: treatment works best in the first months.",
            **EA,
        ),
        tags=("bodies-and-health",),
    ),
    _t(
        "partner-trans",
        "My partner told me she is trans, how do I support her?",
        "We've been together three years. I love her and want to stay, but I'm scared and don't know what to say.",
        Reply(
            "Ask her what support looks like for her, and find your own space to process too. Many "
            "couples stay together through a transition.",
            **A,
        ),
        tags=("lgbtq", "relationships"),
    ),
    _t(
        "lights-off",
        "Ashamed of my body, I always want the lights off",
        "I've gained weight and I hate being seen naked. My husband says he loves my body but I can't relax.",
        Reply(
            "Body shame pulls you out of the moment. Start with low light and focus on sensation. "
            "A therapist can help with body image too.",
            **A,
        ),
        tags=("emotions-and-intimacy",),
    ),
    _t(
        "tied-up",
        "How to tell my girlfriend I'd like to be tied up",
        "I have fantasised about bondage for years and never said a word. I'm afraid she'll think I'm weird.",
        Reply(
            "Bring it up outside the bedroom, as a curiosity. Agree on a safe word and start light. "
            "Kink is common and talking about it is part of consent.",
            **A,
        ),
        tags=("sex-and-pleasure", "consent"),
    ),
    _t(
        "prep-worth",
        "Is PrEP worth it if I always use condoms?",
        "I'm a gay man with a few casual partners a year. Condoms every time, but my doctor mentioned PrEP.",
        Reply(
            "PrEP is a daily pill that almost removes the risk of HIV. With condoms you are already well "
            "protected, but PrEP covers the times a condom slips or breaks.",
            **EA,
        ),
        tags=("stis-and-testing", "lgbtq"),
    ),
    _t(
        "period-sex",
        "Is it okay to have sex on my period?",
        "My boyfriend doesn't mind but I feel gross about it. Is it unhygienic?",
        Reply(
            "It is safe. Lay a towel down or try the shower. You can still get pregnant and STIs still "
            "pass, so protect yourselves as usual.",
            **A,
        ),
        tags=("bodies-and-health",),
    ),
    _t(
        "hpv-positive",
        "I tested positive for HPV, should my boyfriend worry?",
        "My smear came back with high-risk HPV. We've been together two years.",
        Reply(
            "Most sexually active people get HPV at some point and most clear it within two years. You "
            "likely share it already. Keep up your screening; vaccination protects against other types.",
            **EA,
        ),
        tags=("stis-and-testing",),
    ),
    _t(
        "es-dolor",
        "Me duele cada vez que tenemos relaciones",
        "Llevo meses con dolor al hacer el amor con mi novio. Al principio pensé que era normal, "
        "pero cada vez es peor y ya me da miedo.",
        Reply(
            "El dolor durante las relaciones sexuales se llama dispareunia y no es normal aguantarlo. "
            "Puede deberse a falta de lubricación, infecciones o tensión muscular. Consulta con una "
            "ginecóloga.",
            **EA,
        ),
        language="es",
        tags=("pain-and-difficulties",),
    ),
    _t(
        "es-pastilla",
        "¿Sirve la pastilla del día después si ya pasaron tres días?",
        "El preservativo se rompió el sábado y hoy es martes. ¿Todavía estoy a tiempo?",
        Reply(
            "El levonorgestrel funciona hasta 72 horas; el ulipristal hasta cinco días. Un DIU de cobre "
            "colocado en cinco días es lo más eficaz. Ve hoy a la farmacia.",
            **EA,
        ),
        language="es",
        tags=("contraception",),
    ),
    _t(
        "es-condon",
        "Mi novio no quiere usar condón",
        "Dice que no siente nada y que confía en mí. Yo no tomo anticonceptivos y me da vergüenza insistir.",
        Reply(
            "Tu cuerpo, tus reglas. Si él no acepta protegerse, no tienes que acostarte con él. Podéis "
            "probar otras marcas o tamaños.",
            **A,
        ),
        language="es",
        tags=("contraception", "consent"),
    ),
    _t(
        "ru-muzh",
        "Муж совсем не хочет секса",
        "Мы женаты восемь лет. Последний год он отворачивается и говорит, что устал. Я чувствую себя ненужной.",
        Reply(
            "Снижение влечения у мужчин часто связано со стрессом, усталостью или депрессией. "
            "Поговорите спокойно, без упрёков, и предложите вместе сходить к сексологу.",
            **EA,
        ),
        language="ru",
        tags=("desire-and-libido",),
    ),
    _t(
        "ru-bi",
        "Как признаться девушке, что я бисексуал?",
        "Мы вместе год. Боюсь, что она решит, что я ей изменю или что это просто этап.",
        Reply(
            "Бисексуальность не означает склонность к изменам. Выберите спокойный момент и скажите "
            "прямо, почему вам важно, чтобы она знала.",
            **A,
        ),
        language="ru",
        tags=("lgbtq",),
    ),
)
