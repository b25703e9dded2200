"""Modality and polarity of an event trigger, from its dependency parse.

Rules, each a cue a reader can point at in the sentence:

- polarity negative: a negation on the trigger or on a verb it is the to-infinitive complement
  of ("did not make this link public", "never invaded", "did not try to remove"), the
  determiner "no" on an event noun ("no United States invasion"), a negative quantifier as
  a verb's subject or object ("made no military response", "neither side attacked", "none
  of the envoys signed", "nobody crossed"), or a governing "refuse" or "decline" ("refused
  to issue an apology");
- modality, first match wins:
  - failed: a governing "fail" or "unable" ("had failed to remove", "were unable to hold"),
    or an adjective such as "abortive" on an event noun ("the abortive Bay of Pigs invasion");
  - attempted: a governing "try", "attempt", "seek"... ("tried to browbeat"), or "attempted"
    on a noun ("an attempted coup");
  - hypothetical: an "if" or "unless" clause ("if Soviet blood were shed") or its
    consequence ("retaliatory steps would be taken"), or a modal other than will ("would",
    "could", "might", "may", "should", "must": "could reach");
  - failed: a governing attempt verb coordinated with "fail" ("tried to take the fort but
    failed");
  - failed or attempted: the aim of an attempt noun ("an effort to seize the bridge ...
    failed": failed when the attempt's verb is "fail", else attempted);
  - intended: a governing "want", "plan", "decide", "agree", "threaten", or "willing",
    "ready", "prepared" ("decided to install"), or "planned", "proposed" on a noun, or a
    passive infinitive that no verb governs ("a pullout to be completed next spring");
  - future: "will", "shall" or "be going to" ("will visit"), or a term's end in the simple
    present ("the mandate expires at the end of 2031", `term_told_ahead`);
  - asserted otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

ATTEMPT = frozenset({"try", "attempt", "seek", "strive", "endeavour", "endeavor", "struggle"})
FAIL = frozenset({"fail", "neglect", "unable"})
"""Words whose complement did not happen: "failed to take the fort", "were unable to
organize": the complement is told as failed, not as done."""
INTEND = frozenset(
    {
        "want",
        "plan",
        "intend",
        "decide",
        "hope",
        "aim",
        "agree",
        "promise",
        "pledge",
        "vow",
        "offer",
        "threaten",
        "expect",
        "prepare",
        "resolve",
        "willing",
        "ready",
        "prepared",
        "determined",
        "eager",
        "poised",
        "set",
    }
)
REFUSE = frozenset({"refuse", "decline"})
HYPOTHETICAL_MODALS = frozenset({"would", "could", "might", "may", "should", "must", "can"})
FUTURE_MODALS = frozenset({"will", "shall", "'ll"})
CONDITIONS = frozenset({"if", "unless"})

ATTEMPT_NOUNS = frozenset({"attempt", "effort", "bid", "try", "endeavour", "endeavor"})
"""Nouns of an attempt: their to-infinitive is the aim, which did not happen for being tried
("an attempt to block the harbour")."""

FAILING_VERBS = frozenset({"fail", "miscarry", "founder", "collapse", "falter"})
"""Verbs that, with an attempt as subject, tell it came to nothing ("the bid failed")."""

ORDINAL_WORDS = frozenset({"first", "last", "only", "next", "second", "third"})
"""Words that make "the first to be elected" tell who was, not a plan."""

NOUN_FAILED = frozenset({"abortive", "failed", "unsuccessful", "foiled", "thwarted", "aborted"})
NOUN_ATTEMPTED = frozenset({"attempted", "would-be"})
NOUN_INTENDED = frozenset(
    {"planned", "proposed", "intended", "threatened", "future", "possible", "potential"}
)


@dataclass(frozen=True)
class Modality:
    """How an event is told: modality, polarity, and the cue words that decided them."""

    modality: str
    polarity: str
    cues: tuple[str, ...] = ()


def governors(trigger: Token) -> list[Token]:
    """The verbs (or adjectives) whose to-infinitive complement the trigger is, nearest first.

    "had failed to remove": [failed]; "is willing to withdraw": [willing]. A verb coordinated
    with a complement shares its governors ("failed to cross the river and take the fort":
    the taking failed too).
    """
    chain = []
    token = trigger
    if token.dep_ == "conj" and token.head.dep_ == "xcomp" and is_verbal(token.head):
        token = token.head
    for _ in range(4):
        if token.dep_ != "xcomp" or token.head.i == token.i:
            break
        token = token.head
        chain.append(token)
    return chain


def is_verbal(token: Token) -> bool:
    """A verb or auxiliary (a complement or its conjunct, not a noun)."""
    return token.pos_ in {"VERB", "AUX"}


