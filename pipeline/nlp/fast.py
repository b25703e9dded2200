"""Faster drop-ins for the model's attribute ruler and lemmatizer: the same attributes, sooner.

Both components run on every token. spaCy's attribute ruler finds its rules' matches with the
general `Matcher`, then sets each matched token's attributes through a Python `Span` per
match; the rule lemmatizer looks at each token's part of speech and morphology through Python
objects. Their results depend on a few token attributes only, so each drop-in reads those
attributes for the whole Doc at once (`Doc.to_array`), looks up the answer in a memo keyed by
them, and writes the answers back at once (`Doc.from_array`).

- `FastAttributeRuler` is built at load time from the loaded model's own rules (patterns,
  attributes and indices), never from a copy of them. It applies them as spaCy does: every
  rule's matches are found on the Doc as it came in, then the rules are applied in the order
  they were added, a later rule overriding what an earlier one set. A model whose rules use
  something it cannot express exactly (quantifiers, extension attributes, predicates other
  than equality, IN, NOT_IN and REGEX, setting attributes other than POS, TAG, MORPH, LEMMA
  and DEP) keeps spaCy's own component.
- `MemoLemmatizer` wraps spaCy's `Lemmatizer` or `EnglishLemmatizer`. Their lemma of a token
  reads only its text, part of speech and morphology (`Lemmatizer.rule_lemmatize` and
  `lookup_lemmatize`, `EnglishLemmatizer.is_base_form`), plus the fixed lookup tables; so a
  lemma computed once for (orth, pos, morph) is the lemma of every such token. Another
  lemmatizer class may read more, and is kept as it is.

`pipeline.core.model.load_model(name, replace=REPLACEMENTS)` puts them in place of the
components they are built from, under the same names. `tests/unit/nlp/test_fast.py` checks
that they give the stock components' attributes, and `benchmarks/components.py --identity`
compares every stored attribute of a corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, IDS, LEMMA, LOWER, MORPH, NORM, ORTH, POS, PREFIX, SHAPE, SUFFIX, TAG
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer, Pipe
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

REPLACEMENTS = {
    "attribute_ruler": "chronicle_fast_attribute_ruler",
    "lemmatizer": "chronicle_memo_lemmatizer",
}
"""For each component name, the factory of its drop-in (`pipeline.core.model.load_model`)."""

TESTED = frozenset(
    {ORTH, LOWER, NORM, SHAPE, PREFIX, SUFFIX, TAG, POS, DEP, LEMMA}
    | {i for name, i in IDS.items() if name.startswith(("IS_", "LIKE_")) and i < 64}
)
"""Token attributes a rule may test: those `Doc.to_array` reads as the `Matcher` does (MORPH,
SENT_START and the entity attributes have special cases in the `Matcher`, so are left out)."""

SET = (POS, TAG, MORPH, LEMMA, DEP)
"""Attributes a rule may set: spaCy sets them on the token only, as `Doc.from_array` does."""

Predicate = Callable[[int], bool]
Test = int | Predicate
"""What a token pattern requires of one attribute: a value's hash, or a predicate on it."""


class Unsupported(ValueError):
    """A rule this module cannot apply exactly as spaCy does."""


def _tests(value: object, vocab: Vocab) -> list[Test]:
    """What one attribute of a token pattern requires, as the `Matcher` reads it.

    A string is compared by its hash, a boolean as 0 or 1; IN and NOT_IN compare hashes
    (`get_string_id`), REGEX searches the attribute's string.
    """
    if isinstance(value, str):
        return [vocab.strings.add(value)]
    if isinstance(value, bool | int):
        return [int(value)]
    if not isinstance(value, dict):
        raise Unsupported(f"value {value!r}")
    found: list[Test] = []
    for op, operand in value.items():
        op = op.upper()
        if op in ("IN", "NOT_IN") and isinstance(operand, list | tuple):
            wanted = frozenset(get_string_id(v) for v in operand)
            found.append(wanted.__contains__ if op == "IN" else lambda v, w=wanted: v not in w)
        elif op == "REGEX" and isinstance(operand, str):
            found.append(lambda v, rx=re.compile(operand): bool(rx.search(vocab.strings[v])))
        else:
            raise Unsupported(f"predicate {op} {operand!r}")
    return found


