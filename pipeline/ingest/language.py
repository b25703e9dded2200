"""Which language a document is written in, detected offline; the text is never changed by it.

The detector is py3langid (a naive Bayes model over byte n-grams for 97 languages, shipped inside
the wheel, deterministic). The pipeline's model is English, so a document in another language
is kept and flagged in `documents.language` rather than rejected or "repaired" into English.
"""

from __future__ import annotations

import functools
import re
import unicodedata

UNDETERMINED = "und"
"""ISO 639-2 code for "undetermined": too little text, or no language stands out."""

MIN_CONFIDENCE = 0.5
"""Smallest probability of the best language for it to be reported (short texts fall below)."""

SAMPLE_CHARS = 2_000
"""Characters read from the start, middle and end of a long text: a few hundred characters
already identify a language; three windows cope with a foreign preface or appendix, and the
time per document stays bounded (the detector is pure Python)."""

ENGLISH_OR_UNKNOWN = frozenset({"en", UNDETERMINED})
"""Languages the English-dictionary repairs may touch."""


@functools.cache
def _identifier():  # py3langid has no type hints
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def sample(text: str) -> str:
    """The whole text if short, else three windows of SAMPLE_CHARS (start, middle, end)."""
    if len(text) <= 3 * SAMPLE_CHARS:
        return text
    middle = len(text) // 2 - SAMPLE_CHARS // 2
    return "\n".join(
        (text[:SAMPLE_CHARS], text[middle : middle + SAMPLE_CHARS], text[-SAMPLE_CHARS:])
    )


def detect_language(text: str) -> str:
    """ISO 639 code of the text's language ("en", "fr", "ru"...), or "und" when unsure."""
    window = sample(text)
    if not any(char.isalpha() for char in window):
        return UNDETERMINED
    language, confidence = _identifier().classify(window)
    return language if confidence >= MIN_CONFIDENCE else UNDETERMINED


def best_language(text: str) -> tuple[str, float]:
    """The most likely language of a text and its probability, however low.

    For choosing how to decode a text, where a guess is better than none.
    """
    language, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return str(language), float(probability)


LATIN_LETTERS = {
    "en": "àâäáãåæçèéêëìíîïñòóôöõøùúûüýÿœß",
    "fr": "àâæçèéêëîïôœùûüÿ",
    "de": "äöüßé",
    "es": "áéíñóúü",
    "it": "àèéìíîòóùú",
    "pt": "áâãàçéêíóôõú",
    "ca": "àçèéíïòóúü",
    "nl": "áéëïóöüèê",
    "sv": "åäöé",
    "da": "æøåé",
    "no": "æøåéèóô",
    "nb": "æøåéèóô",
    "nn": "æøåéèóô",
    "fi": "åäöšž",
    "is": "áðéíóúýþæö",
    "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž",
    "sk": "áäčďéíĺľňóôŕšťúýž",
    "hu": "áéíóöőúüű",
    "sl": "čšžćđ",
    "hr": "čćđšž",
    "bs": "čćđšž",
    "ro": "ăâîșțşţ",
    "sq": "çë",
    "tr": "çğıöşüâîûi̇",
    "lt": "ąčęėįšųūž",
    "lv": "āčēģīķļņšūž",
    "et": "äöõüšž",
    "fo": "áðíóúýæø",
    "ga": "áéíóú",
    "cy": "âêîôûŵŷäëïöüáéíóúàèìòù",
    "eu": "ñü",
    "gl": "áéíóúñü",
    "af": "êëéèôöûüîï",
    "lb": "äëéöü",
    "la": "",
    "oc": "àèéíòóúçï",
    "br": "ñùêâîôû",
    "wa": "åâêîôûéèç",
    "id": "",
    "ms": "",
}
"""The letters beyond ASCII each Latin-script language writes (lower case): in text detected as
Polish, a "³" or an "ê" is a sign of a wrong code page ("Wa³êsa" for "Wałęsa")."""

SCRIPT_OF_LANGUAGE = {
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg"), ("CYRILLIC",)),
    "el": ("GREEK",),
    **dict.fromkeys(("he", "yi"), ("HEBREW",)),
    **dict.fromkeys(("ar", "fa", "ur", "ps"), ("ARABIC",)),
    "th": ("THAI",),
    **dict.fromkeys(("zh", "wuu", "yue"), ("CJK",)),
    "ja": ("CJK", "HIRAGANA", "KATAKANA"),
    "ko": ("HANGUL", "CJK"),
}
"""Languages written in other scripts: any letter or mark of these scripts is plausible."""

