"""Specification of the procedure catalog (thủ tục hành chính)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import FrozenInstanceError
from pathlib import Path
from typing import Any

import pytest
import yaml

from intake.domain.procedures import (
    DEFAULT_PROCEDURES_PATH,
    Agency,
    Bundle,
    CatalogError,
    Procedure,
    ProcedureCatalog,
    ProcessingTime,
    RequiredDocument,
    TimeSource,
    TimeUnit,
    UnknownProcedureError,
    load_procedures,
    missing_documents,
    parse_procedures,
)
from lienthong.vn.units import Level


@pytest.fixture(scope="module")
def catalog() -> ProcedureCatalog:
    return load_procedures()


def valid_entry(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": "SAMPLE_PROCEDURE",
        "name_vi": "Thủ tục mẫu",
        "name_en": "Sample procedure",
        "agency": "JUSTICE",
        "processing_time": {"amount": 3, "unit": "working_days", "source": "statutory"},
        "online_level": 4,
        "required_documents": [
            {"code": "FORM", "name_vi": "Tờ khai", "required": True},
            {"code": "POWER_OF_ATTORNEY", "name_vi": "Văn bản ủy quyền", "required": False},
        ],
        "bundle": None,
        "levels": ["commune"],
        "source": "Luật mẫu",
    }
    entry.update(overrides)
    return entry


# --- the shipped catalog -------------------------------------------------------------------


class TestShippedCatalog:
    def test_it_loads_from_the_package_data_by_default(self, catalog: ProcedureCatalog) -> None:
        assert DEFAULT_PROCEDURES_PATH.name == "procedures.yaml"
        assert DEFAULT_PROCEDURES_PATH.is_file()
        assert load_procedures(DEFAULT_PROCEDURES_PATH) == catalog

    def test_it_lists_the_25_essential_services_of_decision_06(
        self, catalog: ProcedureCatalog
    ) -> None:
        assert len(catalog.essential()) == 25
        assert len(catalog) >= 27

    def test_it_holds_the_14_services_quang_ngai_had_in_service_in_june_2022(
        self, catalog: ProcedureCatalog
    ) -> None:
        in_service = [
            "CMND_CONFIRM",  # Xác nhận số CMND khi đã được cấp thẻ CCCD
            "CCCD_REISSUE",  # Cấp lại, đổi thẻ CCCD
            "RESIDENCE_PERMANENT",
            "RESIDENCE_TEMPORARY",
            "TEMPORARY_ABSENCE",
            "STAY_NOTIFICATION",  # 18,057 dossiers
            "PASSPORT",
            "JUDICIAL_RECORD",
            "TAX_REGISTRATION_HOUSEHOLD",  # 28,795 dossiers
            "DRIVING_LICENCE_EXCHANGE",
            "EXAM_REGISTRATION",
            "BIRTH_LINKED",
            "SEAL_NEW",
            "SEAL_DUPLICATE",
        ]
        for code in in_service:
            assert catalog.get(code).essential, code

    def test_codes_are_stable_ascii_upper_snake_case(self, catalog: ProcedureCatalog) -> None:
        for procedure in catalog:
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*", procedure.code), procedure.code
            for document in procedure.required_documents:
                assert re.fullmatch(r"[A-Z][A-Z0-9_]*", document.code), document.code

    def test_vietnamese_text_is_nfc_with_diacritics(self, catalog: ProcedureCatalog) -> None:
        # The report traces failed BHYT look-ups to the encoding of "Họ và tên": text must be
        # NFC so that equal strings compare equal.
        for procedure in catalog:
            assert unicodedata.is_normalized("NFC", procedure.name_vi), procedure.code
            assert not procedure.name_vi.isascii(), procedure.code
        assert catalog.get("RESIDENCE_PERMANENT").name_vi == "Đăng ký thường trú"

    def test_every_procedure_is_received_at_some_level_and_online_at_level_3_or_4(
        self, catalog: ProcedureCatalog
    ) -> None:
        for procedure in catalog:
            assert procedure.levels, procedure.code
            assert procedure.online_level in (3, 4), procedure.code
            assert procedure.agency in procedure.participating_agencies, procedure.code
            assert procedure.source, procedure.code

    def test_every_procedure_needs_at_least_one_document(self, catalog: ProcedureCatalog) -> None:
        for procedure in catalog:
            assert any(d.required for d in procedure.required_documents), procedure.code


class TestLinkedBundles:
    def test_the_birth_bundle_runs_through_justice_police_and_bhxh(
        self, catalog: ProcedureCatalog
    ) -> None:
        birth = catalog.get("BIRTH_LINKED")
        assert birth.bundle is Bundle.BIRTH
        assert birth.is_linked
        assert birth.agency is Agency.JUSTICE
        assert set(birth.participating_agencies) == {Agency.JUSTICE, Agency.POLICE, Agency.BHXH}
        assert birth.processing_time == ProcessingTime(3, TimeUnit.WORKING_DAYS, TimeSource.ASSUMED)
        assert birth.accepted_at(Level.COMMUNE)
        assert birth.document("BIRTH_NOTICE").required

    def test_the_death_bundle_reaches_welfare_so_payments_stop(
        self, catalog: ProcedureCatalog
    ) -> None:
        death = catalog.get("DEATH_LINKED")
        assert death.bundle is Bundle.DEATH
        assert {Agency.POLICE, Agency.BHXH, Agency.LDTBXH} <= set(death.participating_agencies)
        assert death.document("DEATH_NOTICE").required

    def test_a_civil_status_change_propagates_to_the_population_data(
        self, catalog: ProcedureCatalog
    ) -> None:
        change = catalog.get("CIVIL_STATUS_CHANGE")
        assert change.bundle is Bundle.CIVIL_STATUS_CHANGE
        assert Agency.POLICE in change.participating_agencies
        assert not change.essential

    def test_each_bundle_is_started_by_exactly_one_procedure(
        self, catalog: ProcedureCatalog
    ) -> None:
        for bundle in Bundle:
            assert len(catalog.in_bundle(bundle)) == 1, bundle

    def test_standalone_civil_registry_procedures_start_no_bundle(
        self, catalog: ProcedureCatalog
    ) -> None:
        assert catalog.get("BIRTH_REGISTRATION").bundle is None
        assert not catalog.get("DEATH_REGISTRATION").is_linked


class TestProcessingTimes:
    @pytest.mark.parametrize(
        ("code", "amount"),
        [
            ("RESIDENCE_PERMANENT", 7),  # Luật Cư trú 2020, Art. 22
            ("RESIDENCE_TEMPORARY", 3),  # Luật Cư trú 2020, Art. 28
            ("TEMPORARY_ABSENCE", 1),  # Luật Cư trú 2020, Art. 31
            ("PASSPORT", 8),  # Luật Xuất nhập cảnh 2019, Art. 15
            ("TAX_REGISTRATION_HOUSEHOLD", 3),  # Luật Quản lý thuế 2019, Art. 34
            ("UNEMPLOYMENT_BENEFIT", 20),  # Luật Việc làm 2013, Art. 46
            ("CIVIL_STATUS_CHANGE", 3),  # Luật Hộ tịch 2014, Art. 28
        ],
    )
    def test_statutory_times_match_the_law(
        self, catalog: ProcedureCatalog, code: str, amount: int
    ) -> None:
        time = catalog.get(code).processing_time
        assert (time.amount, time.unit, time.source) == (
            amount,
            TimeUnit.WORKING_DAYS,
            TimeSource.STATUTORY,
        )
        assert not time.is_assumed

    def test_figures_not_stated_by_the_law_are_flagged_assumed(
        self, catalog: ProcedureCatalog
    ) -> None:
        stay = catalog.get("STAY_NOTIFICATION").processing_time
        assert stay == ProcessingTime(8, TimeUnit.WORKING_HOURS, TimeSource.ASSUMED)
        assert stay.is_assumed
        assert "assumed" in catalog.get("STAY_NOTIFICATION").source

    def test_every_assumed_figure_says_so_in_its_source(self, catalog: ProcedureCatalog) -> None:
        for procedure in catalog:
            if procedure.processing_time.is_assumed:
                assert "assumed" in procedure.source, procedure.code

    @pytest.mark.parametrize("amount", [0, -1, True])
    def test_a_processing_time_is_a_positive_whole_number(self, amount: int) -> None:
        with pytest.raises(CatalogError):
            ProcessingTime(amount, TimeUnit.WORKING_DAYS)


class TestLookup:
    def test_get_returns_the_procedure_and_in_tests_membership(
        self, catalog: ProcedureCatalog
    ) -> None:
        assert catalog.get("PASSPORT").agency is Agency.POLICE
        assert "PASSPORT" in catalog
        assert "NO_SUCH_PROCEDURE" not in catalog

    def test_an_unknown_code_raises_a_key_error_naming_it(self, catalog: ProcedureCatalog) -> None:
        with pytest.raises(KeyError) as raised:
            catalog.get("NO_SUCH_PROCEDURE")
        assert isinstance(raised.value, UnknownProcedureError)
        assert "NO_SUCH_PROCEDURE" in str(raised.value)

    def test_all_keeps_file_order(self, catalog: ProcedureCatalog) -> None:
        codes = [p.code for p in catalog.all()]
        assert codes[0] == "CMND_CONFIRM"
        assert len(codes) == len(set(codes))

    def test_the_catalog_is_immutable(self, catalog: ProcedureCatalog) -> None:
        procedure, attribute = catalog.get("PASSPORT"), "code"
        with pytest.raises(FrozenInstanceError):
            setattr(procedure, attribute, "OTHER")


class TestMissingDocuments:
    @pytest.fixture
    def birth(self, catalog: ProcedureCatalog) -> Procedure:
        return catalog.get("BIRTH_LINKED")

    def test_nothing_provided_means_every_required_document_is_missing(
        self, birth: Procedure
    ) -> None:
        assert [d.code for d in missing_documents(birth, [])] == [
            "LINKED_BIRTH_DECLARATION",
            "BIRTH_NOTICE",
        ]

    def test_optional_documents_are_never_missing(self, birth: Procedure) -> None:
        provided = ["LINKED_BIRTH_DECLARATION", "BIRTH_NOTICE"]
        assert missing_documents(birth, provided) == []

    def test_unknown_provided_codes_are_ignored(self, birth: Procedure) -> None:
        missing = missing_documents(birth, iter(["BIRTH_NOTICE", "SOMETHING_ELSE"]))
        assert missing == [birth.document("LINKED_BIRTH_DECLARATION")]
        assert isinstance(missing[0], RequiredDocument)


# --- validation ----------------------------------------------------------------------------


class TestValidation:
    def test_a_valid_entry_parses(self) -> None:
        catalog = parse_procedures({"procedures": [valid_entry()]})
        procedure = catalog.get("SAMPLE_PROCEDURE")
        assert procedure.participating_agencies == (Agency.JUSTICE,)
        assert procedure.levels == (Level.COMMUNE,)
        assert not procedure.essential

    @pytest.mark.parametrize(
        ("override", "message"),
        [
            ({"code": "sample"}, "code"),
            ({"agency": "MINISTRY_OF_MAGIC"}, "agency"),
            ({"online_level": 2}, "online_level"),
            ({"bundle": "WEDDING"}, "bundle"),
            ({"levels": ["hamlet"]}, "levels"),
            ({"levels": []}, "levels"),
            ({"essential": "yes"}, "essential"),
            ({"name_vi": ""}, "name_vi"),
            ({"name_vi": unicodedata.normalize("NFD", "Đăng ký")}, "NFC"),
            ({"processing_time": {"amount": 3, "unit": "days", "source": "statutory"}}, "unit"),
            (
                {"processing_time": {"amount": 0, "unit": "working_days", "source": "assumed"}},
                "amount",
            ),
            (
                {"processing_time": {"amount": 3, "unit": "working_days", "source": "guess"}},
                "source",
            ),
            ({"processing_time": {"amount": 3, "unit": "working_days"}}, "missing"),
            ({"participating_agencies": ["POLICE"]}, "participating_agencies"),
            ({"required_documents": [{"code": "FORM", "name_vi": "Tờ khai"}]}, "required"),
            ({"colour": "blue"}, "unknown keys"),
        ],
    )
    def test_errors_name_the_entry_and_the_field(
        self, override: dict[str, Any], message: str
    ) -> None:
        entry = valid_entry(**override)
        with pytest.raises(CatalogError) as raised:
            parse_procedures({"procedures": [valid_entry(code="FIRST"), entry]})
        text = str(raised.value)
        assert "procedure #2" in text
        assert message in text

    def test_a_missing_field_is_reported(self) -> None:
        entry = valid_entry()
        del entry["source"]
        with pytest.raises(CatalogError, match=r"procedure #1 'SAMPLE_PROCEDURE'.*source"):
            parse_procedures({"procedures": [entry]})

    def test_duplicate_procedure_codes_are_rejected(self) -> None:
        with pytest.raises(CatalogError, match=r"SAMPLE_PROCEDURE.*duplicate"):
            parse_procedures({"procedures": [valid_entry(), valid_entry()]})

    def test_duplicate_document_codes_are_rejected(self) -> None:
        documents = [{"code": "FORM", "name_vi": "Tờ khai", "required": True}] * 2
        with pytest.raises(CatalogError, match="duplicate document code 'FORM'"):
            parse_procedures({"procedures": [valid_entry(required_documents=documents)]})

    def test_a_file_without_a_procedures_list_is_rejected(self) -> None:
        with pytest.raises(CatalogError, match="'procedures' list"):
            parse_procedures({"procedure": []})

    def test_a_file_on_disk_is_validated_too(self, tmp_path: Path) -> None:
        path = tmp_path / "procedures.yaml"
        entry = valid_entry(code="BROKEN_ONE", online_level=5)
        path.write_text(yaml.safe_dump({"procedures": [entry]}, allow_unicode=True), "utf-8")
        with pytest.raises(CatalogError, match="'BROKEN_ONE': online_level"):
            load_procedures(path)


DOCUMENT = {"code": "FORM", "name_vi": "Tờ khai", "required": True}


@pytest.mark.parametrize(
    ("override", "problems"),
    [
        ({"colour": "blue"}, ["unknown keys ['colour']"]),
        (
            {"code": "sample"},
            ["code: must be an ASCII UPPER_SNAKE_CASE code, got 'sample'"],
        ),
        ({"name_en": "  "}, ["name_en: must be a non-empty string"]),
        (
            {"name_vi": unicodedata.normalize("NFD", "Đăng ký")},
            ["name_vi: must be NFC-normalized Unicode"],
        ),
        (
            {"agency": "MINISTRY_OF_MAGIC"},
            [
                "agency: Input should be 'POLICE', 'JUSTICE', 'BHXH', 'LDTBXH', 'TAX', 'TRANSPORT',"
                " 'EDUCATION', 'TNMT' or 'EVN', got 'MINISTRY_OF_MAGIC'"
            ],
        ),
        (
            {"participating_agencies": ["POLICE"]},
            ["participating_agencies must include the agency JUSTICE"],
        ),
        ({"online_level": 2}, ["online_level: Input should be 3 or 4, got 2"]),
        (
            {"bundle": "WEDDING"},
            ["bundle: Input should be 'BIRTH', 'DEATH' or 'CIVIL_STATUS_CHANGE', got 'WEDDING'"],
        ),
        (
            {"levels": []},
            ["levels: List should have at least 1 item after validation, not 0, got []"],
        ),
        ({"levels": ["commune", "commune"]}, ["levels: contains duplicates"]),
        (
            {"levels": ["hamlet"]},
            ["levels #1: Input should be 'province', 'district' or 'commune', got 'hamlet'"],
        ),
        ({"essential": "yes"}, ["essential: Input should be a valid boolean, got 'yes'"]),
        (
            {"processing_time": {"amount": True, "unit": "days"}},
            [
                "processing_time: missing keys ['source']",
                "processing_time.amount: Input should be a valid integer, got True",
                "processing_time.unit: Input should be 'working_days' or 'working_hours',"
                " got 'days'",
            ],
        ),
        (
            {"processing_time": {"amount": 0, "unit": "working_days", "source": "statutory"}},
            ["processing_time.amount: Input should be greater than or equal to 1, got 0"],
        ),
        (
            {"required_documents": [{**DOCUMENT, "required": "no"}, {"code": "FORM_2"}]},
            [
                "required_documents #2: missing keys ['name_vi', 'required']",
                "required_documents #1.required: Input should be a valid boolean, got 'no'",
            ],
        ),
        (
            {"required_documents": [DOCUMENT, DOCUMENT]},
            ["required_documents: duplicate document code 'FORM'"],
        ),
    ],
)
def test_each_refused_shape_names_the_entry_the_field_and_the_value(
    override: dict[str, Any], problems: list[str]
) -> None:
    entry = valid_entry(**override)
    code = entry["code"]
    with pytest.raises(CatalogError) as raised:
        parse_procedures({"procedures": [entry]})
    assert str(raised.value).splitlines() == [f"procedure #1 {code!r}: {p}" for p in problems]


def test_an_entry_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(CatalogError, match="procedure #2: must be a mapping"):
        parse_procedures({"procedures": [valid_entry(), "PASSPORT"]})
