"""A labelled evaluation set for identity: a province's population register, and the
dossiers and birth registrations that reach identity, written as people really write them.

Why this exists: identity's thresholds (``identity.domain.demographic``) and its bench
figures need ground truth. Real registry extracts are personal data and cannot be
committed, so this module generates the set from a seed (the same set on every run; only
the generator is committed, never the data).

What it holds, and why each part is there:

- **Names with Vietnam's frequencies**: family names by their national shares (Nguyễn
  ≈ 38 %, Trần, Lê, Phạm, Hoàng/Huỳnh, Phan, Vũ/Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý ...),
  gendered middle names (Văn and Thị the most common) and given names on a long-tailed
  distribution, some four-word names. Namesakes are therefore as frequent as the
  distribution makes them; namesakes born on the same day, which a 1.2-million province has
  for about 5 % of people and a small sample would lack, are added at that rate.
- **Families**: children with their mother's number, siblings (same mother and family,
  other given name and date), twins (same mother and date, other given name).
- **Old numbers**: adults born before 1995 may hold a 9-digit CMND alias.
- **True duplicates**: a person registered twice (another number; the name as a legacy
  font, tones, a typo, or the date with day and month swapped; the mother sometimes
  missing on the older record).
- **Dossiers**: a person of the register (or someone not in it), stated with the 12-digit
  number, the old CMND, no number or a number the register does not hold, and the name and
  date as typed: exact, NFD, TCVN3, VNI, no diacritics, capitals and spacing, the ``Ð``
  look-alike, old tone placement, family name last (the same data), or a typo, a changed
  tone, day and month swapped, one digit of the date wrong, the other gender (the data
  differ).
- **Birth registrations**: newborns (no record), children already in the register (a
  duplicate registration), newborns with a same-day namesake of another mother, twins of a
  registered child, and late registrations of children born before 01/07/2021.

Labels say what a right answer is: whether a check must be flagged (the data differ, the
person is not in the register, or no single record can be told apart), which record the
person is, whether a duplicate must be suspected.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Final

from lienthong.vn.id_numbers import build_id_number
from lienthong.vn.legacy_encodings import encode_legacy_text, repair_legacy_text
from lienthong.vn.names import ascii_fold, name_key, normalize_name
from lienthong.vn.units import Level, units

SEED: Final = 16
# Share of people given a same-day, same-gender namesake: with these name frequencies two
# people of one gender share a full name with probability ~0.0023, and a 1.2-million
# province has ~24 people per gender per birth date, so ~5.4 % of people have such a
# namesake; half as many injected pairs give that share.
NAMESAKE_SHARE: Final = 0.027
LINK_OPENED: Final = date(2021, 7, 1)
CHECK_DAY: Final = date(2026, 6, 1)
PROVINCES: Final = ("051", "051", "051", "051", "049", "052", "079", "001")
REPORT_DAY: Final = date(2022, 6, 21)  # the Quảng Ngãi report: 13 districts, 173 communes

# National shares (%) of the most common family names; "other" families share the rest.
FAMILY_NAMES: Final = (
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 3.1),
    ("Huỳnh", 2.1), ("Phan", 4.5), ("Vũ", 2.4), ("Võ", 2.0), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Trương", 0.7),
    ("Đinh", 0.6), ("Đoàn", 0.6), ("Lâm", 0.5), ("Mai", 0.5), ("Trịnh", 0.5), ("Cao", 0.4),
    ("Lương", 0.4), ("Tô", 0.3), ("Hà", 0.3), ("Tạ", 0.3), ("Châu", 0.2), ("Thái", 0.2),
    ("Quách", 0.1), ("Kiều", 0.1), ("Âu", 0.1), ("Triệu", 0.2), ("Lưu", 0.3), ("Văn", 0.2),
)  # fmt: skip
MALE_MIDDLE: Final = (
    ("Văn", 40), ("Hữu", 6), ("Đức", 8), ("Minh", 10), ("Quang", 6), ("Thanh", 6),
    ("Gia", 4), ("Hoàng", 4), ("Công", 5), ("Ngọc", 3), ("Xuân", 3), ("Trung", 2),
    ("Tấn", 3), ("Anh", 3), ("Đình", 3), ("Quốc", 3),
)  # fmt: skip
FEMALE_MIDDLE: Final = (
    ("Thị", 45), ("Ngọc", 8), ("Thanh", 5), ("Mỹ", 4), ("Thuỳ", 3), ("Khánh", 3),
    ("Bảo", 4), ("Hoài", 2), ("Kim", 5), ("Diệu", 2), ("Thu", 5), ("Phương", 4),
    ("Minh", 4), ("Hồng", 4),
)  # fmt: skip
MALE_GIVEN: Final = (
    "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Huy", "Long", "Sơn", "Khôi", "Bảo", "Khoa",
    "Phúc", "Đức", "Quý", "Thuỵ", "Hoà", "Toàn", "Cường", "Thắng", "Nghĩa", "Hoàng", "Việt",
    "Lộc", "Tú", "An", "Hải", "Trung", "Thành", "Tài", "Phong", "Kiên", "Vinh", "Hiếu",
    "Quang", "Thịnh", "Khải", "Lâm", "Đạt", "Tâm", "Hưng", "Quân", "Tùng", "Duy", "Nhân",
)  # fmt: skip
FEMALE_GIVEN: Final = (
    "Lan", "Hương", "Linh", "Trang", "Hoa", "Ánh", "Thảo", "Hằng", "Ngọc", "Mai", "Hà",
    "Thuỷ", "Hoà", "Thuý", "Quỳnh", "Loan", "Nhung", "Hoè", "Uyên", "Yến", "Vy", "Hạnh",
    "Nguyệt", "Khuê", "Phương", "Anh", "Huyền", "Trâm", "Dung", "Cẩm", "Tuyết", "Nga",
    "Thư", "Vân", "Hiền", "Oanh", "Lý", "Châu", "My", "Diễm",
)  # fmt: skip
OLD_STYLE: Final = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uỷ": "ủy", "uý": "úy",
    "uỳ": "ùy", "uỵ": "ụy", "oè": "òe",
}  # fmt: skip
TONE_SWAPS: Final = {
    "à": "á", "á": "à", "ả": "ã", "ã": "ả", "ạ": "á", "ù": "ú", "ú": "ù", "ũ": "ủ",
    "ủ": "ũ", "ụ": "ú", "ì": "í", "í": "ì", "ò": "ó", "ó": "ò", "ỏ": "õ", "ọ": "ó",
    "ồ": "ố", "ố": "ồ", "ổ": "ỗ", "ộ": "ố", "ờ": "ớ", "ớ": "ờ", "ừ": "ứ", "ứ": "ừ",
    "ữ": "ử", "ự": "ứ", "ằ": "ắ", "ắ": "ằ", "ầ": "ấ", "ấ": "ầ", "ẩ": "ẫ", "ề": "ế",
    "ế": "ề", "ễ": "ể", "ệ": "ế", "ỳ": "ý", "ý": "ỳ", "ỷ": "ỹ", "ỵ": "ý",
}  # fmt: skip


@dataclass(frozen=True)
class Citizen:
    """A record of the population register (what the registry holds)."""

    id_number: str
    full_name: str
    birth_date: date
    gender: str
    mother_id_number: str | None = None
    cmnd: str | None = None
    deceased: bool = False
    birth_place_code: str | None = None


@dataclass(frozen=True)
class StatedPerson:
    """A person as a dossier or a registration states them."""

    full_name: str
    birth_date: date
    gender: str
    id_number: str | None
    role: str  # APPLICANT or CHILD
    mother_id_number: str | None = None


@dataclass(frozen=True)
class LabelledCheck:
    """One person to check, and what a right answer is.

    ``flag``: the check must not verify the person (the data differ, the person is not in
    the register, the record is a death, or no single record can be told apart).
    ``truth``: the number of the person's own record, None when not in the register.
    ``duplicate``: the number of another record of the same person (a true duplicate).
    ``numberless_match``: stated without a usable number, with the same data as the one
    record that is theirs (a demographic match is expected).
    """

    check_id: str
    source: str  # dossier or civil_registry
    person: StatedPerson
    kind: str
    flag: bool
    truth: str | None
    duplicate: str | None = None
    numberless_match: bool = False
    late_child: bool = False


@dataclass
class EvaluationSet:
    citizens: list[Citizen] = field(default_factory=list)
    checks: list[LabelledCheck] = field(default_factory=list)

    def duplicates_of(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for check in self.checks:
            if check.truth and check.duplicate:
                pairs[check.truth] = check.duplicate
        return pairs


def _weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    chosen: str = rng.choices([n for n, _ in table], [w for _, w in table])[0]
    return chosen


def _zipf(rng: random.Random, names: tuple[str, ...], s: float = 0.9) -> str:
    weights = [1 / (rank + 1) ** s for rank in range(len(names))]
    chosen: str = rng.choices(names, weights)[0]
    return chosen


def random_name(rng: random.Random, gender: str, family: str | None = None) -> str:
    male = gender == "MALE"
    family = family or _weighted(rng, FAMILY_NAMES)
    middle = _weighted(rng, MALE_MIDDLE if male else FEMALE_MIDDLE)
    given = _zipf(rng, MALE_GIVEN if male else FEMALE_GIVEN)
    if not male and rng.random() < 0.15:
        middle += " " + rng.choice(("Ngọc", "Thanh", "Bảo", "Kim", "Thu"))
    return f"{family} {middle} {given}"


def _given(name: str) -> str:
    return name.split()[-1]


def old_tone_placement(name: str) -> str:
    for new, old in OLD_STYLE.items():
        name = name.replace(new, old)
    return name


def typo(rng: random.Random, name: str) -> str:
    """One plain letter of one word replaced, inserted or dropped (a keyboard slip)."""
    words = name.split()
    index = rng.randrange(len(words))
    word = words[index]
    positions = [i for i, ch in enumerate(word) if ch.isascii() and ch.isalpha()] or [0]
    i = rng.choice(positions)
    how = rng.random()
    if how < 0.6 or len(word) < 3:
        letters = [c for c in "bcdghklmnpqrstvx" if c != word[i].lower()]
        word = word[:i] + rng.choice(letters) + word[i + 1 :]
    elif how < 0.8:
        word = word[:i] + word[i] + word[i:]
    else:
        word = word[:i] + word[i + 1 :] if i > 0 else word[:1] + word[2:]
    words[index] = word
    return " ".join(words)


def tone_changed(rng: random.Random, name: str) -> str | None:
    composed = unicodedata.normalize("NFC", name)
    spots = [i for i, ch in enumerate(composed) if ch.lower() in TONE_SWAPS]
    if not spots:
        return None
    i = rng.choice(spots)
    swapped = TONE_SWAPS[composed[i].lower()]
    return (
        composed[:i] + (swapped.upper() if composed[i].isupper() else swapped) + composed[i + 1 :]
    )


def swapped(born: date) -> date | None:
    if born.day > 12 or born.day == born.month:
        return None
    return date(born.year, born.day, born.month)


def one_digit_off(rng: random.Random, born: date) -> date | None:
    for _ in range(5):
        day = born.day + rng.choice((-1, 1, 10, -10))
        try:
            other = born.replace(day=day)
        except ValueError:
            continue
        if (
            other != born
            and sum(a != b for a, b in zip(other.strftime("%d"), born.strftime("%d"), strict=True))
            == 1
        ):
            return other
    return None


SAME_DATA: Final[dict[str, Callable[[random.Random, str], str]]] = {
    "exact": lambda rng, n: n,
    "nfd": lambda rng, n: unicodedata.normalize("NFD", n),
    "old_tone_placement": lambda rng, n: old_tone_placement(n),
    "tcvn3": lambda rng, n: encode_legacy_text(n, "tcvn3"),
    "vni": lambda rng, n: encode_legacy_text(n, "vni"),
    "case_and_spacing": lambda rng, n: "  " + n.upper().replace(" ", "   "),
    "d_look_alike": lambda rng, n: n.replace("Đ", "Ð").replace("đ", "ð"),
    "no_diacritics": lambda rng, n: ascii_fold(n),
    "family_name_last": lambda rng, n: " ".join(n.split()[1:] + n.split()[:1]),
}
SAME_DATA_SHARE: Final = {
    "exact": 40, "nfd": 6, "old_tone_placement": 6, "tcvn3": 8, "vni": 8,
    "case_and_spacing": 6, "d_look_alike": 3, "no_diacritics": 8, "family_name_last": 3,
}  # fmt: skip
DIFFERENT_DATA: Final = ("typo", "tone_changed", "swapped_day_month", "one_digit_off",
                         "other_gender")  # fmt: skip


class _Numbers:
    """Unique 12-digit numbers and 9-digit CMND numbers."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def id_number(self, gender: str, born: date) -> str:
        while True:
            number = build_id_number(
                self._rng.choice(PROVINCES), gender, born, self._rng.randrange(10**6)
            )
            if number not in self._used:
                self._used.add(number)
                return number

    def cmnd(self) -> str:
        while True:
            number = "21" + f"{self._rng.randrange(10**7):07d}"
            if number not in self._used:
                self._used.add(number)
                return number


