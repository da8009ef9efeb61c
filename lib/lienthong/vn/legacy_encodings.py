"""Names typed in the legacy TCVN3 (ABC) and VNI fonts, detected and repaired to Unicode.

Why this exists: before Unicode, Vietnamese was typed with font-specific 8-bit encodings.
Records migrated from those systems hold the bytes decoded as Latin-1/cp1252, so
"Nguyễn Văn Hùng" arrives as ``NguyÔn V¨n Hïng`` (TCVN3) or ``Nguyeãn Vaên Huøng`` (VNI).
The 2022 Quảng Ngãi report blames such "font errors" in "Họ và tên" for failed BHYT look-ups
by CCCD. Python has no codec for either encoding, so the tables are built here from the
structure of the Vietnamese alphabet.

TCVN3 (TCVN 5712:1993, VN3): one byte per letter. Ă Â Ê Ô Ơ Ư Đ are 0xA1-0xA7, ă â đ ê ô ơ ư
0xA8-0xAE and the sixty lower-case toned vowels sit in 0xB5-0xFE. There are no upper-case
toned vowels: "capital" fonts draw the lower-case codes as capitals, so repair yields
lower-case toned letters and ``names.normalize_name`` restores the capitals.

VNI (VNI-Windows): a base letter followed by a mark character (``ù ø û õ ï`` for the tones,
``â`` and ``á à å ã ä`` for the circumflex alone and with a tone, ``ê`` and ``é è ú ü ë`` for
the breve), with ``ô``/``ö`` for ơ/ư, ``ñ`` for đ and single characters for toned ``i`` and
``ỵ``. Capitals use the upper-case form of every character.

Detection is deliberately conservative, because repairing a correct Unicode name corrupts
it. Every text with a character beyond Latin-1 (ă, đ, ơ, ư, ạ... or combining marks) is
Unicode, and so is plain ASCII. Otherwise a text is called legacy only when it decodes with
nothing left over and decoding turns words that are not Vietnamese into well-spelled
Vietnamese syllables (``names.is_vietnamese_syllable``). Known limits, all resolved as
"unicode" (left alone): legacy text that is also a well-spelled Unicode name (TCVN3 for
"Cao Dũng" is ``Cao Dòng``), text that reads equally well as TCVN3 and as VNI (``Höng`` is
VNI "Hưng" and TCVN3 "Hửng"), names that are not Vietnamese syllables (some
ethnic-minority names), and text mixing Unicode with legacy characters. Comparisons get
past these limits with ``legacy_readings``: when a stated name does not match the held one
as detected, its TCVN3 and VNI readings are compared too (``names.compare_names``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

from lienthong.vn.names import (
    ACUTE,
    DOT_BELOW,
    GRAVE,
    HOOK_ABOVE,
    TILDE,
    is_vietnamese_syllable,
)

DetectedEncoding = Literal["unicode", "tcvn3", "vni"]
LegacyEncoding = Literal["tcvn3", "vni"]
_LEGACY_ENCODINGS: Final[tuple[LegacyEncoding, ...]] = ("tcvn3", "vni")

_TONES: Final = (GRAVE, HOOK_ABOVE, TILDE, ACUTE, DOT_BELOW)
_TONE_OR_NONE: Final = (None, *_TONES)
_TONED_VOWELS: Final = "aăâeêioôơuưy"

# TCVN3 byte of each toned lower-case vowel, tones in the order of _TONES.
_TCVN3_TONED: Final = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_UNTONED: Final = {
    "Ă": 0xA1,
    "Â": 0xA2,
    "Ê": 0xA3,
    "Ô": 0xA4,
    "Ơ": 0xA5,
    "Ư": 0xA6,
    "Đ": 0xA7,
    "ă": 0xA8,
    "â": 0xA9,
    "ê": 0xAA,
    "ô": 0xAB,
    "ơ": 0xAC,
    "ư": 0xAD,
    "đ": 0xAE,
}

_VNI_TONE: Final = {GRAVE: "ø", HOOK_ABOVE: "û", TILDE: "õ", ACUTE: "ù", DOT_BELOW: "ï"}
_VNI_CIRCUMFLEX: Final = {
    None: "â",
    GRAVE: "à",
    HOOK_ABOVE: "å",
    TILDE: "ã",
    ACUTE: "á",
    DOT_BELOW: "ä",
}
_VNI_BREVE: Final = {None: "ê", GRAVE: "è", HOOK_ABOVE: "ú", TILDE: "ü", ACUTE: "é", DOT_BELOW: "ë"}
_VNI_I: Final = {None: "i", GRAVE: "ì", HOOK_ABOVE: "æ", TILDE: "ó", ACUTE: "í", DOT_BELOW: "ò"}
_VNI_HORN_BASE: Final = {"ơ": "ô", "ư": "ö"}
_VNI_CIRCUMFLEX_BASE: Final = {"â": "a", "ê": "e", "ô": "o"}

_SYLLABLE_SEPARATOR: Final = re.compile(r"[-'’]")
_ASCII_LETTER: Final = re.compile(r"[A-Za-z]")
_CP1252_EXTRAS: Final = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))
_FIRST_LEGACY_CODE: Final = 0xA1
_LAST_LEGACY_CODE: Final = 0xFF


def _toned(vowel: str, tone: str | None) -> str:
    return unicodedata.normalize("NFC", vowel + tone) if tone else vowel


def _build_tcvn3_encoder() -> dict[str, str]:
    table = {letter: chr(code) for letter, code in _TCVN3_UNTONED.items()}
    for vowel, codes in _TCVN3_TONED.items():
        for tone, code in zip(_TONES, codes, strict=True):
            letter = _toned(vowel, tone)
            table[letter] = chr(code)
            table[letter.upper()] = chr(code)
    return table


def _vni_lower(vowel: str, tone: str | None) -> str:
    if vowel == "i":
        return _VNI_I[tone]
    if vowel == "y" and tone == DOT_BELOW:
        return "î"
    if vowel in _VNI_CIRCUMFLEX_BASE:
        return _VNI_CIRCUMFLEX_BASE[vowel] + _VNI_CIRCUMFLEX[tone]
    if vowel == "ă":
        return "a" + _VNI_BREVE[tone]
    base = _VNI_HORN_BASE.get(vowel, vowel)
    return base + (_VNI_TONE[tone] if tone else "")


def _build_vni_encoder() -> dict[str, str]:
    table = {"đ": "ñ", "Đ": "Ñ"}
    for vowel in _TONED_VOWELS:
        for tone in _TONE_OR_NONE:
            letter = _toned(vowel, tone)
            table[letter] = _vni_lower(vowel, tone)
            table[letter.upper()] = _vni_lower(vowel, tone).upper()
    return table


_ENCODERS: Final[Mapping[LegacyEncoding, Mapping[str, str]]] = MappingProxyType(
    {
        "tcvn3": MappingProxyType(_build_tcvn3_encoder()),
        "vni": MappingProxyType(_build_vni_encoder()),
    }
)
# The VNI table spells out the whole alphabet, so its keys are every Vietnamese letter.
_VIETNAMESE_LETTERS: Final = frozenset(_ENCODERS["vni"])


def _build_decoder(encoding: LegacyEncoding) -> dict[str, str]:
    """Legacy sequence -> Unicode letter; a TCVN3 code decodes to its lower-case letter."""
    decoder: dict[str, str] = {}
    for letter, legacy in _ENCODERS[encoding].items():
        if legacy.isascii():
            continue
        if legacy not in decoder or letter.islower():
            decoder[legacy] = letter
    return decoder


_DECODERS: Final[Mapping[LegacyEncoding, Mapping[str, str]]] = MappingProxyType(
    {
        "tcvn3": MappingProxyType(_build_decoder("tcvn3")),
        "vni": MappingProxyType(_build_decoder("vni")),
    }
)
_SIGNATURE_CHARACTERS: Final[Mapping[LegacyEncoding, frozenset[str]]] = MappingProxyType(
    {
        encoding: frozenset(
            character
            for legacy in decoder
            for character in legacy
            if not character.isascii() and character not in _VIETNAMESE_LETTERS
        )
        for encoding, decoder in _DECODERS.items()
    }
)


def detect_legacy_encoding(text: str) -> DetectedEncoding:
    """Which encoding ``text`` was typed in: ``"unicode"`` unless the evidence is clear.

    A legacy verdict needs (1) only characters a Latin-1/cp1252 mis-decoding can produce,
    (2) no character the encoding cannot have produced, and (3) decoding to turn more words
    into well-spelled Vietnamese syllables than were well-spelled as typed, leaving at least
    half of the changed words well-spelled, or all of them when the text holds no character
    of that encoding that Vietnamese Unicode never uses. When TCVN3 and VNI both qualify
    equally the text is left as Unicode.
    """
    if not _could_be_mis_decoded_legacy(text):
        return "unicode"
    best: DetectedEncoding = "unicode"
    best_score = (0, 0)
    tied = False
    for encoding in _LEGACY_ENCODINGS:
        score = _legacy_score(text, encoding)
        if score is None:
            continue
        if score > best_score:
            best, best_score, tied = encoding, score, False
        elif score == best_score:
            tied = True
    return "unicode" if tied else best


def repair_legacy_text(text: str) -> str:
    """``text`` decoded from the legacy encoding it was detected in, NFC; unchanged when
    it is detected as Unicode."""
    encoding = detect_legacy_encoding(text)
    if encoding == "unicode":
        return text
    decoded, _ = _decode(text, _DECODERS[encoding])
    return unicodedata.normalize("NFC", decoded)


def legacy_readings(text: str) -> tuple[str, ...]:
    """How ``text`` reads if it was typed in TCVN3, and if it was typed in VNI, word by word.

    Unlike ``repair_legacy_text`` this makes no judgement: it is for comparing a stated name
    with a held one when the plain comparison failed, where the held name is the evidence.
    It catches legacy text that also spells valid Unicode (VNI ``Thò`` is "Thị", TCVN3
    ``Dòng`` is "Dũng", ``Tó`` is "Tú", ``CÈm`` is "Cẩm"), which detection must leave alone.
    Each word is decoded on its own and kept as typed when a character of it is not of that
    encoding, so a typo or a word typed in Unicode does not stop the rest from being read.
    Readings equal to ``text`` are left out; NFC. A text with a character no Latin-1
    mis-decoding produces (``ư``, ``ễ``, a combining mark...) is Unicode: it has none.
    """
    if any(ord(c) > _LAST_LEGACY_CODE and c not in _CP1252_EXTRAS for c in text):
        return ()
    readings: list[str] = []
    for encoding in _LEGACY_ENCODINGS:
        decoder = _DECODERS[encoding]
        words: list[str] = []
        for word in text.split():
            decoded, leftovers = _decode(word, decoder)
            words.append(word if leftovers else decoded)
        reading = unicodedata.normalize("NFC", " ".join(words))
        if reading != " ".join(text.split()) and reading not in readings:
            readings.append(reading)
    return tuple(readings)


def encode_legacy_text(text: str, encoding: LegacyEncoding) -> str:
    """``text`` as a TCVN3 or VNI font would store it, shown as Latin-1 characters.

    For test fixtures and for feeding legacy systems. TCVN3 has no capital toned vowels, so
    those become lower-case. Raises ``ValueError`` for a character the encoding cannot
    represent.
    """
    encoder = _ENCODERS[encoding]
    pieces: list[str] = []
    for character in unicodedata.normalize("NFC", text):
        if character.isascii():
            pieces.append(character)
        elif character in encoder:
            pieces.append(encoder[character])
        else:
            raise ValueError(f"a character is not representable in {encoding.upper()}")
    return "".join(pieces)


def _could_be_mis_decoded_legacy(text: str) -> bool:
    has_legacy_range = False
    for character in text:
        code = ord(character)
        if code > _LAST_LEGACY_CODE and character not in _CP1252_EXTRAS:
            return False
        has_legacy_range = has_legacy_range or code >= _FIRST_LEGACY_CODE
    return has_legacy_range


def _legacy_score(text: str, encoding: LegacyEncoding) -> tuple[int, int] | None:
    """How well ``text`` reads as ``encoding``, or None if it does not.

    Decoding must turn more words into well-formed syllables than were already well-formed
    as typed, and leave at least half of the changed words well-formed; without a signature
    character, all of them. So ``Leâ Vaên`` is VNI for "Lê Văn", while ``Hoá`` stays the
    Unicode syllable it already is. The score is (words gained, signature characters).
    """
    signature = _SIGNATURE_CHARACTERS[encoding]
    evidence = 0
    changed = 0
    well_formed = 0
    well_formed_as_typed = 0
    for word in text.split():
        if _ASCII_LETTER.search(word):
            evidence += sum(1 for character in word if character in signature)
        decoded, leftovers = _decode(word, _DECODERS[encoding])
        if leftovers:
            return None
        if decoded == word:
            continue
        changed += 1
        well_formed += _is_well_formed(unicodedata.normalize("NFC", decoded))
        well_formed_as_typed += _is_well_formed(word)
    gained = well_formed - well_formed_as_typed
    if gained <= 0 or well_formed * 2 < changed:
        return None
    if evidence == 0 and well_formed < changed:
        return None
    return gained, evidence


def _is_well_formed(word: str) -> bool:
    syllables = [piece for piece in _SYLLABLE_SEPARATOR.split(word) if piece]
    return bool(syllables) and all(is_vietnamese_syllable(piece) for piece in syllables)


def _decode(text: str, decoder: Mapping[str, str]) -> tuple[str, int]:
    """``text`` decoded, and how many legacy-range characters no table entry consumed."""
    pieces: list[str] = []
    leftovers = 0
    index = 0
    while index < len(text):
        pair = text[index : index + 2]
        if len(pair) == 2 and pair in decoder:
            pieces.append(decoder[pair])
            index += 2
            continue
        character = text[index]
        if character in decoder:
            pieces.append(decoder[character])
        else:
            pieces.append(character)
            leftovers += _FIRST_LEGACY_CODE <= ord(character) <= _LAST_LEGACY_CODE
        index += 1
    return "".join(pieces), leftovers