def _modals(tokens: list[Token]) -> set[str]:
    return {
        c.lower_
        for t in tokens
        for c in t.children
        if c.dep_ == "aux" and (c.tag_ == "MD" or c.lower_ in FUTURE_MODALS)
    }


def _conditions(trigger: Token) -> list[str]:
    """The 'if' or 'unless' that introduces the trigger's clause or the clause it depends on.

    "if Soviet blood were shed" (shed has the mark) and "if ..., retaliatory steps would be
    taken" (taken has the conditional clause); a coordinated verb shares its head's clause.
    The word is returned as written, so that the cue is one a reader can point at.
    """
    clause = trigger.head if trigger.dep_ == "conj" else trigger
    marked = [trigger, clause, *[c for c in clause.children if c.dep_ == "advcl"]]
    marks = {c.lower_ for t in marked for c in t.children if c.dep_ == "mark"}
    return sorted(marks & CONDITIONS)


def _going_to(tokens: list[Token]) -> bool:
    return any(
        t.lemma_ == "go"
        and t.tag_ == "VBG"
        and any(c.dep_ == "aux" and c.lemma_ == "be" for c in t.children)
        for t in tokens[1:]
    )


def noun_phrase(trigger: Token) -> list[Token]:
    """The event noun and the nouns its phrase hangs from, up to the clause.

    In "the abortive Bay of Pigs invasion" the parser makes "Bay" the head and "invasion" the
    object of "of"; "abortive" modifies "Bay".
    """
    chain = [trigger]
    token = trigger
    while (
        token.dep_ in {"compound", "pobj", "prep", "nmod"}
        and token.head.i != token.i
        and token.head.pos_ in {"NOUN", "PROPN", "ADP"}
    ):
        token = token.head
        if token.pos_ != "ADP":
            chain.append(token)
    return chain


def _hyphenated_before(trigger: Token, window: int = 4) -> set[str]:
    """Hyphenated words just before a noun ("a would-be assassination").

    The tokenizer splits "would-be" into would / - / be, so no single token carries the word;
    it is read back from the few tokens before the noun, within its sentence.
    """
    start = max(trigger.sent.start, trigger.i - window)
    before = trigger.doc[start : trigger.i]
    return {
        f"{a.lower_}-{c.lower_}"
        for a, b, c in zip(before, before[1:], before[2:], strict=False)
        if b.text == "-" and not a.whitespace_ and not b.whitespace_
    }


def _noun_modality(trigger: Token) -> Modality:
    phrase = noun_phrase(trigger)
    modifiers = {c.lower_ for t in phrase for c in t.children if c.dep_ in {"amod", "compound"}}
    modifiers |= _hyphenated_before(trigger)
    negative = any(c.dep_ == "det" and c.lower_ == "no" for t in phrase for c in t.children)
    polarity = "negative" if negative else "positive"
    cues = ("no",) if negative else ()
    for words, modality in (
        (NOUN_FAILED, "failed"),
        (NOUN_ATTEMPTED, "attempted"),
        (NOUN_INTENDED, "intended"),
    ):
        hit = sorted(modifiers & words)
        if hit:
            return Modality(modality, polarity, (*cues, *hit))
    return Modality("asserted", polarity, cues)


def _aim_of_attempt(trigger: Token) -> str | None:
    """'failed' or 'attempted' for the to-infinitive aim of an attempt noun, else None.

    "Another effort to seize the bridge on 6 May also failed": the bridge was not seized;
    "the bid to take the port in May" tells a try, not a taking.
    """
    noun = trigger.head
    if trigger.dep_ != "acl" or noun.lemma_.lower() not in ATTEMPT_NOUNS:
        return None
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children):
        return None
    verb = noun.head
    if noun.dep_ in {"nsubj", "nsubjpass"} and verb.lemma_.lower() in FAILING_VERBS:
        return "failed"
    return "attempted"


def _failure_told_after(chain: list[Token]) -> list[str]:
    """'fail' coordinated with a governing attempt verb: the attempt failed, so did its aim.

    "The rebels tried to take the fort in May but failed": the fort was not taken.
    """
    return [
        c.lemma_.lower()
        for t in chain
        if t.lemma_.lower() in ATTEMPT
        for c in t.children
        if c.dep_ == "conj" and c.lemma_.lower() in FAILING_VERBS
    ][:1]