@cache
def communes() -> tuple[str, ...]:
    """GSO codes of Quảng Ngãi's communes in the 2022 layout (``lienthong.vn.units``)."""
    found = units().iter_units(REPORT_DAY, Level.COMMUNE, "51")
    return tuple(sorted(unit.code for unit in found))


def _place(rng: random.Random) -> str | None:
    """Where a birth was registered: a commune of Quảng Ngãi, or unknown (born in another
    province, or a record migrated without it)."""
    if rng.random() < 0.15:
        return None
    return rng.choice(communes())


def _birth_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def population(rng: random.Random, size: int, numbers: _Numbers) -> list[Citizen]:
    """Adults, their children (siblings, twins), same-day namesakes, deaths."""
    citizens: list[Citizen] = []
    mothers: list[Citizen] = []
    adults = int(size * 0.7)
    for _ in range(adults):
        gender = rng.choice(("MALE", "FEMALE"))
        born = _birth_date(rng, date(1945, 1, 1), date(2007, 12, 31))
        cmnd = numbers.cmnd() if born.year < 1995 and rng.random() < 0.4 else None
        citizen = Citizen(numbers.id_number(gender, born), random_name(rng, gender), born,
                          gender, None, cmnd, rng.random() < 0.02, _place(rng))  # fmt: skip
        citizens.append(citizen)
        if gender == "FEMALE" and 1975 <= born.year <= 2000:
            mothers.append(citizen)
    while len(citizens) < size:
        mother = rng.choice(mothers)
        family = _weighted(rng, FAMILY_NAMES)
        first_born = _birth_date(rng, max(date(2008, 1, 1), mother.birth_date + timedelta(
            days=365 * 19)), date(2025, 12, 31))  # fmt: skip
        kids = 1 + (rng.random() < 0.35) + (rng.random() < 0.1)
        for k in range(kids):
            gender = rng.choice(("MALE", "FEMALE"))
            born = first_born + timedelta(days=k * rng.randrange(500, 1500))
            if born > date(2025, 12, 31):
                break
            name = random_name(rng, gender, family)
            place = mother.birth_place_code if rng.random() < 0.8 else _place(rng)
            citizens.append(Citizen(numbers.id_number(gender, born), name, born, gender,
                                    mother.id_number, birth_place_code=place))  # fmt: skip
            if rng.random() < 0.02:  # a twin: same mother and day, another given name
                twin_gender = rng.choice(("MALE", "FEMALE"))
                twin = random_name(rng, twin_gender, family)
                if _given(twin) != _given(name):
                    citizens.append(Citizen(numbers.id_number(twin_gender, born), twin, born,
                                            twin_gender, mother.id_number,
                                            birth_place_code=place))  # fmt: skip
    namesakes: list[Citizen] = []
    for citizen in rng.sample(citizens, int(len(citizens) * NAMESAKE_SHARE)):
        other_mother = rng.choice(mothers).id_number if citizen.mother_id_number else None
        namesakes.append(Citizen(numbers.id_number(citizen.gender, citizen.birth_date),
                                 citizen.full_name, citizen.birth_date, citizen.gender,
                                 other_mother, birth_place_code=_place(rng)))  # fmt: skip
    return citizens + namesakes


