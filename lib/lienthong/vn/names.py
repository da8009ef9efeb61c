"""Vietnamese personal names: one canonical spelling, tone-less and ASCII forms, matching.

Why this exists: the same person's "Họ và tên" reaches the identity service spelled in
several ways that people read as identical: tone marks placed old-style (``hòa``, ``thủy``)
or new-style (``hoà``, ``thuỷ``), precomposed or decomposed Unicode, an Icelandic ``Ð``
typed for ``Đ``, stray spaces and capitals, or legacy TCVN3/VNI bytes shown as Latin-1
(see ``legacy_encodings``). The 2022 Quảng Ngãi report traces failed health-insurance
look-ups by CCCD to exactly this "font error" in the name field. Comparing such names
byte by byte raises false mismatches and hides real duplicates, so every comparison goes
through the functions here.

Canonical tone placement (``normalize_name``) follows the "new style" rule: the tone sits
on the main vowel of the syllable, never on the glide before it.

1. ``qu`` and ``gi`` (before another vowel) are onsets: ``quý``, ``già``, ``giữ``.
2. A vowel with a quality mark (ă â ê ô ơ ư) takes the tone; in ``ươ`` it is ``ơ``:
   ``tuấn``, ``thuế``, ``nguyễn``, ``trường``, ``hữu``.
3. Otherwise, with a final consonant, the last vowel takes it: ``hoàng``, ``huỳnh``.
4. Otherwise, open ``oa``, ``oe``, ``uy`` put it on the second vowel (``hoà``, ``khoẻ``,
   ``thuỷ``); other two-vowel rhymes on the first (``tài``, ``múa``, ``nghĩa``); three-vowel
   rhymes on the middle one (``ngoài``, ``khuỷu``).

A syllable that is not Vietnamese (a foreign or ethnic-minority name, an initial) keeps its
tone where it was typed: the rule is only applied where it is known to hold.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz

SIMILARITY_THRESHOLD: Final = 85.0

GRAVE: Final = "\u0300"
ACUTE: Final = "\u0301"
TILDE: Final = "\u0303"
HOOK_ABOVE: Final = "\u0309"
DOT_BELOW: Final = "\u0323"
CIRCUMFLEX: Final = "\u0302"
BREVE: Final = "\u0306"
HORN: Final = "\u031b"

TONE_MARKS: Final = frozenset({GRAVE, ACUTE, TILDE, HOOK_ABOVE, DOT_BELOW})
_QUALITY_MARKS: Final = frozenset({CIRCUMFLEX, BREVE, HORN})
_WITH_QUALITY_MARK: Final = {
    ("a", BREVE): "ă",
    ("a", CIRCUMFLEX): "â",
    ("e", CIRCUMFLEX): "ê",
    ("o", CIRCUMFLEX): "ô",
    ("o", HORN): "ơ",
    ("u", HORN): "ư",
}
_D_LOOK_ALIKES: Final = str.maketrans({"Ð": "Đ", "Ɖ": "Đ", "ð": "đ", "ɖ": "đ"})
_ASCII_D: Final = str.maketrans({"Đ": "D", "Ð": "D", "Ɖ": "D", "đ": "d", "ð": "d", "ɖ": "d"})

_VOWELS: Final = frozenset("aăâeêioôơuưy")
_QUALITY_VOWELS: Final = frozenset("ăâêôơư")
_ONSETS: Final = (
    "ngh",
    "ch",
    "gh",
    "gi",
    "kh",
    "ng",
    "nh",
    "ph",
    "qu",
    "th",
    "tr",
    "b",
    "c",
    "d",
    "đ",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "x",
)
_CODAS: Final = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})
_STOP_CODAS: Final = frozenset({"c", "ch", "p", "t"})
# "oo" (xoong, boong) is left out on purpose: it occurs only in loanwords, never in names,
# and admitting it lets TCVN3 misread VNI "Coâng" (Công) as "Coõng".
_RHYMES_NEEDING_CODA: Final = frozenset({"ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê"})
_RHYMES_WITHOUT_CODA: Final = frozenset(
    {
        "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua",
        "ui", "uơ", "ưa", "ưi", "ưu", "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya",
        "uyu", "ươi", "ươu", "yêu",
    }
)  # fmt: skip
_RHYMES_EITHER_WAY: Final = frozenset(
    {"a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy"}
)
_NUCLEI: Final = _RHYMES_NEEDING_CODA | _RHYMES_WITHOUT_CODA | _RHYMES_EITHER_WAY
_GLIDE_THEN_MAIN_VOWEL: Final = frozenset({"oa", "oe", "uy"})


class MatchLevel(enum.Enum):
    """How two names are equal, strongest first."""

    EXACT = "EXACT"
    NORMALIZED = "NORMALIZED"
    WITHOUT_TONES = "WITHOUT_TONES"
    SIMILAR = "SIMILAR"
    DIFFERENT = "DIFFERENT"


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The strongest level at which two names agree.

    ``score`` (0-100) is the fuzzy similarity of the ASCII-folded forms, the best of plain
    and word-order-insensitive ratios: 100 for every level above ``SIMILAR``.
    """

    level: MatchLevel
    score: float