ODD_SYMBOL_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "No", "Sk", "So"})
"""Unicode categories that stand out in running text: controls, unassigned code points,
superscripts and fractions, spacing accents and box drawings, which are what a text decoded
with the wrong code page is full of ("zosta³", "Ä¹"). The few symbols prose uses are allowed."""

PROSE_SYMBOLS = frozenset("°©®™№§¶")

_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")


EAST_ASIAN_SCRIPTS = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH"})
"""Scripts Chinese, Japanese and Korean mix in one word: one script for `_odd_beside`."""


def _script(char: str) -> str:
    """The script of a letter, as the first word of its Unicode name (LATIN, CYRILLIC...)."""
    script = "LATIN" if char < "\x80" else unicodedata.name(char, "").partition(" ")[0]
    return "CJK" if script in EAST_ASIAN_SCRIPTS else script


RARE_LETTERS = {"el": "ΰΐ"}
"""Letters of a language's script that its texts almost never hold, but that a wrong code page
gives often: the most common Russian letter, "а" in Windows-1251, is "ΰ" in Windows-1253."""


def _odd_letter(char: str, language: str) -> bool:
    """Whether a letter or mark beyond ASCII is foreign to `language` (unknown: never)."""
    if char in RARE_LETTERS.get(language, ""):
        return True
    if language in SCRIPT_OF_LANGUAGE:
        return not unicodedata.name(char, "").startswith(SCRIPT_OF_LANGUAGE[language])
    letters = LATIN_LETTERS.get(language)
    return letters is not None and char.lower() not in letters


THAI_CONSONANTS = re.compile(r"[\u0e01-\u0e2e]")
THAI_LEADING_VOWELS = "\u0e40\u0e41\u0e42\u0e43\u0e44"
"""Thai vowels written before their consonant: never followed by a mark or a non-consonant."""


def _odd_beside(before: str, char: str, after: str) -> bool:
    """Whether a letter or mark is odd between its neighbours.

    Odd: a capital after a small letter ("кАРИБСКИЙ": one Cyrillic code page read as another);
    a letter next to a letter of another script ("Cafй"); a combining mark after anything but a
    letter or mark, or after a Thai leading vowel; a Thai leading vowel before a non-consonant.
    """
    if unicodedata.category(char) == "Mn":
        if "\u0e31" <= char <= "\u0e4e":  # a Thai vowel or tone mark sits on a consonant
            return not (THAI_CONSONANTS.match(before) or unicodedata.category(before) == "Mn")
        return not (before.isalpha() or unicodedata.category(before) == "Mn")
    if char in THAI_LEADING_VOWELS and not THAI_CONSONANTS.match(after):
        return True
    if (before.isalpha() and before.islower() and char.isupper()) or (
        after.isascii() and after.isalpha() and _script(char) != "LATIN"
    ):
        return True
    return before.isalpha() and _script(before) != _script(char)


def implausible_characters(text: str, language: str) -> int:
    """How many characters of `text` beyond ASCII a reader of `language` finds out of place.

    Counted: letters the language does not write, letters odd beside their neighbours (see
    `_odd_beside`), half-width katakana (a Japanese reading of Cyrillic bytes), digits inside
    words, controls and odd symbols (see ODD_SYMBOL_CATEGORIES), and every capital when nearly
    all are capitals (a KOI8-R reading of lower-case text). A text decoded with the right code
    page has few; with a wrong one, many.
    """
    count, capitals, cased = 0, 0, 0
    for match in _BEYOND_ASCII.finditer(text):
        char, at = match.group(), match.start()
        before, after = text[at - 1 : at] or " ", text[at + 1 : at + 2] or " "
        category = unicodedata.category(char)
        if category[0] in "LM":
            count += (
                _odd_letter(char, language)
                or _odd_beside(before, char, after)
                or "\uff61" <= char <= "\uff9f"
            )
            capitals += char.isupper()
            cased += char.isupper() or char.islower()
        elif category == "Nd":  # a digit beyond ASCII inside a word ("๐าษ")
            count += not (before + after).strip(" .,;:!?()").isascii()
        else:
            count += category in ODD_SYMBOL_CATEGORIES and char not in PROSE_SYMBOLS
    return count + (capitals if cased >= MIN_CASED and capitals >= 0.9 * cased else 0)


MIN_CASED = 4
"""Letters with a case a text needs before "nearly all are capitals" counts against it."""