def _same_data_name(rng: random.Random, name: str) -> tuple[str, str]:
    kind = rng.choices(list(SAME_DATA_SHARE), list(SAME_DATA_SHARE.values()))[0]
    return kind, SAME_DATA[kind](rng, name)


def generate(
    seed: int = SEED, citizens: int = 20_000, dossiers: int = 2_000, births: int = 400
) -> EvaluationSet:
    """The register, ``dossiers`` dossier persons and ``births`` registered children."""
    rng = random.Random(seed)
    numbers = _Numbers(rng)
    register = population(rng, citizens, numbers)
    evaluation = EvaluationSet()
    # True duplicates: 1 % of people registered twice.
    duplicate_of: dict[str, str] = {}
    for original in rng.sample(register, int(len(register) * 0.01)):
        kind = rng.choice(("tcvn3", "no_diacritics", "typo", "swapped_day_month", "exact"))
        name, born = original.full_name, original.birth_date
        if kind == "typo":
            name = typo(rng, name)
        elif kind == "swapped_day_month":
            born = swapped(born) or born
        elif kind != "exact":
            name = SAME_DATA[kind](rng, name)
        # A record entered twice comes from one source (a household book, a birth register):
        # it carries the place and the mother, now and then lost in the copy.
        mother = original.mother_id_number if rng.random() < 0.9 else None
        # The register keeps names repaired and normalized (as the registry's upsert does).
        name = normalize_name(repair_legacy_text(name))
        place = original.birth_place_code if rng.random() < 0.95 else None
        second = Citizen(numbers.id_number(original.gender, born), name, born, original.gender,
                         mother, birth_place_code=place)  # fmt: skip
        register.append(second)
        duplicate_of[original.id_number] = second.id_number
        duplicate_of[second.id_number] = original.id_number
    evaluation.citizens = register
    by_key: dict[tuple[str, date, str], list[Citizen]] = {}
    for citizen in register:
        key = (" ".join(sorted(name_key(citizen.full_name).split())), citizen.birth_date,
               citizen.gender)  # fmt: skip
        by_key.setdefault(key, []).append(citizen)

    def alone(citizen: Citizen) -> bool:
        key = (" ".join(sorted(name_key(citizen.full_name).split())), citizen.birth_date,
               citizen.gender)  # fmt: skip
        return len(by_key[key]) == 1 and citizen.id_number not in duplicate_of

    adults = [c for c in register if c.birth_date.year < 2008]
    for _ in range(dossiers):
        evaluation.checks.append(_dossier_check(rng, numbers, adults, alone, duplicate_of))
    children = [c for c in register if c.mother_id_number and c.birth_date.year >= 2015]
    for _ in range(births):
        evaluation.checks.append(_birth_check(rng, numbers, children, register))
    return evaluation