@dataclass(frozen=True, slots=True)
class _Letter:
    base: str
    tone: str | None


@dataclass(frozen=True, slots=True)
class _Syllable:
    onset: str
    nucleus: str
    coda: str

    def tone_index(self) -> int:
        """Position, in the whole syllable, of the vowel that carries the tone."""
        marked = [i for i, vowel in enumerate(self.nucleus) if vowel in _QUALITY_VOWELS]
        if marked:
            index = marked[-1]
        elif self.coda or len(self.nucleus) == 1:
            index = len(self.nucleus) - 1
        elif len(self.nucleus) == 3:
            index = 1
        else:
            index = 1 if self.nucleus in _GLIDE_THEN_MAIN_VOWEL else 0
        return len(self.onset) + index

    def accepted_tone_indexes(self) -> frozenset[int]:
        """Where careful writers put the tone: the rule above, or old style for open
        ``oa``/``oe``/``uy`` (``hòa``, ``thủy``)."""
        old_style = len(self.onset)
        if not self.coda and self.nucleus in _GLIDE_THEN_MAIN_VOWEL:
            return frozenset({self.tone_index(), old_style})
        return frozenset({self.tone_index()})

    def allows(self, tone: str | None) -> bool:
        """Syllables closed by p, t, c or ch carry only the sắc or nặng tone."""
        return self.coda not in _STOP_CODAS or tone in (ACUTE, DOT_BELOW)


def normalize_name(text: str) -> str:
    """The canonical spelling of a name, for display and for comparison.

    NFC; tone marks re-placed by the rule in the module docstring (whatever the input
    order of combining marks); ``Ð``/``Ɖ``/``ð`` look-alikes mapped to ``Đ``/``đ``;
    invisible format characters dropped; whitespace collapsed and stripped; each syllable
    lower-case with its first letter capitalised (also after ``-`` or ``'``). Legacy
    TCVN3/VNI text must be repaired first (``legacy_encodings.repair_legacy_text``).
    """
    visible = "".join(
        character
        for character in text.translate(_D_LOOK_ALIKES)
        if unicodedata.category(character) != "Cf"
    )
    return " ".join(_normalize_word(word) for word in visible.split())