def _attr_id(key: object) -> int:
    """The attribute a pattern key names (``TEXT`` is ``ORTH``), if a rule may test it."""
    if not isinstance(key, str):
        raise Unsupported(f"key {key!r}")
    name = "ORTH" if key.upper() == "TEXT" else key.upper()
    if IDS.get(name) not in TESTED:
        raise Unsupported(f"attribute {key!r}")
    return IDS[name]


@dataclass(frozen=True)
class Rule:
    """One rule of the ruler: where it matches and what it sets on the token it points at."""

    order: int
    """Its place among the rules: a later rule overrides an earlier one."""
    patterns: tuple[tuple[int, ...], ...]
    """Each pattern as its token specs' ids (`Rules.specs`), one per token."""
    targets: tuple[int, ...]
    """For each pattern, the position of the token whose attributes the rule sets."""
    values: tuple[tuple[int, int], ...]
    """(attribute, value) pairs it sets, as spaCy normalised them."""


class Rules:
    """An attribute ruler's rules, compiled: each token spec as the tests it needs to pass."""

    def __init__(self, stock: AttributeRuler) -> None:
        self.vocab = stock.vocab
        self.tests: list[tuple[int, Test]] = []
        """Every test of every spec: (attribute, test); a test's id is its index."""
        self.specs: list[frozenset[int]] = []
        """Each distinct token spec, as the ids of the tests a token must pass."""
        self._spec_ids: dict[str, int] = {}
        self.rules = [self._rule(i, p, stock) for i, p in enumerate(stock.patterns)]
        self.tested = sorted({attr for attr, _ in self.tests})
        self._equal: dict[tuple[int, int], list[int]] = {}
        self._checks: dict[int, list[tuple[int, Predicate]]] = {}
        self._sets: dict[frozenset[int], frozenset[int]] = {}
        for i, (attr, test) in enumerate(self.tests):
            if isinstance(test, int):
                self._equal.setdefault((attr, test), []).append(i)
            else:
                self._checks.setdefault(attr, []).append((i, test))

    def _spec(self, spec: object) -> int:
        """The id of a token spec (equal specs share one)."""
        if not isinstance(spec, dict):
            raise Unsupported(f"token spec {spec!r}")
        key = repr(sorted(spec.items(), key=repr))
        if key not in self._spec_ids:
            first = len(self.tests)
            for name, value in spec.items():
                self.tests += [(_attr_id(name), t) for t in _tests(value, self.vocab)]
            self._spec_ids[key] = len(self.specs)
            self.specs.append(frozenset(range(first, len(self.tests))))
        return self._spec_ids[key]

    def _rule(self, order: int, pattern: dict, stock: AttributeRuler) -> Rule:
        """Rule `order` of the stock ruler, or `Unsupported`."""
        attrs, index = stock.attrs[order], stock.indices[order]
        if not set(attrs) <= set(SET):
            raise Unsupported(f"sets {sorted(map(str, attrs))}")
        patterns = tuple(tuple(self._spec(s) for s in p) for p in pattern["patterns"])
        if not all(-len(p) <= index < len(p) for p in patterns):
            raise Unsupported(f"index {index} outside a pattern")
        targets = tuple(index % len(p) for p in patterns)
        return Rule(order, patterns, targets, tuple(sorted(attrs.items())))

    def passed(self, attr: int, value: int) -> frozenset[int]:
        """The tests on `attr` that a token whose `attr` is `value` passes.

        One object per set of tests: most words pass the same few.
        """
        found = self._equal.get((attr, value), [])
        found = frozenset(found + [i for i, check in self._checks.get(attr, []) if check(value)])
        return self._sets.setdefault(found, found)