def _dossier_check(
    rng: random.Random,
    numbers: _Numbers,
    adults: list[Citizen],
    alone: Callable[[Citizen], bool],
    duplicate_of: dict[str, str],
) -> LabelledCheck:
    check_id = str(uuid.UUID(int=rng.getrandbits(128)))
    if rng.random() < 0.04:  # someone not in the register
        gender = rng.choice(("MALE", "FEMALE"))
        born = _birth_date(rng, date(1950, 1, 1), date(2005, 12, 31))
        stated = StatedPerson(random_name(rng, gender), born, gender,
                              None if rng.random() < 0.5 else numbers.id_number(gender, born),
                              "APPLICANT")  # fmt: skip
        return LabelledCheck(check_id, "dossier", stated, "not_in_register", True, None)
    citizen = rng.choice(adults)
    name, born, gender = citizen.full_name, citizen.birth_date, citizen.gender
    if rng.random() < 0.78:
        kind, name = _same_data_name(rng, name)
        differs = False
    else:
        kind = rng.choice(DIFFERENT_DATA)
        differs = True
        if kind == "typo":
            name = typo(rng, name)
        elif kind == "tone_changed":
            name = tone_changed(rng, name) or typo(rng, name)
        elif kind == "swapped_day_month":
            born = swapped(born) or born + timedelta(days=1)
        elif kind == "one_digit_off":
            born = one_digit_off(rng, born) or born + timedelta(days=1)
        else:
            gender = "FEMALE" if gender == "MALE" else "MALE"
    roll = rng.random()
    number: str | None
    if roll < 0.80:  # the 12-digit number, or the old CMND (12 % of its holders' dossiers)
        number, how = citizen.id_number, "id"
        if citizen.cmnd and rng.random() < 0.3:
            number, how = citizen.cmnd, "cmnd"
    elif roll < 0.94:
        number, how = None, "numberless"
    else:
        number, how = numbers.id_number(citizen.gender, citizen.birth_date), "unknown_number"
    numbered = how in ("id", "cmnd")
    duplicate = duplicate_of.get(citizen.id_number) if numbered else None
    resolvable = numbered or alone(citizen)
    flag = differs or citizen.deceased or not resolvable or duplicate is not None
    stated = StatedPerson(name, born, gender, number, "APPLICANT")
    return LabelledCheck(
        check_id,
        "dossier",
        stated,
        f"{how}.{kind}" + (".deceased" if citizen.deceased else ""),
        flag,
        citizen.id_number,
        duplicate,
        numberless_match=not numbered and alone(citizen) and not differs and not citizen.deceased,
    )