def _planned_passive(trigger: Token) -> bool:
    """A passive infinitive that no verb governs: a plan, not a happening.

    "Plans for a pullout of troops to be completed next spring", "a fort to be built on the
    ridge": what is to be done. "The first woman to be elected" tells who was
    (`ORDINAL_WORDS`); a governed one ("wanted to be elected") takes its governor's modality.
    """
    if trigger.dep_ == "xcomp" or trigger.tag_ != "VBN":
        return False
    children = list(trigger.children)
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in children):
        return False
    if not any(c.dep_ == "auxpass" and c.lower_ == "be" for c in children):
        return False
    nouns = [trigger.head, *[c for c in children if c.dep_ == "nsubjpass"]]
    return not any(
        n.lower_ in ORDINAL_WORDS
        or any(c.lower_ in ORDINAL_WORDS or c.tag_ == "JJS" for c in n.children if c.dep_ == "amod")
        for n in nouns
    )


NEGATIVE_QUANTIFIERS = frozenset({"none", "nobody", "nothing", "neither", "noone", "no-one"})
"""Pronouns that say no one of a set did it ("none of the envoys signed", "neither
attacked"): the deed told did not happen by anyone."""

NEGATIVE_DETERMINERS = frozenset({"no", "neither"})
"""Determiners that make a noun phrase name no one ("no troops crossed", "neither side
attacked")."""


def negative_quantifier(noun: Token) -> bool:
    """A noun phrase that names no one: "neither side", "none of the envoys", "no troops".

    Such a subject tells that the deed did not happen, and is no doer of it; "neither the
    king nor the duke" (a "neither" before coordinated nouns) is one too.
    """
    return noun.lower_ in NEGATIVE_QUANTIFIERS or any(
        d.dep_ in {"det", "preconj"} and d.lower_ in NEGATIVE_DETERMINERS for d in noun.children
    )


def _no_participant(verb: Token) -> list[str]:
    """The negative word of a subject or object that names no one, if any.

    "Made no response", "neither side crossed", "none of the envoys signed".
    """
    return [
        next(
            (
                d.lower_
                for d in c.children
                if d.dep_ in {"det", "preconj"} and d.lower_ in NEGATIVE_DETERMINERS
            ),
            c.lower_,
        )
        for c in verb.children
        if c.dep_ in {"nsubj", "nsubjpass", "dobj"} and negative_quantifier(c)
    ][:1]


TERM_VERBS = frozenset({"expire", "lapse"})
"""Verbs of a term running out ("the lease expires", "the mandate lapsed")."""


def term_told_ahead(verb: Token) -> list[str]:
    """The verb, if it tells a term's end in the simple present: a schedule, told ahead.

    "The council's mandate, which expires at the end of 2031": the present tense with a date
    states when the term is set to run out, not an end told as done ("the truce expired on
    3 May" is). The row stays, as TimeML keeps such an event at its date, but as `future`.
    """
    if verb.lemma_.lower() not in TERM_VERBS or verb.tag_ not in {"VBZ", "VBP"}:
        return []
    return [] if any(c.dep_ in {"aux", "auxpass"} for c in verb.children) else [verb.lower_]


def modality_of(trigger: Token) -> Modality:
    """Modality and polarity of an event trigger (module docstring)."""
    if trigger.pos_ in {"NOUN", "PROPN"}:
        return _noun_modality(trigger)
    chain = governors(trigger)
    tokens = [trigger, *chain]
    lemmas = [t.lemma_.lower() for t in chain]
    negations = [c.lower_ for t in tokens for c in t.children if c.dep_ == "neg"]
    negations += _no_participant(trigger)
    refusals = [lemma for lemma in lemmas if lemma in REFUSE]
    polarity = "negative" if negations or refusals else "positive"
    cues = tuple(negations + refusals)
    modals = _modals(tokens)
    aim = _aim_of_attempt(trigger)
    checks = (
        ("failed", [lemma for lemma in lemmas if lemma in FAIL]),
        ("failed", _failure_told_after(chain)),
        ("failed", [trigger.head.lower_] if aim == "failed" else []),
        ("attempted", [trigger.head.lower_] if aim == "attempted" else []),
        ("attempted", [lemma for lemma in lemmas if lemma in ATTEMPT]),
        ("hypothetical", _conditions(trigger)),
        ("intended", [lemma for lemma in lemmas if lemma in INTEND]),
        ("intended", ["to be"] if _planned_passive(trigger) else []),
        ("hypothetical", sorted(modals & HYPOTHETICAL_MODALS)),
        ("future", sorted(modals & FUTURE_MODALS) or (["going to"] if _going_to(tokens) else [])),
        ("future", term_told_ahead(trigger)),
    )
    for modality, found in checks:
        if found:
            return Modality(modality, polarity, (*cues, *found))
    return Modality("asserted", polarity, cues)


def deontic(trigger: Token) -> bool:
    """'must' or 'should' on the trigger or its governors: an obligation someone states."""
    return bool(_modals([trigger, *governors(trigger)]) & {"must", "should"})