def compile_rules(stock: AttributeRuler) -> Rules | None:
    """The stock ruler's rules compiled, or None when one cannot be applied exactly."""
    try:
        return Rules(stock)
    except Unsupported:
        return None


MEMO_LIMIT = 200_000
"""Entries a memo holds before it starts afresh: a worker parsing a huge corpus meets ever
more words, and a memo of them all would grow with the corpus, not with a batch."""


class _Memo(dict):
    """A dict that computes a missing value with `compute` and keeps it (`MEMO_LIMIT`)."""

    def __init__(self, compute: Callable) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: object) -> object:
        if len(self) >= MEMO_LIMIT:
            self.clear()
        value = self[key] = self.compute(key)
        return value


@dataclass(frozen=True)
class TokenMatch:
    """What the rules see of a token: the specs it satisfies, and what follows from them."""

    specs: frozenset[int]
    single: tuple[int, ...]
    """The one-token rules that set its attributes (by `Rule.order`)."""
    starts: tuple[int, ...]
    """Patterns of several tokens (by index in `FastAttributeRuler.longer`) it may start."""


class FastAttributeRuler(Pipe):
    """spaCy's attribute ruler, applied through memos instead of the `Matcher`.

    A token's match depends on the tests its tested attributes pass: each attribute value's
    tests are computed once (`Rules.passed`), each combination of them once
    (`_token_match`), and each combination of rules pointing at a token once (`_effect`).
    """

    def __init__(self, stock: AttributeRuler, rules: Rules) -> None:
        self.name, self.vocab, self.stock, self.rules = stock.name, stock.vocab, stock, rules
        self.longer = [
            (rule.order, pattern, target)
            for rule in rules.rules
            for pattern, target in zip(rule.patterns, rule.targets, strict=True)
            if len(pattern) > 1
        ]
        self.set_attrs = sorted({attr for rule in rules.rules for attr, _ in rule.values})
        self._columns = {attr: i for i, attr in enumerate(self.set_attrs)}
        self._passed = [_Memo(lambda v, a=attr: rules.passed(a, v)) for attr in rules.tested]
        self._matches = _Memo(self._token_match)
        self._effects = _Memo(self._effect)

    def _token_match(self, passed: tuple[frozenset[int], ...]) -> TokenMatch:
        """The specs satisfied by a token whose tested attributes pass the tests `passed`."""
        union = frozenset().union(*passed)
        specs = frozenset(i for i, spec in enumerate(self.rules.specs) if spec <= union)
        single = tuple(
            rule.order
            for rule in self.rules.rules
            if any(len(p) == 1 and p[0] in specs for p in rule.patterns)
        )
        starts = tuple(i for i, (_, p, _) in enumerate(self.longer) if p[0] in specs)
        return TokenMatch(specs, single, starts)

    def _effect(self, orders: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
        """(column, value) to write for a token the rules `orders` point at, in spaCy's order."""
        final: dict[int, int] = {}
        for order in sorted(set(orders)):
            final.update(self.rules.rules[order].values)
        return tuple((self._columns[attr], value) for attr, value in final.items())

    def _matches_of(self, doc: Doc) -> list[TokenMatch]:
        """Each token's `TokenMatch`, from its tested attributes as the Doc came in."""
        values = doc.to_array(self.rules.tested).reshape(len(doc), -1).T.tolist()
        passed = [
            list(map(memo.__getitem__, col)) for memo, col in zip(self._passed, values, strict=True)
        ]
        return list(map(self._matches.__getitem__, zip(*passed, strict=True)))

    def _orders(self, matches: list[TokenMatch]) -> list[tuple[int, ...]]:
        """For each token, the rules that set its attributes: one-token ones, then longer."""
        orders = [m.single for m in matches]
        for start, match in enumerate(matches):
            for which in match.starts:
                order, pattern, target = self.longer[which]
                end = start + len(pattern)
                if end <= len(matches) and all(
                    spec in matches[start + k].specs for k, spec in enumerate(pattern)
                ):
                    orders[start + target] += (order,)
        return orders

    def __call__(self, doc: Doc) -> Doc:
        """Set each token's attributes as spaCy's attribute ruler would."""
        if not len(doc) or not self.set_attrs:
            return doc
        try:
            rows = doc.to_array(self.set_attrs).reshape(len(doc), -1).tolist()
            for row, orders in zip(rows, self._orders(self._matches_of(doc)), strict=True):
                for column, value in self._effects[orders] if orders else ():
                    row[column] = value
            doc.from_array(self.set_attrs, numpy.array(rows, dtype=numpy.uint64))
            return doc
        except Exception as err:
            return self.get_error_handler()(self.name, self, [doc], err)


class WordIndex(list):
    """A lemma index's list of words, whose ``in`` asks a set: the same answers, at once.

    `Lemmatizer.rule_lemmatize` asks ``form in index`` for each candidate form, and spaCy
    keeps each index (tens of thousands of words) as a list, so each question scans it.
    """

    def __init__(self, words: list[str]) -> None:
        super().__init__(words)
        self.words = frozenset(words)

    def __contains__(self, word: object) -> bool:
        return word in self.words


class MemoLemmatizer(Pipe):
    """spaCy's rule or lookup lemmatizer, with each (orth, pos, morph)'s lemma computed once.

    A lemma not yet known is the stock component's own (`Lemmatizer.lemmatize`), whose lemma
    index is given `WordIndex` lists.
    """

    def __init__(self, stock: Lemmatizer) -> None:
        self.name, self.vocab, self.stock = stock.name, stock.vocab, stock
        self._lemmas: dict[tuple[int, int, int], int] = {}
        if "lemma_index" in stock.lookups:
            index = stock.lookups.get_table("lemma_index")
            for pos in list(index):
                index[pos] = WordIndex(index[pos])

    def _lemma(self, doc: Doc, i: int, key: tuple[int, int, int]) -> int:
        """The stock lemma of token `i`, as the hash it stores, kept for its key."""
        if len(self._lemmas) >= MEMO_LIMIT:
            self._lemmas.clear()
        lemma = self._lemmas[key] = self.vocab.strings.add(self.stock.lemmatize(doc[i])[0])
        return lemma

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemmas the stock lemmatizer would (of unset ones, or all if it overwrites)."""
        if not self.stock._validated:
            self.stock._validate_tables(Errors.E1004)
        if not len(doc):
            return doc
        try:
            lemmas = []
            for i, (orth, pos, morph, lemma) in enumerate(
                doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
            ):
                if self.stock.overwrite or lemma == 0:
                    lemma = self._lemmas.get((orth, pos, morph)) or self._lemma(
                        doc, i, (orth, pos, morph)
                    )
                lemmas.append(lemma)
            doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))
            return doc
        except Exception as err:
            return self.get_error_handler()(self.name, self, [doc], err)


@Language.factory("chronicle_fast_attribute_ruler", default_config={"source": "attribute_ruler"})
def make_fast_attribute_ruler(nlp: Language, name: str, source: str) -> Pipe:
    """A `FastAttributeRuler` from the pipeline's component `source`, or that component.

    The component itself is kept when it is not spaCy's attribute ruler, or has a rule this
    module cannot apply exactly.
    """
    stock = nlp.get_pipe(source)
    rules = compile_rules(stock) if type(stock) is AttributeRuler else None
    return FastAttributeRuler(stock, rules) if rules is not None else stock


@Language.factory("chronicle_memo_lemmatizer", default_config={"source": "lemmatizer"})
def make_memo_lemmatizer(nlp: Language, name: str, source: str) -> Pipe:
    """A `MemoLemmatizer` around the pipeline's component `source`, or that component.

    Only spaCy's rule or lookup lemmatizer (English or generic) is wrapped: another class may
    read more of a token than its text, part of speech and morphology.
    """
    stock = nlp.get_pipe(source)
    exact = type(stock) in (Lemmatizer, EnglishLemmatizer) and stock.mode in ("rule", "lookup")
    return MemoLemmatizer(stock) if exact else stock