def _birth_check(
    rng: random.Random, numbers: _Numbers, children: list[Citizen], register: list[Citizen]
) -> LabelledCheck:
    check_id = str(uuid.UUID(int=rng.getrandbits(128)))
    roll = rng.random()
    if roll < 0.02:  # already in the register: the birth is registered a second time
        child = rng.choice(children)
        kind, name = _same_data_name(rng, child.full_name)
        stated = StatedPerson(name, child.birth_date, child.gender, None, "CHILD",
                              child.mother_id_number)  # fmt: skip
        return LabelledCheck(check_id, "civil_registry", stated, f"registered_twice.{kind}",
                             True, child.id_number, child.id_number)  # fmt: skip
    if roll < 0.05:  # a twin of a registered child: same mother and day, another name
        child = rng.choice(children)
        family = child.full_name.split()[0]
        name = random_name(rng, child.gender, family)
        if _given(name) == _given(child.full_name):
            other_given = "Khôi" if child.gender == "MALE" else "Ngân"
            name = " ".join([*child.full_name.split()[:-1], other_given])
        stated = StatedPerson(name, child.birth_date, child.gender, None, "CHILD",
                              child.mother_id_number)  # fmt: skip
        late = child.birth_date < LINK_OPENED  # the child rule applies to twins too
        return LabelledCheck(check_id, "civil_registry", stated, "twin_of_registered", late,
                             None, late_child=late)  # fmt: skip
    mother = build_id_number("051", "FEMALE", date(1992, 3, 3), rng.randrange(10**6))
    if roll < 0.10:  # a same-day namesake of a registered child, another mother
        child = rng.choice(children)
        stated = StatedPerson(child.full_name, child.birth_date, child.gender, None, "CHILD",
                              mother)  # fmt: skip
        late = child.birth_date < LINK_OPENED
        return LabelledCheck(check_id, "civil_registry", stated, "namesake_other_mother",
                             late, None, late_child=late)  # fmt: skip
    gender = rng.choice(("MALE", "FEMALE"))
    if roll < 0.28:  # a late registration: born before the electronic link opened
        born = _birth_date(rng, date(2013, 1, 1), LINK_OPENED - timedelta(days=1))
        stated = StatedPerson(random_name(rng, gender), born, gender, None, "CHILD", mother)
        return LabelledCheck(check_id, "civil_registry", stated, "late_registration", True,
                             None, late_child=True)  # fmt: skip
    born = _birth_date(rng, CHECK_DAY - timedelta(days=60), CHECK_DAY - timedelta(days=1))
    stated = StatedPerson(random_name(rng, gender), born, gender, None, "CHILD", mother)
    return LabelledCheck(check_id, "civil_registry", stated, "newborn", False, None)
