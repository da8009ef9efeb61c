"""Registration-place codes that open a personal ID number (số định danh cá nhân).

Why this exists: the first three digits of a personal ID number name the province where the
birth was *registered* (Circular 07/2016/TT-BCA, Annex 1, carried over by Circular
59/2021/TT-BCA). The identity service shows that province to officers and rejects numbers
whose prefix is not a known code, so the table lives in one place, as data.

The codes are the 63 provincial units of 2016, padded to three digits; gaps in the sequence
are deliberate (codes of provinces split or merged before 2016 are never reused). Numbers
already issued keep their prefix for life: a later reorganisation of provinces (such as the
2025 merger into 34 units) does not re-code them. Codes for new registrations after such a
reorganisation must be added from the Ministry of Public Security's published list, never
inferred.

Births registered abroad carry a country code instead (Decree 137/2015/ND-CP, Article 13).
That table is not reproduced here, so such numbers are reported as an unknown registration
code rather than guessed at.

The prefix is where the birth was registered, never where the person lives: do not route,
assign jurisdiction or pick a residence office from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from lienthong.vn.units import Layout, units

PROVINCE_NAMES_BY_CODE: Mapping[str, str] = MappingProxyType(
    {
        "001": "Hà Nội",
        "002": "Hà Giang",
        "004": "Cao Bằng",
        "006": "Bắc Kạn",
        "008": "Tuyên Quang",
        "010": "Lào Cai",
        "011": "Điện Biên",
        "012": "Lai Châu",
        "014": "Sơn La",
        "015": "Yên Bái",
        "017": "Hoà Bình",
        "019": "Thái Nguyên",
        "020": "Lạng Sơn",
        "022": "Quảng Ninh",
        "024": "Bắc Giang",
        "025": "Phú Thọ",
        "026": "Vĩnh Phúc",
        "027": "Bắc Ninh",
        "030": "Hải Dương",
        "031": "Hải Phòng",
        "033": "Hưng Yên",
        "034": "Thái Bình",
        "035": "Hà Nam",
        "036": "Nam Định",
        "037": "Ninh Bình",
        "038": "Thanh Hoá",
        "040": "Nghệ An",
        "042": "Hà Tĩnh",
        "044": "Quảng Bình",
        "045": "Quảng Trị",
        "046": "Thừa Thiên Huế",
        "048": "Đà Nẵng",
        "049": "Quảng Nam",
        "051": "Quảng Ngãi",
        "052": "Bình Định",
        "054": "Phú Yên",
        "056": "Khánh Hoà",
        "058": "Ninh Thuận",
        "060": "Bình Thuận",
        "062": "Kon Tum",
        "064": "Gia Lai",
        "066": "Đắk Lắk",
        "067": "Đắk Nông",
        "068": "Lâm Đồng",
        "070": "Bình Phước",
        "072": "Tây Ninh",
        "074": "Bình Dương",
        "075": "Đồng Nai",
        "077": "Bà Rịa - Vũng Tàu",
        "079": "Hồ Chí Minh",
        "080": "Long An",
        "082": "Tiền Giang",
        "083": "Bến Tre",
        "084": "Trà Vinh",
        "086": "Vĩnh Long",
        "087": "Đồng Tháp",
        "089": "An Giang",
        "091": "Kiên Giang",
        "092": "Cần Thơ",
        "093": "Hậu Giang",
        "094": "Sóc Trăng",
        "095": "Bạc Liêu",
        "096": "Cà Mau",
    }
)


def province_name(code: str) -> str | None:
    """The province whose three-digit registration code this is, or None if unknown."""
    return PROVINCE_NAMES_BY_CODE.get(code)


REGISTRATION_CODES_FROM_2025: Mapping[str, str] = MappingProxyType({})
"""Registration codes for births registered in a 2025 province, keyed by its GSO code, as the
Ministry of Public Security publishes them (an amendment of Annex 1 of Circular 07/2016/TT-BCA
for the 34 units of Resolution 202/2025/QH15). Empty: no such table was found published, so
nothing is listed here; see :func:`registration_code` for what is used meanwhile (ADR 0111)."""


def registration_code(unit_code: str, on: date) -> str | None:
    """The three-digit ID-number prefix for a birth registered at ``unit_code`` on ``on``.

    Before the reform: the Circular 07/2016/TT-BCA code of the unit's province. From
    1 July 2025: the published code of the 2025 province if listed in
    :data:`REGISTRATION_CODES_FROM_2025`; otherwise the 2016 code of the one legacy province
    whose territory holds the registering unit (found through the legacy → 2025 conversion
    table, so codes of issued numbers keep meaning the same territory); for a unit whose
    territory spans several legacy provinces, that of the legacy unit whose code it
    carries (for a merged 2025 province, the legacy province whose code it kept). ``None``
    when the unit is unknown on that day.
    """
    directory = units()
    province = directory.province_of(unit_code, on)
    if province is None:
        return None
    if province.layout is Layout.LEGACY:
        code = province.code.zfill(3)
        return code if code in PROVINCE_NAMES_BY_CODE else None
    published = REGISTRATION_CODES_FROM_2025.get(province.code)
    if published is not None:
        return published
    predecessors = directory.predecessors_of(unit_code)
    legacy_provinces = {unit.province_code for unit in predecessors}
    if len(legacy_provinces) > 1:
        # A merged 2025 province, or a 2025 commune built from communes of two legacy
        # provinces, carries the code of the legacy unit it was built around.
        if unit_code in legacy_provinces:
            legacy_provinces = {unit_code}
        else:
            same_code = [unit.province_code for unit in predecessors if unit.code == unit_code]
            legacy_provinces = set(same_code[:1])
    if not legacy_provinces:
        return None
    code = legacy_provinces.pop().zfill(3)
    return code if code in PROVINCE_NAMES_BY_CODE else None