def strip_tones(text: str) -> str:
    """``text`` without the five tone marks, keeping â ă ê ô ơ ư and đ (and case), NFC."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(character for character in decomposed if character not in TONE_MARKS)
    return unicodedata.normalize("NFC", kept)


def ascii_fold(text: str) -> str:
    """``text`` without any diacritic and with đ/Đ (and look-alikes) as d/D; case kept."""
    decomposed = unicodedata.normalize("NFD", text.translate(_ASCII_D))
    kept = "".join(character for character in decomposed if not unicodedata.combining(character))
    return unicodedata.normalize("NFC", kept)


def name_key(text: str) -> str:
    """Blocking key for duplicate search: repaired, normalized, ASCII-folded, lower-case."""
    return " ".join(ascii_fold(_comparable(text)).split())


def compare_names(a: str, b: str, *, threshold: float = SIMILARITY_THRESHOLD) -> NameMatch:
    """The strongest level at which names ``a`` and ``b`` agree.

    ``EXACT``: identical strings. ``NORMALIZED``: equal after legacy repair and
    ``normalize_name``, ignoring case. ``WITHOUT_TONES``: equal once tones are stripped too.
    ``SIMILAR``: ASCII-folded forms score at least ``threshold``, in either word order (a
    family name written last still matches). ``DIFFERENT`` otherwise.

    When the names do not agree as detected, the TCVN3 and VNI readings of each side
    (``legacy_encodings.legacy_readings``) are compared too, and the best level wins: legacy
    text that also spells valid Unicode (VNI ``Thò`` for "Thị") is only recognisable against
    the name it should equal.
    """
    match = _compare_as_typed(a, b, threshold)
    if match.level in (MatchLevel.EXACT, MatchLevel.NORMALIZED):
        return match
    for reading_a, reading_b in _readings(a, b):
        other = _compare_as_typed(reading_a, reading_b, threshold)
        if other.level is MatchLevel.EXACT:
            other = NameMatch(MatchLevel.NORMALIZED, 100.0)
        if _LEVEL_RANK[other.level] < _LEVEL_RANK[match.level] or (
            other.level is match.level and other.score > match.score
        ):
            match = other
    return match


def same_name(a: str, b: str, match: NameMatch | None = None) -> bool:
    """Whether ``a`` and ``b`` are one name written differently (not two different names).

    True at levels ``EXACT`` and ``NORMALIZED``; at ``WITHOUT_TONES`` when one side carries
    no tone mark at all (tones lost, not changed: ``Thuỳ``/``Thuỷ`` are two names); and for
    two ``SIMILAR`` cases that change no letter: the same words in another order (a family
    name written last), and one side written without any diacritic with the same letters
    (an ASCII-only system, a card's QR code). A changed letter (a typo) is a different name:
    the data differ and one side needs correcting. ``match``: ``compare_names(a, b)`` if the
    caller has it already. The legacy readings of both sides are tried as in
    ``compare_names``.
    """
    match = match or compare_names(a, b)
    if match.level in (MatchLevel.EXACT, MatchLevel.NORMALIZED):
        return True
    if match.level is MatchLevel.DIFFERENT:
        return False
    if _same_as_typed(a, b, _compare_as_typed(a, b, SIMILARITY_THRESHOLD)):
        return True
    return any(
        _same_as_typed(ra, rb, _compare_as_typed(ra, rb, SIMILARITY_THRESHOLD))
        for ra, rb in _readings(a, b)
    )


_LEVEL_RANK: Final = {level: rank for rank, level in enumerate(MatchLevel)}


def _readings(a: str, b: str) -> list[tuple[str, str]]:
    from lienthong.vn.legacy_encodings import legacy_readings

    readings_a = (a, *legacy_readings(a))
    readings_b = (b, *legacy_readings(b))
    return [(ra, rb) for ra in readings_a for rb in readings_b if (ra, rb) != (a, b)]


def _compare_as_typed(a: str, b: str, threshold: float) -> NameMatch:
    if a == b:
        return NameMatch(MatchLevel.EXACT, 100.0)
    comparable_a, comparable_b = _comparable(a), _comparable(b)
    if comparable_a == comparable_b:
        return NameMatch(MatchLevel.NORMALIZED, 100.0)
    if strip_tones(comparable_a) == strip_tones(comparable_b):
        return NameMatch(MatchLevel.WITHOUT_TONES, 100.0)
    folded_a, folded_b = ascii_fold(comparable_a), ascii_fold(comparable_b)
    score = max(fuzz.ratio(folded_a, folded_b), fuzz.token_sort_ratio(folded_a, folded_b))
    level = MatchLevel.SIMILAR if score >= threshold else MatchLevel.DIFFERENT
    return NameMatch(level, score)


def _same_as_typed(a: str, b: str, match: NameMatch) -> bool:
    if match.level in (MatchLevel.EXACT, MatchLevel.NORMALIZED):
        return True
    if match.level is MatchLevel.WITHOUT_TONES:
        comparable_a, comparable_b = _comparable(a), _comparable(b)
        return strip_tones(comparable_a) in (comparable_a, comparable_b) or (
            strip_tones(comparable_b) == comparable_b
        )
    if match.level is not MatchLevel.SIMILAR:
        return False
    comparable_a, comparable_b = _comparable(a), _comparable(b)
    if sorted(strip_tones(comparable_a).split()) == sorted(strip_tones(comparable_b).split()):
        return True
    return (a.isascii() or b.isascii()) and sorted(name_key(a).split()) == sorted(
        name_key(b).split()
    )


def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` (any case, marks in any order) is one well-spelled Vietnamese
    syllable: a known onset, vowel group and final consonant, at most one tone, placed
    new- or old-style, and only sắc or nặng after a final p, t, c or ch."""
    letters = _letters(word)
    if letters is None:
        return False
    syllable = _parse_syllable(_bare(letters))
    toned = [(index, letter.tone) for index, letter in enumerate(letters) if letter.tone]
    if syllable is None or len(toned) > 1:
        return False
    if not toned:
        return syllable.allows(None)
    index, tone = toned[0]
    return index in syllable.accepted_tone_indexes() and syllable.allows(tone)


@lru_cache(maxsize=65_536)
def _comparable(text: str) -> str:
    # Cached: the same held and stated names are compared many times (a candidate block,
    # a dossier's retries); repair and respelling are the costly part of a comparison.
    # Imported here because legacy_encodings validates its guesses with this module's
    # syllable grammar; a top-level import would be circular.
    from lienthong.vn.legacy_encodings import repair_legacy_text

    return normalize_name(repair_legacy_text(text)).casefold()


def _normalize_word(word: str) -> str:
    pieces: list[str] = []
    run: list[str] = []
    for character in unicodedata.normalize("NFD", word):
        if character.isalpha() or unicodedata.category(character).startswith("M"):
            run.append(character)
            continue
        if run:
            pieces.append(_capitalized(_respell_syllable("".join(run))))
            run = []
        pieces.append(character)
    if run:
        pieces.append(_capitalized(_respell_syllable("".join(run))))
    return unicodedata.normalize("NFC", "".join(pieces))


def _capitalized(syllable: str) -> str:
    return syllable[:1].upper() + syllable[1:]


def _respell_syllable(run: str) -> str:
    letters = _letters(run)
    if letters is None:
        return unicodedata.normalize("NFC", run).lower()
    tones = [letter.tone for letter in letters if letter.tone is not None]
    syllable = _parse_syllable(_bare(letters)) if tones and _tones_on_vowels(letters) else None
    if syllable is None:
        return "".join(_compose(letter.base, letter.tone) for letter in letters)
    tone_index = syllable.tone_index()
    return "".join(
        _compose(letter.base, tones[-1] if index == tone_index else None)
        for index, letter in enumerate(letters)
    )


def _letters(text: str) -> tuple[_Letter, ...] | None:
    """Each letter as (lower-case base with its quality mark, tone), or None when the
    text carries a mark Vietnamese does not use or a mark with no letter before it.
    When a letter carries two tones, the last one typed wins."""
    groups: list[tuple[str, list[str]]] = []
    for character in unicodedata.normalize("NFD", text):
        if unicodedata.category(character).startswith("M"):
            if not groups:
                return None
            groups[-1][1].append(character)
        else:
            groups.append((character, []))
    letters: list[_Letter] = []
    for base, marks in groups:
        tones = [mark for mark in marks if mark in TONE_MARKS]
        qualities = {mark for mark in marks if mark in _QUALITY_MARKS}
        if len(tones) + len(qualities) < len(marks) or len(qualities) > 1:
            return None
        lower = base.lower()
        if qualities:
            with_quality = _WITH_QUALITY_MARK.get((lower, qualities.pop()))
            if with_quality is None:
                return None
            lower = with_quality
        letters.append(_Letter(lower, tones[-1] if tones else None))
    return tuple(letters)


def _tones_on_vowels(letters: tuple[_Letter, ...]) -> bool:
    return all(letter.tone is None or letter.base in _VOWELS for letter in letters)


def _bare(letters: tuple[_Letter, ...]) -> str:
    return "".join(letter.base for letter in letters)


def _compose(base: str, tone: str | None) -> str:
    return unicodedata.normalize("NFC", base + tone) if tone else base


def _parse_syllable(bare: str) -> _Syllable | None:
    """Split a lower-case, tone-less syllable into onset, vowel nucleus and final consonant;
    None when it is not a well-formed Vietnamese syllable."""
    onset = _onset(bare)
    rest = bare[len(onset) :]
    nucleus_length = 0
    while nucleus_length < len(rest) and rest[nucleus_length] in _VOWELS:
        nucleus_length += 1
    nucleus, coda = rest[:nucleus_length], rest[nucleus_length:]
    if nucleus not in _NUCLEI or coda not in _CODAS:
        return None
    if coda and nucleus in _RHYMES_WITHOUT_CODA:
        return None
    if not coda and nucleus in _RHYMES_NEEDING_CODA:
        return None
    return _Syllable(onset, nucleus, coda)


def _onset(bare: str) -> str:
    for onset in _ONSETS:
        if not bare.startswith(onset):
            continue
        if onset in ("gi", "qu") and (len(bare) == len(onset) or bare[len(onset)] not in _VOWELS):
            continue
        return onset
    return ""
