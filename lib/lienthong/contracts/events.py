"""Event contracts generated from ``schemas/`` by ``make schemas``; do not edit.

One ``msgspec.Struct`` per ``.avsc`` version (``<Event>V<n>``; ``<Event>`` is the newest),
with the named records and enums they hold. ``EVENTS`` maps each full name to its newest
class, ``VERSIONS`` each (full name, version) to its class.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

import msgspec



class Gender(enum.Enum):
    """Gender as registered; UNKNOWN is what an older reader sees for a new symbol."""

    MALE = 'MALE'
    FEMALE = 'FEMALE'
    UNKNOWN = 'UNKNOWN'


class RegisteredPersonV1(msgspec.Struct, frozen=True, kw_only=True):
    """A person as written in the civil-status register. Personal data."""

    subject_id: str
    id_number: None | str = None
    full_name: str
    birth_date: None | date = None
    gender: None | Gender = None


class RegisteredPerson(msgspec.Struct, frozen=True, kw_only=True):
    """A person as written in the civil-status register. Personal data."""

    subject_id: str
    id_number: None | str = None
    full_name: str
    birth_date: None | date = None
    gender: None | Gender = None
    sealed_personal: None | bytes = None


class BirthRegistrationType(enum.Enum):
    """How the birth was registered (Law on Civil Status 2014, Art. 16, 29 and Decree 123/2015/NĐ-CP, Art. 9 and 26). OTHER is what a reader that predates a new type sees."""

    ON_TIME = 'ON_TIME'
    LATE = 'LATE'
    RE_REGISTRATION = 'RE_REGISTRATION'
    OTHER = 'OTHER'


class ChangeType(enum.Enum):
    """Kind of change; OTHER is what an older reader sees for a new symbol."""

    NAME = 'NAME'
    SURNAME_AFTER_PATERNITY = 'SURNAME_AFTER_PATERNITY'
    BIRTH_DATE_CORRECTION = 'BIRTH_DATE_CORRECTION'
    GENDER_CORRECTION = 'GENDER_CORRECTION'
    OTHER = 'OTHER'


class SignatureStatus(enum.Enum):
    """Outcome of verifying the document's PDF signatures. OTHER is what a reader that predates a new status sees."""

    UNSIGNED = 'UNSIGNED'
    VALID = 'VALID'
    INVALID = 'INVALID'
    OTHER = 'OTHER'


class DocumentKind(enum.Enum):
    """Whether the document was digitized from what a citizen submitted or is a result an agency issued. OTHER is what a reader that predates a new kind sees."""

    DIGITIZED = 'DIGITIZED'
    RESULT = 'RESULT'
    OTHER = 'OTHER'


class CorrectionDecision(enum.Enum):
    """The officer's decision; REJECTED is also what an older reader sees for a new symbol."""

    ACCEPTED = 'ACCEPTED'
    REJECTED = 'REJECTED'


class FieldCorrection(msgspec.Struct, frozen=True):
    """One field to correct."""

    subject_id: str
    field: str
    stated: str
    suggested: str
    kind: str
    sealed_personal: None | bytes = None


class ReviewDecision(enum.Enum):
    """The officer's decision; UNDECIDED is what an older reader sees for a new symbol."""

    SAME_PERSON = 'SAME_PERSON'
    DIFFERENT_PERSONS = 'DIFFERENT_PERSONS'
    UNDECIDED = 'UNDECIDED'


class FieldScore(msgspec.Struct, frozen=True):
    """The score of one compared field."""

    field: str
    score: float


class RankedCandidate(msgspec.Struct, frozen=True):
    """A record that may be the person, with its demographic score."""

    subject_id: str
    score: float
    field_scores: tuple[FieldScore, ...]


class MatchLevelV1(enum.Enum):
    """How closely the dossier's value matched the population data, best first. NOT_CHECKED is also what a reader that predates a new level sees."""

    EXACT = 'EXACT'
    NORMALIZED = 'NORMALIZED'
    WITHOUT_TONES = 'WITHOUT_TONES'
    SIMILAR = 'SIMILAR'
    DIFFERENT = 'DIFFERENT'
    NOT_CHECKED = 'NOT_CHECKED'


class FieldMatchV1(msgspec.Struct, frozen=True):
    """How one field of the dossier compared with the population data."""

    field: str
    level: MatchLevelV1


class MismatchCategory(enum.Enum):
    """Why the identity could not be confirmed. NEEDS_VERIFICATION is also what a reader that predates a new category sees."""

    INVALID_ID_NUMBER = 'INVALID_ID_NUMBER'
    NAME_MISMATCH = 'NAME_MISMATCH'
    BIRTH_DATE_MISMATCH = 'BIRTH_DATE_MISMATCH'
    GENDER_MISMATCH = 'GENDER_MISMATCH'
    NOT_FOUND = 'NOT_FOUND'
    DECEASED = 'DECEASED'
    SUSPECTED_DUPLICATE = 'SUSPECTED_DUPLICATE'
    NEEDS_VERIFICATION = 'NEEDS_VERIFICATION'


class MatchLevel(enum.Enum):
    """How closely the dossier's value matched the population data, best first. NOT_CHECKED is also what a reader that predates a new level sees. DEMOGRAPHIC (id_number only): no usable number was given or it is not held; the record was found by name and birth date."""

    EXACT = 'EXACT'
    NORMALIZED = 'NORMALIZED'
    WITHOUT_TONES = 'WITHOUT_TONES'
    SIMILAR = 'SIMILAR'
    DIFFERENT = 'DIFFERENT'
    NOT_CHECKED = 'NOT_CHECKED'
    DEMOGRAPHIC = 'DEMOGRAPHIC'


class FieldMatch(msgspec.Struct, frozen=True):
    """How one field of the dossier compared with the population data."""

    field: str
    level: MatchLevel


class LookupOutcome(enum.Enum):
    """What the look-up found. OTHER is what a reader that predates a new outcome sees."""

    FOUND_VALID = 'FOUND_VALID'
    NO_VALID_CARD = 'NO_VALID_CARD'
    NOT_FOUND = 'NOT_FOUND'
    NAME_MISMATCH = 'NAME_MISMATCH'
    BIRTH_DATE_MISMATCH = 'BIRTH_DATE_MISMATCH'
    UNREADABLE_QR = 'UNREADABLE_QR'
    OTHER = 'OTHER'


class DossierOutcomeV1(enum.Enum):
    """The decision. OTHER is what a reader that predates a new outcome sees."""

    APPROVED = 'APPROVED'
    REJECTED = 'REJECTED'
    OTHER = 'OTHER'


class DossierOutcome(enum.Enum):
    """The decision; ACKNOWLEDGED closes a notification procedure, which is acknowledged rather than approved. OTHER is what a reader that predates a new outcome sees."""

    APPROVED = 'APPROVED'
    REJECTED = 'REJECTED'
    OTHER = 'OTHER'
    ACKNOWLEDGED = 'ACKNOWLEDGED'


class DossierStatus(enum.Enum):
    """Status of a dossier in the one-stop lifecycle (Decree 61/2018, Circular 01/2018): RECEIVED (tiếp nhận), ACKNOWLEDGED (online dossier checked and accepted, within 8 working hours by Decree 45/2020), IN_PROCESSING (đang xử lý), SUPPLEMENT_REQUESTED (yêu cầu bổ sung), RESUBMITTED (đã bổ sung), APPROVED / REJECTED (decision), RESULT_RETURNED (đã trả kết quả), WITHDRAWN (rút hồ sơ). OTHER is what a reader that predates a new status sees."""

    RECEIVED = 'RECEIVED'
    ACKNOWLEDGED = 'ACKNOWLEDGED'
    IN_PROCESSING = 'IN_PROCESSING'
    SUPPLEMENT_REQUESTED = 'SUPPLEMENT_REQUESTED'
    RESUBMITTED = 'RESUBMITTED'
    APPROVED = 'APPROVED'
    REJECTED = 'REJECTED'
    RESULT_RETURNED = 'RESULT_RETURNED'
    WITHDRAWN = 'WITHDRAWN'
    OTHER = 'OTHER'


class DossierAction(enum.Enum):
    """What was done. ACKNOWLEDGE, START_PROCESSING, REQUEST_SUPPLEMENT, RESUBMIT, APPROVE, REJECT, RETURN_RESULT, WITHDRAW change the status; APOLOGIZE keeps the status and sets a new appointment date (thư xin lỗi, hẹn lại); CORRECT records the right time, status or reason of an earlier change named in correction_of. OTHER is what a reader that predates a new action sees."""

    ACKNOWLEDGE = 'ACKNOWLEDGE'
    START_PROCESSING = 'START_PROCESSING'
    REQUEST_SUPPLEMENT = 'REQUEST_SUPPLEMENT'
    RESUBMIT = 'RESUBMIT'
    APPROVE = 'APPROVE'
    REJECT = 'REJECT'
    RETURN_RESULT = 'RETURN_RESULT'
    WITHDRAW = 'WITHDRAW'
    APOLOGIZE = 'APOLOGIZE'
    CORRECT = 'CORRECT'
    OTHER = 'OTHER'


class Channel(enum.Enum):
    """How the dossier was submitted. OTHER is what a reader that predates a new channel sees."""

    PORTAL = 'PORTAL'
    COUNTER = 'COUNTER'
    POSTAL = 'POSTAL'
    OTHER = 'OTHER'


class PersonRole(enum.Enum):
    """The person's role in the dossier. OTHER is also what a reader that predates a new role sees."""

    APPLICANT = 'APPLICANT'
    CHILD = 'CHILD'
    FATHER = 'FATHER'
    MOTHER = 'MOTHER'
    DECEASED = 'DECEASED'
    SUBJECT = 'SUBJECT'
    OTHER = 'OTHER'


class PersonV1(msgspec.Struct, frozen=True, kw_only=True):
    """A person the dossier is about, in one role."""

    role: PersonRole
    subject_id: str
    id_number: None | str = None
    full_name: str
    birth_date: None | date = None
    gender: None | Gender = None


class Person(msgspec.Struct, frozen=True, kw_only=True):
    """A person the dossier is about, in one role."""

    role: PersonRole
    subject_id: str
    id_number: None | str = None
    full_name: str
    birth_date: None | date = None
    gender: None | Gender = None
    sealed_personal: None | bytes = None


class ErasureBasis(enum.Enum):
    """The legal ground of the erasure (Law 91/2025/QH15 on personal data protection, Decree 13/2023/ND-CP)."""

    SUBJECT_REQUEST = 'SUBJECT_REQUEST'
    CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN'
    PURPOSE_FULFILLED = 'PURPOSE_FULFILLED'
    COURT_ORDER = 'COURT_ORDER'
    OTHER = 'OTHER'


class BundleType(enum.Enum):
    """Which linked procedure the bundle runs. OTHER is what a reader that predates a new bundle type sees."""

    BIRTH = 'BIRTH'
    DEATH = 'DEATH'
    CIVIL_STATUS_CHANGE = 'CIVIL_STATUS_CHANGE'
    OTHER = 'OTHER'


class MatchedBy(enum.Enum):
    """How the record was found; NONE when no record was found (also what an older reader sees for a new symbol)."""

    ID_NUMBER = 'ID_NUMBER'
    CMND_ALIAS = 'CMND_ALIAS'
    NONE = 'NONE'


class CitizenStatus(enum.Enum):
    """Life status in the population data; UNKNOWN is what an older reader sees for a new symbol."""

    ALIVE = 'ALIVE'
    DECEASED = 'DECEASED'
    MERGED = 'MERGED'
    UNKNOWN = 'UNKNOWN'


class CitizenRecordV1(msgspec.Struct, frozen=True):
    """A citizen as held in the population data. Personal data."""

    subject_id: str
    id_number: str
    full_name: str
    birth_date: date
    gender: Gender
    status: CitizenStatus
    mother_id_number: None | str = None


class CitizenRecordV2(msgspec.Struct, frozen=True):
    """A citizen as held in the population data. Personal data."""

    subject_id: str
    id_number: str
    full_name: str
    birth_date: date
    gender: Gender
    status: CitizenStatus
    mother_id_number: None | str = None
    sealed_personal: None | bytes = None


class CitizenRecord(msgspec.Struct, frozen=True):
    """A citizen as held in the population data. Personal data."""

    subject_id: str
    id_number: str
    full_name: str
    birth_date: date
    gender: Gender
    status: CitizenStatus
    mother_id_number: None | str = None
    birth_place_code: None | str = None
    sealed_personal: None | bytes = None


class VerificationAnswerV1(msgspec.Struct, frozen=True):
    """The answer to one request (fields as in CitizenVerificationAnswered)."""

    request_id: uuid.UUID
    subject_id: str
    matched_by: MatchedBy
    record: None | CitizenRecordV1 = None
    candidates: tuple[CitizenRecordV1, ...] = ()


class VerificationAnswerV2(msgspec.Struct, frozen=True):
    """The answer to one request (fields as in CitizenVerificationAnswered)."""

    request_id: uuid.UUID
    subject_id: str
    matched_by: MatchedBy
    record: None | CitizenRecordV2 = None
    candidates: tuple[CitizenRecordV2, ...] = ()


class VerificationAnswer(msgspec.Struct, frozen=True):
    """The answer to one request (fields as in CitizenVerificationAnswered)."""

    request_id: uuid.UUID
    subject_id: str
    matched_by: MatchedBy
    record: None | CitizenRecord = None
    candidates: tuple[CitizenRecord, ...] = ()


class VerificationRequestV1(msgspec.Struct, frozen=True, kw_only=True):
    """One person to look up (fields as in CitizenVerificationRequested)."""

    request_id: uuid.UUID
    subject_id: str
    id_number: None | str = None
    full_name: str
    birth_date: None | date = None
    mother_id_number: None | str = None


class VerificationRequest(msgspec.Struct, frozen=True, kw_only=True):
    """One person to look up (fields as in CitizenVerificationRequested)."""

    request_id: uuid.UUID
    subject_id: str
    id_number: None | str = None
    full_name: str
    birth_date: None | date = None
    mother_id_number: None | str = None
    sealed_personal: None | bytes = None


class ResidenceKind(enum.Enum):
    """Permanent (thường trú) or temporary (tạm trú) residence. OTHER is what a reader that predates a new kind sees."""

    PERMANENT = 'PERMANENT'
    TEMPORARY = 'TEMPORARY'
    OTHER = 'OTHER'


class BirthRegisteredV1(msgspec.Struct, frozen=True, kw_only=True):
    """The civil registry registered a birth (khai sinh). Starts the birth bundle."""

    registration_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    child: RegisteredPersonV1
    father: None | RegisteredPersonV1 = None
    mother: None | RegisteredPersonV1 = None
    place_of_birth: str


class BirthRegisteredV2(msgspec.Struct, frozen=True, kw_only=True):
    """The civil registry registered a birth (khai sinh). Starts the birth bundle."""

    registration_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    child: RegisteredPerson
    father: None | RegisteredPerson = None
    mother: None | RegisteredPerson = None
    place_of_birth: str
    sealed_personal: None | bytes = None


class BirthRegisteredV3(msgspec.Struct, frozen=True, kw_only=True):
    """The civil registry registered a birth (khai sinh). Starts the birth bundle. Version 2 carries the registry's own record id, the registration type and the time the registry recorded the entry, apart from the time the registration took effect."""

    registration_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    child: RegisteredPerson
    father: None | RegisteredPerson = None
    mother: None | RegisteredPerson = None
    place_of_birth: str
    sealed_personal: None | bytes = None
    registration_type: BirthRegistrationType = BirthRegistrationType.ON_TIME
    recorded_at: None | datetime = None
    agency_record_id: None | str = None


class CivilRegistrationRefusedV1(msgspec.Struct, frozen=True, kw_only=True):
    """The civil registry refused a registration it was asked for (for example a birth without a date of birth)."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    registration_id: uuid.UUID
    reason: str
    refused_at: datetime


class CivilStatusChangedV1(msgspec.Struct, frozen=True, kw_only=True):
    """The civil registry changed or corrected a person's civil status (thay đổi, cải chính hộ tịch), e.g. a child's surname after paternity recognition."""

    registration_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    person: RegisteredPersonV1
    change_type: ChangeType
    field: str
    old_value: None | str = None
    new_value: str
    effective_date: date


class CivilStatusChangedV2(msgspec.Struct, frozen=True, kw_only=True):
    """The civil registry changed or corrected a person's civil status (thay đổi, cải chính hộ tịch), e.g. a child's surname after paternity recognition."""

    registration_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    person: RegisteredPerson
    change_type: ChangeType
    field: str
    old_value: None | str = None
    new_value: str
    effective_date: date
    sealed_personal: None | bytes = None


class DeathRegisteredV1(msgspec.Struct, frozen=True, kw_only=True):
    """The civil registry registered a death (khai tử). Starts the death bundle; a second death for one person is refused at the registry."""

    registration_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    deceased: RegisteredPersonV1
    date_of_death: date
    place_of_death: str


class DeathRegisteredV2(msgspec.Struct, frozen=True, kw_only=True):
    """The civil registry registered a death (khai tử). Starts the death bundle; a second death for one person is refused at the registry."""

    registration_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    deceased: RegisteredPerson
    date_of_death: date
    place_of_death: str
    sealed_personal: None | bytes = None


class RegisterBirthV1(msgspec.Struct, frozen=True, kw_only=True):
    """Command to the civil registry: register the birth of a child declared in a linked birth dossier."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    unit_code: str
    child: RegisteredPersonV1
    father: None | RegisteredPersonV1 = None
    mother: None | RegisteredPersonV1 = None
    place_of_birth: str
    requested_at: datetime


class RegisterBirthV2(msgspec.Struct, frozen=True, kw_only=True):
    """Command to the civil registry: register the birth of a child declared in a linked birth dossier."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    unit_code: str
    child: RegisteredPerson
    father: None | RegisteredPerson = None
    mother: None | RegisteredPerson = None
    place_of_birth: str
    requested_at: datetime
    sealed_personal: None | bytes = None


class DocumentDigitizedV1(msgspec.Struct, frozen=True, kw_only=True):
    """A document a citizen submitted (paper scanned at a counter or a file uploaded on the portal) was stored in the digitization store and added to the owner's personal data warehouse (Decree 45/2020)."""

    document_id: uuid.UUID
    sha256: str
    owner_subject_id: str
    document_type: str
    content_type: str
    size_bytes: int
    page_count: None | int = None
    dossier_id: None | uuid.UUID = None
    issuing_agency: None | str = None
    unit_code: None | str = None
    signature_status: SignatureStatus
    signer_certificate_sha256: None | str = None
    valid_until: None | date = None
    digitized_at: datetime


class DocumentReusedV1(msgspec.Struct, frozen=True, kw_only=True):
    """A new dossier referenced a document already in the citizen's warehouse instead of having it submitted again (once-only principle). Reporting counts these as re-submissions avoided."""

    document_id: uuid.UUID
    owner_subject_id: str
    dossier_id: uuid.UUID
    original_dossier_id: None | uuid.UUID = None
    document_type: str
    kind: DocumentKind
    size_bytes: int
    reused_at: datetime


class DocumentRevokedV1(msgspec.Struct, frozen=True):
    """A document or result was revoked (annulled, replaced or found invalid); it is no longer offered from the warehouse for reuse. A correction is this new event, the earlier ones stay."""

    document_id: uuid.UUID
    owner_subject_id: str
    document_type: str
    reason: str
    revoked_by_agency: str
    revoked_at: datetime


class ResultIssuedV1(msgspec.Struct, frozen=True, kw_only=True):
    """An agency issued the electronic result of a dossier (e.g. a birth certificate extract) as a PDF signed by the agency (PAdES); it has the legal value of the paper result and is added to the owner's warehouse."""

    document_id: uuid.UUID
    sha256: str
    owner_subject_id: str
    dossier_id: uuid.UUID
    document_type: str
    issuing_agency: str
    unit_code: str
    size_bytes: int
    signer_certificate_sha256: str
    valid_until: None | date = None
    issued_at: datetime


class CorrectionDecidedV1(msgspec.Struct, frozen=True, kw_only=True):
    """An officer decided a suggested correction: accepted (the stated data are corrected to the record's) or rejected (the person is not that record, or the record is wrong)."""

    case_id: uuid.UUID
    subject_id: str
    record_subject_id: str
    decision: CorrectionDecision
    decided_by: str
    decided_by_unit: None | str = None
    decided_at: datetime


class CorrectionSuggestedV1(msgspec.Struct, frozen=True, kw_only=True):
    """A stated person differs from a population record only in ways a data-entry slip explains (a changed letter or tone, day and month swapped, one digit of the date); the record and the suggested correction wait in an officer's correction queue. Never a verification by itself."""

    case_id: uuid.UUID
    subject_id: str
    record_subject_id: str
    verification_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    corrections: tuple[FieldCorrection, ...]
    score: float
    suggested_at: datetime


class DuplicateReviewDecidedV1(msgspec.Struct, frozen=True, kw_only=True):
    """An officer decided a suspected-duplicate case: SAME_PERSON merges the candidate record into the subject's; DIFFERENT_PERSONS clears it."""

    case_id: uuid.UUID
    subject_id: str
    candidate_subject_id: str
    decision: ReviewDecision
    decided_by: str
    decided_by_unit: None | str = None
    decided_at: datetime


class DuplicateSuspectedV1(msgspec.Struct, frozen=True):
    """Identity found two population records that may be one person; a review case is open for an officer."""

    case_id: uuid.UUID
    subject_id: str
    candidate_subject_id: str
    verification_id: uuid.UUID
    name_score: float
    reason: str
    suspected_at: datetime


class DuplicateSuspectedV2(msgspec.Struct, frozen=True, kw_only=True):
    """Identity found population records that may be one person (two records, or a person stated without a usable number and several records); one review case per unordered pair, opened once, for an officer."""

    case_id: uuid.UUID
    subject_id: str
    candidate_subject_id: str
    verification_id: uuid.UUID
    name_score: float
    reason: str
    candidates: tuple[RankedCandidate, ...] = ()
    suspected_at: datetime


class IdentityMismatchV1(msgspec.Struct, frozen=True, kw_only=True):
    """A person's identity data in a dossier could not be confirmed against the National Population Database; the dossier needs review."""

    verification_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    subject_id: str
    role: str
    checked_at: datetime
    field_matches: tuple[FieldMatchV1, ...]
    category: MismatchCategory
    detail: str


class IdentityMismatchV2(msgspec.Struct, frozen=True, kw_only=True):
    """A person's identity data in a dossier could not be confirmed against the National Population Database; the dossier needs review. Version 2: the DEMOGRAPHIC match level and the matched record."""

    verification_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    subject_id: str
    role: str
    checked_at: datetime
    field_matches: tuple[FieldMatch, ...]
    category: MismatchCategory
    detail: str
    matched_subject_id: None | str = None


class IdentityVerifiedV1(msgspec.Struct, frozen=True, kw_only=True):
    """A person's identity data in a dossier was checked against the National Population Database and matched."""

    verification_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    subject_id: str
    role: str
    checked_at: datetime
    field_matches: tuple[FieldMatchV1, ...]


class IdentityVerifiedV2(msgspec.Struct, frozen=True, kw_only=True):
    """A person's identity data in a dossier was checked against the National Population Database and matched. Version 2: the DEMOGRAPHIC match level and the matched record."""

    verification_id: uuid.UUID
    dossier_id: None | uuid.UUID = None
    subject_id: str
    role: str
    checked_at: datetime
    field_matches: tuple[FieldMatch, ...]
    matched_subject_id: None | str = None


class EndHealthInsuranceV1(msgspec.Struct, frozen=True):
    """Command to health insurance (BHXH): end a person's cards (on death)."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    end_date: date
    reason: str
    requested_at: datetime


class HealthInsuranceCardIssuedV1(msgspec.Struct, frozen=True):
    """Health insurance issued a card."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    card_number: str
    valid_from: date
    valid_until: date
    issued_at: datetime


class HealthInsuranceCardIssuedV2(msgspec.Struct, frozen=True):
    """Health insurance issued a card."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    card_number: str
    valid_from: date
    valid_until: date
    issued_at: datetime
    sealed_personal: None | bytes = None


class HealthInsuranceCardSyncedV1(msgspec.Struct, frozen=True):
    """Health insurance (BHXH) synced a BHYT card held by a citizen with a personal ID number (CCCD), with BHXH's own card number and its period of cover. The Project 06 figure 'CCCD synced with a valid BHYT card' counts these by their period of cover."""

    sync_id: uuid.UUID
    subject_id: str
    card_number: str
    object_code: str
    unit_code: str
    valid_from: date
    valid_until: date
    synced_at: datetime
    recorded_at: None | datetime = None
    agency_record_id: None | str = None
    sealed_personal: None | bytes = None


class HealthInsuranceEndedV1(msgspec.Struct, frozen=True):
    """Health insurance ended a person's cards."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    cards_ended: int
    end_date: date
    ended_at: datetime


class HealthInsuranceLookedUpV1(msgspec.Struct, frozen=True, kw_only=True):
    """A clinic looked a BHYT card up by the patient's personal ID number (CCCD) instead of the paper card, and what came of it."""

    lookup_id: uuid.UUID
    subject_id: str
    facility_code: None | str = None
    unit_code: None | str = None
    stated_birth_date: None | date = None
    outcome: LookupOutcome
    looked_up_at: datetime
    recorded_at: None | datetime = None
    agency_record_id: None | str = None
    sealed_personal: None | bytes = None


class HealthInsuranceRequestRejectedV1(msgspec.Struct, frozen=True):
    """Health insurance rejected a command, with a reason."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    reason: str
    rejected_at: datetime


class InsuredParticularsUpdatedV1(msgspec.Struct, frozen=True):
    """Health insurance applied a civil-status change to the insured person's cards."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    field: str
    cards_updated: int
    updated_at: datetime


class IssueChildHealthInsuranceCardV1(msgspec.Struct, frozen=True):
    """Command to health insurance (BHXH): issue the free health-insurance card (BHYT) of a child under 6."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    id_number: str
    full_name: str
    birth_date: date
    unit_code: str
    requested_at: datetime


class IssueChildHealthInsuranceCardV2(msgspec.Struct, frozen=True):
    """Command to health insurance (BHXH): issue the free health-insurance card (BHYT) of a child under 6."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    id_number: str
    full_name: str
    birth_date: date
    unit_code: str
    requested_at: datetime
    sealed_personal: None | bytes = None


class UpdateInsuredParticularsV1(msgspec.Struct, frozen=True):
    """Command to health insurance (BHXH): apply a civil-status change to the insured person's cards."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    field: str
    new_value: str
    effective_date: date
    requested_at: datetime


class UpdateInsuredParticularsV2(msgspec.Struct, frozen=True):
    """Command to health insurance (BHXH): apply a civil-status change to the insured person's cards."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    field: str
    new_value: str
    effective_date: date
    requested_at: datetime
    sealed_personal: None | bytes = None


class DossierAcknowledgementOverdueV1(msgspec.Struct, frozen=True):
    """An online (portal) dossier was neither accepted nor returned for completion within 8 working hours of its receipt (Decree 45/2020). Emitted once per dossier by intake's deadline timer; its event time is the acknowledgement deadline itself, not when the timer noticed."""

    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    received_at: datetime
    acknowledgement_due_at: datetime
    detected_at: datetime


class DossierCompletedV1(msgspec.Struct, frozen=True):
    """A decision was made on a dossier (approved or rejected): the processing the statutory deadline measures is over. on_time says whether it was done by the appointment date (đúng hạn) or late (trễ hạn). A corrected decision time produces a new DossierCompleted with the same dossier_id; the latest by sequence wins."""

    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    outcome: DossierOutcomeV1
    completed_at: datetime
    appointment_at: datetime
    on_time: bool
    change_id: uuid.UUID


class DossierCompletedV2(msgspec.Struct, frozen=True):
    """A decision was made on a dossier (approved or rejected): the processing the statutory deadline measures is over. on_time says whether it was done by the appointment date (đúng hạn) or late (trễ hạn). A corrected decision time produces a new DossierCompleted with the same dossier_id; the latest by sequence wins. Version 2 adds the terminal ACKNOWLEDGED outcome of notification procedures (stay notification, temporary absence)."""

    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    outcome: DossierOutcome
    completed_at: datetime
    appointment_at: datetime
    on_time: bool
    change_id: uuid.UUID


class DossierOverdueV1(msgspec.Struct, frozen=True):
    """The statutory deadline (appointment date) of a dossier passed before it was completed (trễ hạn). Emitted once per dossier by intake's deadline timer; its event time is the deadline itself, not when the timer noticed."""

    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    status: DossierStatus
    appointment_at: datetime
    detected_at: datetime


class DossierStatusChangedV1(msgspec.Struct, frozen=True):
    """An officer (or the citizen, for a withdrawal or a resubmission) acted on a dossier: a status transition of the one-stop lifecycle, an apology with a new appointment date, or a correction of an earlier entry. A late entry or a correction is a new event; nothing earlier is overwritten, so reports can show both what was recorded and what was corrected."""

    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    change_id: uuid.UUID
    action: DossierAction
    from_status: DossierStatus
    to_status: DossierStatus
    occurred_at: datetime
    recorded_at: datetime
    officer_id: None | str = None
    officer_unit_code: None | str = None
    reason: None | str = None
    new_appointment_at: None | datetime = None
    correction_of: None | uuid.UUID = None


class DossierSubmittedV1(msgspec.Struct, frozen=True):
    """A citizen's dossier (hồ sơ) for one administrative procedure was submitted and accepted for processing, on the portal, at a one-stop-shop counter or by post."""

    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    channel: Channel
    unit_code: str
    submitted_at: datetime
    appointment_at: datetime
    persons: tuple[PersonV1, ...]
    document_refs: tuple[str, ...] = ()
    officer_id: None | str = None


class DossierSubmittedV2(msgspec.Struct, frozen=True):
    """A citizen's dossier (hồ sơ) for one administrative procedure was submitted and accepted for processing, on the portal, at a one-stop-shop counter or by post."""

    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    channel: Channel
    unit_code: str
    submitted_at: datetime
    appointment_at: datetime
    persons: tuple[Person, ...]
    document_refs: tuple[str, ...] = ()
    officer_id: None | str = None


class PersonalDataErasedV1(msgspec.Struct, frozen=True, kw_only=True):
    """A citizen's data key was destroyed on a lawful erasure request: every personal field sealed under it, on every topic and in every copy, now reads as erased. Carries who asked and why; never the personal data itself."""

    erasure_id: uuid.UUID
    subject_id: str
    requested_by: str
    requested_by_unit: None | str = None
    legal_basis: ErasureBasis
    reason: str
    keys_destroyed: int
    erased_at: datetime


class PortalSyncAcknowledgedV1(msgspec.Struct, frozen=True):
    """The national public service portal (Cổng DVC quốc gia) stored an intake event of a dossier in its own copy of the dossier's status history."""

    dossier_id: uuid.UUID
    dossier_code: str
    sequence: int
    source_event_id: str
    source_event_type: str
    status: str
    complete: bool
    acknowledged_at: datetime


class LinkedBundleCompensatedV1(msgspec.Struct, frozen=True):
    """A bundle stopped after a step was rejected or an officer cancelled it; what was kept and undone is listed."""

    bundle_id: uuid.UUID
    bundle_type: BundleType
    failed_step: str
    reason: str
    kept_steps: tuple[str, ...]
    undone_steps: tuple[str, ...]
    skipped_steps: tuple[str, ...]
    compensated_at: datetime


class LinkedBundleCompletedV1(msgspec.Struct, frozen=True):
    """Every step of a linked-procedure bundle was completed."""

    bundle_id: uuid.UUID
    bundle_type: BundleType
    dossier_id: uuid.UUID
    subject_id: str
    unit_code: str
    procedure_code: str
    started_at: datetime
    completed_at: datetime
    on_time: bool


class LinkedBundleDeadlineBreachedV1(msgspec.Struct, frozen=True, kw_only=True):
    """Escalation: a bundle or one of its steps passed its deadline unfinished."""

    bundle_id: uuid.UUID
    bundle_type: BundleType
    step: None | str = None
    deadline_at: datetime
    detected_at: datetime


class LinkedBundleStartedV1(msgspec.Struct, frozen=True):
    """A linked procedure (liên thông) bundle started: one dossier will drive several procedures across agencies."""

    bundle_id: uuid.UUID
    bundle_type: BundleType
    dossier_id: uuid.UUID
    subject_id: str
    unit_code: str
    procedure_code: str
    started_at: datetime
    deadline_at: datetime


class LinkedBundleStepCompletedV1(msgspec.Struct, frozen=True):
    """One agency's step of a linked-procedure bundle was completed."""

    bundle_id: uuid.UUID
    bundle_type: BundleType
    step: str
    agency: str
    completed_at: datetime


class LinkedBundleStepFailedV1(msgspec.Struct, frozen=True):
    """An agency rejected or refused a step of a linked-procedure bundle, or the step's retries ran out."""

    bundle_id: uuid.UUID
    bundle_type: BundleType
    step: str
    agency: str
    reason: str
    failed_at: datetime


class SmokeTestRecordedV1(msgspec.Struct, frozen=True):
    """A probe record the platform writes to test and benchmark its own event path. Carries no personal data."""

    probe_id: uuid.UUID
    sequence: int
    sent_at: datetime
    payload: str


class CitizenVerificationAnsweredV1(msgspec.Struct, frozen=True, kw_only=True):
    """The population registry's answer to a CitizenVerificationRequested: the record found (if any) and records that may be the same person (same normalized name key and birth date, day/month swapped included, or same mother and birth date)."""

    request_id: uuid.UUID
    subject_id: str
    matched_by: MatchedBy
    record: None | CitizenRecordV1 = None
    candidates: tuple[CitizenRecordV1, ...] = ()
    answered_at: datetime


class CitizenVerificationAnsweredV2(msgspec.Struct, frozen=True, kw_only=True):
    """The population registry's answer to a CitizenVerificationRequested: the record found (if any) and records that may be the same person (same normalized name key and birth date, day/month swapped included, or same mother and birth date)."""

    request_id: uuid.UUID
    subject_id: str
    matched_by: MatchedBy
    record: None | CitizenRecordV2 = None
    candidates: tuple[CitizenRecordV2, ...] = ()
    answered_at: datetime


class CitizenVerificationAnsweredV3(msgspec.Struct, frozen=True, kw_only=True):
    """The population registry's answer to a CitizenVerificationRequested: the record found (if any) and records that may be the same person (same normalized name key and birth date, day/month swapped included, or same mother and birth date). Version 3: a record carries its birth place."""

    request_id: uuid.UUID
    subject_id: str
    matched_by: MatchedBy
    record: None | CitizenRecord = None
    candidates: tuple[CitizenRecord, ...] = ()
    answered_at: datetime


class CitizenVerificationBatchAnsweredV1(msgspec.Struct, frozen=True):
    """The population registry's answer to a CitizenVerificationBatchRequested: one answer per request, each as in CitizenVerificationAnswered."""

    batch_id: uuid.UUID
    subject_id: str
    answers: tuple[VerificationAnswerV1, ...]
    answered_at: datetime


class CitizenVerificationBatchAnsweredV2(msgspec.Struct, frozen=True):
    """The population registry's answer to a CitizenVerificationBatchRequested: one answer per request, each as in CitizenVerificationAnswered."""

    batch_id: uuid.UUID
    subject_id: str
    answers: tuple[VerificationAnswerV2, ...]
    answered_at: datetime


class CitizenVerificationBatchAnsweredV3(msgspec.Struct, frozen=True):
    """The population registry's answer to a CitizenVerificationBatchRequested: one answer per request, each as in CitizenVerificationAnswered. Version 3: a record carries its birth place."""

    batch_id: uuid.UUID
    subject_id: str
    answers: tuple[VerificationAnswer, ...]
    answered_at: datetime


class CitizenVerificationBatchRequestedV1(msgspec.Struct, frozen=True):
    """Identity asks the population registry about several persons at once (the persons of one dossier or one civil registration, or a chunk of a bulk check): one message instead of one per person. Each request is answered as a CitizenVerificationRequested would be; see docs/adr/0023-one-verification-request-per-dossier.md."""

    batch_id: uuid.UUID
    subject_id: str
    requests: tuple[VerificationRequestV1, ...]
    requested_at: datetime


class CitizenVerificationBatchRequestedV2(msgspec.Struct, frozen=True):
    """Identity asks the population registry about several persons at once (the persons of one dossier or one civil registration, or a chunk of a bulk check): one message instead of one per person. Each request is answered as a CitizenVerificationRequested would be; see docs/adr/0023-one-verification-request-per-dossier.md."""

    batch_id: uuid.UUID
    subject_id: str
    requests: tuple[VerificationRequest, ...]
    requested_at: datetime


class CitizenVerificationRequestedV1(msgspec.Struct, frozen=True, kw_only=True):
    """Identity asks the population registry for the record of a person (by personal ID number, old CMND number, or, for a newborn without a number, by name, birth date and mother) and for records that may be the same person."""

    request_id: uuid.UUID
    subject_id: str
    id_number: None | str = None
    full_name: str
    birth_date: None | date = None
    mother_id_number: None | str = None
    requested_at: datetime


class CitizenVerificationRequestedV2(msgspec.Struct, frozen=True, kw_only=True):
    """Identity asks the population registry for the record of a person (by personal ID number, old CMND number, or, for a newborn without a number, by name, birth date and mother) and for records that may be the same person."""

    request_id: uuid.UUID
    subject_id: str
    id_number: None | str = None
    full_name: str
    birth_date: None | date = None
    mother_id_number: None | str = None
    requested_at: datetime
    sealed_personal: None | bytes = None


class IssuePersonalIdNumberV1(msgspec.Struct, frozen=True):
    """Command to the population registry: issue a personal identification number to a newborn whose birth was registered."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    full_name: str
    birth_date: date
    gender: Gender
    registration_province_code: str
    requested_at: datetime


class IssuePersonalIdNumberV2(msgspec.Struct, frozen=True):
    """Command to the population registry: issue a personal identification number to a newborn whose birth was registered."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    full_name: str
    birth_date: date
    gender: Gender
    registration_province_code: str
    requested_at: datetime
    sealed_personal: None | bytes = None


class PersonalIdNumberIssuedV1(msgspec.Struct, frozen=True):
    """The population registry issued a personal identification number."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    provisional_subject_id: str
    subject_id: str
    id_number: str
    issued_at: datetime


class PersonalIdNumberIssuedV2(msgspec.Struct, frozen=True):
    """The population registry issued a personal identification number."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    provisional_subject_id: str
    subject_id: str
    id_number: str
    issued_at: datetime
    sealed_personal: None | bytes = None


class PersonalIdNumberRefusedV1(msgspec.Struct, frozen=True):
    """The population registry refused to issue a personal identification number."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    provisional_subject_id: str
    reason: str
    refused_at: datetime


class PermanentResidenceRegisteredV1(msgspec.Struct, frozen=True):
    """Residence registered a person's permanent residence (a person has at most one)."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    residence_id: uuid.UUID
    unit_code: str
    address_pending: bool
    registered_at: datetime


class PermanentResidenceRemovedV1(msgspec.Struct, frozen=True):
    """Residence removed a person's permanent residence."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    had_residence: bool
    effective_date: date
    removed_at: datetime


class RegisterPermanentResidenceV1(msgspec.Struct, frozen=True):
    """Command to residence (Police): register a child's permanent residence at a parent's permanent residence."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    parent_subject_ids: tuple[str, ...]
    unit_code: str
    requested_at: datetime


class RemovePermanentResidenceV1(msgspec.Struct, frozen=True):
    """Command to residence (Police): remove the permanent residence of a deceased person (xóa đăng ký thường trú)."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    effective_date: date
    reason: str
    requested_at: datetime


class ResidenceEndedV1(msgspec.Struct, frozen=True):
    """A person's permanent or temporary residence ended (removed after a death, a move, or the end of a temporary stay)."""

    residence_id: uuid.UUID
    subject_id: str
    kind: ResidenceKind
    ended_at: datetime
    reason: None | str = None


class ResidenceRegisteredV1(msgspec.Struct, frozen=True):
    """The residence register (Police) recorded a person's permanent or temporary residence, whatever started it (an officer at the counter, a linked birth bundle). Other agencies look residence up from these facts instead of asking the citizen (Residence Law 2020)."""

    residence_id: uuid.UUID
    subject_id: str
    kind: ResidenceKind
    unit_code: str
    registered_at: datetime
    valid_until: None | date = None
    recorded_at: None | datetime = None
    agency_record_id: None | str = None


class ResidenceRequestRejectedV1(msgspec.Struct, frozen=True):
    """Residence rejected a command, with a reason."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    reason: str
    rejected_at: datetime


class ResidentParticularsUpdatedV1(msgspec.Struct, frozen=True):
    """Residence applied a civil-status change to a resident's record."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    field: str
    record_found: bool
    updated_at: datetime


class UpdateResidentParticularsV1(msgspec.Struct, frozen=True):
    """Command to residence (Police): apply a civil-status change to the resident's record."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    field: str
    new_value: str
    effective_date: date
    requested_at: datetime


class UpdateResidentParticularsV2(msgspec.Struct, frozen=True):
    """Command to residence (Police): apply a civil-status change to the resident's record."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    field: str
    new_value: str
    effective_date: date
    requested_at: datetime
    sealed_personal: None | bytes = None


class DeathBenefitsRefusedV1(msgspec.Struct, frozen=True):
    """Welfare refused to decide on a death, with a reason (such as UNKNOWN_ADMINISTRATIVE_UNIT); nothing was decided or stopped."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    reason: str
    refused_at: datetime


class DecideDeathBenefitsV1(msgspec.Struct, frozen=True):
    """Command to welfare (LĐTBXH): decide funeral allowance and survivor benefit for a deceased person and stop their recurring payments."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    date_of_death: date
    unit_code: str
    requested_at: datetime


class FuneralAllowanceDecidedV1(msgspec.Struct, frozen=True):
    """Welfare decided the funeral allowance (mai táng phí) for a deceased person."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    eligible: bool
    amount_vnd: int
    basis: str
    decided_at: datetime


class OverpaymentRecordedV1(msgspec.Struct, frozen=True):
    """Welfare recorded, for recovery, a payment made to a beneficiary on or after their date of death."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    payment_id: uuid.UUID
    amount_vnd: int
    paid_on: date
    recorded_at: datetime


class RecurringPaymentsStoppedV1(msgspec.Struct, frozen=True):
    """Welfare stopped a deceased beneficiary's recurring payments from the date of death. Always the last answer to DecideDeathBenefits."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    payments_stopped: int
    stopped_from: date
    overpayments: int
    stopped_at: datetime


class SurvivorBenefitDecidedV1(msgspec.Struct, frozen=True):
    """Welfare decided the survivor benefit (trợ cấp tuất) for a deceased beneficiary's dependants."""

    command_id: uuid.UUID
    bundle_id: uuid.UUID
    subject_id: str
    eligible: bool
    amount_vnd: int
    basis: str
    decided_at: datetime


BirthRegistered = BirthRegisteredV3
CitizenVerificationAnswered = CitizenVerificationAnsweredV3
CitizenVerificationBatchAnswered = CitizenVerificationBatchAnsweredV3
CitizenVerificationBatchRequested = CitizenVerificationBatchRequestedV2
CitizenVerificationRequested = CitizenVerificationRequestedV2
CivilRegistrationRefused = CivilRegistrationRefusedV1
CivilStatusChanged = CivilStatusChangedV2
CorrectionDecided = CorrectionDecidedV1
CorrectionSuggested = CorrectionSuggestedV1
DeathBenefitsRefused = DeathBenefitsRefusedV1
DeathRegistered = DeathRegisteredV2
DecideDeathBenefits = DecideDeathBenefitsV1
DocumentDigitized = DocumentDigitizedV1
DocumentReused = DocumentReusedV1
DocumentRevoked = DocumentRevokedV1
DossierAcknowledgementOverdue = DossierAcknowledgementOverdueV1
DossierCompleted = DossierCompletedV2
DossierOverdue = DossierOverdueV1
DossierStatusChanged = DossierStatusChangedV1
DossierSubmitted = DossierSubmittedV2
DuplicateReviewDecided = DuplicateReviewDecidedV1
DuplicateSuspected = DuplicateSuspectedV2
EndHealthInsurance = EndHealthInsuranceV1
FuneralAllowanceDecided = FuneralAllowanceDecidedV1
HealthInsuranceCardIssued = HealthInsuranceCardIssuedV2
HealthInsuranceCardSynced = HealthInsuranceCardSyncedV1
HealthInsuranceEnded = HealthInsuranceEndedV1
HealthInsuranceLookedUp = HealthInsuranceLookedUpV1
HealthInsuranceRequestRejected = HealthInsuranceRequestRejectedV1
IdentityMismatch = IdentityMismatchV2
IdentityVerified = IdentityVerifiedV2
InsuredParticularsUpdated = InsuredParticularsUpdatedV1
IssueChildHealthInsuranceCard = IssueChildHealthInsuranceCardV2
IssuePersonalIdNumber = IssuePersonalIdNumberV2
LinkedBundleCompensated = LinkedBundleCompensatedV1
LinkedBundleCompleted = LinkedBundleCompletedV1
LinkedBundleDeadlineBreached = LinkedBundleDeadlineBreachedV1
LinkedBundleStarted = LinkedBundleStartedV1
LinkedBundleStepCompleted = LinkedBundleStepCompletedV1
LinkedBundleStepFailed = LinkedBundleStepFailedV1
OverpaymentRecorded = OverpaymentRecordedV1
PermanentResidenceRegistered = PermanentResidenceRegisteredV1
PermanentResidenceRemoved = PermanentResidenceRemovedV1
PersonalDataErased = PersonalDataErasedV1
PersonalIdNumberIssued = PersonalIdNumberIssuedV2
PersonalIdNumberRefused = PersonalIdNumberRefusedV1
PortalSyncAcknowledged = PortalSyncAcknowledgedV1
RecurringPaymentsStopped = RecurringPaymentsStoppedV1
RegisterBirth = RegisterBirthV2
RegisterPermanentResidence = RegisterPermanentResidenceV1
RemovePermanentResidence = RemovePermanentResidenceV1
ResidenceEnded = ResidenceEndedV1
ResidenceRegistered = ResidenceRegisteredV1
ResidenceRequestRejected = ResidenceRequestRejectedV1
ResidentParticularsUpdated = ResidentParticularsUpdatedV1
ResultIssued = ResultIssuedV1
SmokeTestRecorded = SmokeTestRecordedV1
SurvivorBenefitDecided = SurvivorBenefitDecidedV1
UpdateInsuredParticulars = UpdateInsuredParticularsV2
UpdateResidentParticulars = UpdateResidentParticularsV2

EVENTS: dict[str, type[msgspec.Struct]] = {
    'vn.lienthong.civil_registry.BirthRegistered': BirthRegisteredV3,
    'vn.lienthong.civil_registry.CivilRegistrationRefused': CivilRegistrationRefusedV1,
    'vn.lienthong.civil_registry.CivilStatusChanged': CivilStatusChangedV2,
    'vn.lienthong.civil_registry.DeathRegistered': DeathRegisteredV2,
    'vn.lienthong.civil_registry.RegisterBirth': RegisterBirthV2,
    'vn.lienthong.digitization.DocumentDigitized': DocumentDigitizedV1,
    'vn.lienthong.digitization.DocumentReused': DocumentReusedV1,
    'vn.lienthong.digitization.DocumentRevoked': DocumentRevokedV1,
    'vn.lienthong.digitization.ResultIssued': ResultIssuedV1,
    'vn.lienthong.identity.CorrectionDecided': CorrectionDecidedV1,
    'vn.lienthong.identity.CorrectionSuggested': CorrectionSuggestedV1,
    'vn.lienthong.identity.DuplicateReviewDecided': DuplicateReviewDecidedV1,
    'vn.lienthong.identity.DuplicateSuspected': DuplicateSuspectedV2,
    'vn.lienthong.identity.IdentityMismatch': IdentityMismatchV2,
    'vn.lienthong.identity.IdentityVerified': IdentityVerifiedV2,
    'vn.lienthong.insurance.EndHealthInsurance': EndHealthInsuranceV1,
    'vn.lienthong.insurance.HealthInsuranceCardIssued': HealthInsuranceCardIssuedV2,
    'vn.lienthong.insurance.HealthInsuranceCardSynced': HealthInsuranceCardSyncedV1,
    'vn.lienthong.insurance.HealthInsuranceEnded': HealthInsuranceEndedV1,
    'vn.lienthong.insurance.HealthInsuranceLookedUp': HealthInsuranceLookedUpV1,
    'vn.lienthong.insurance.HealthInsuranceRequestRejected': HealthInsuranceRequestRejectedV1,
    'vn.lienthong.insurance.InsuredParticularsUpdated': InsuredParticularsUpdatedV1,
    'vn.lienthong.insurance.IssueChildHealthInsuranceCard': IssueChildHealthInsuranceCardV2,
    'vn.lienthong.insurance.UpdateInsuredParticulars': UpdateInsuredParticularsV2,
    'vn.lienthong.intake.DossierAcknowledgementOverdue': DossierAcknowledgementOverdueV1,
    'vn.lienthong.intake.DossierCompleted': DossierCompletedV2,
    'vn.lienthong.intake.DossierOverdue': DossierOverdueV1,
    'vn.lienthong.intake.DossierStatusChanged': DossierStatusChangedV1,
    'vn.lienthong.intake.DossierSubmitted': DossierSubmittedV2,
    'vn.lienthong.keys.PersonalDataErased': PersonalDataErasedV1,
    'vn.lienthong.national_portal.PortalSyncAcknowledged': PortalSyncAcknowledgedV1,
    'vn.lienthong.orchestrator.LinkedBundleCompensated': LinkedBundleCompensatedV1,
    'vn.lienthong.orchestrator.LinkedBundleCompleted': LinkedBundleCompletedV1,
    'vn.lienthong.orchestrator.LinkedBundleDeadlineBreached': LinkedBundleDeadlineBreachedV1,
    'vn.lienthong.orchestrator.LinkedBundleStarted': LinkedBundleStartedV1,
    'vn.lienthong.orchestrator.LinkedBundleStepCompleted': LinkedBundleStepCompletedV1,
    'vn.lienthong.orchestrator.LinkedBundleStepFailed': LinkedBundleStepFailedV1,
    'vn.lienthong.platform.SmokeTestRecorded': SmokeTestRecordedV1,
    'vn.lienthong.population.CitizenVerificationAnswered': CitizenVerificationAnsweredV3,
    'vn.lienthong.population.CitizenVerificationBatchAnswered': CitizenVerificationBatchAnsweredV3,
    'vn.lienthong.population.CitizenVerificationBatchRequested': CitizenVerificationBatchRequestedV2,
    'vn.lienthong.population.CitizenVerificationRequested': CitizenVerificationRequestedV2,
    'vn.lienthong.population.IssuePersonalIdNumber': IssuePersonalIdNumberV2,
    'vn.lienthong.population.PersonalIdNumberIssued': PersonalIdNumberIssuedV2,
    'vn.lienthong.population.PersonalIdNumberRefused': PersonalIdNumberRefusedV1,
    'vn.lienthong.residence.PermanentResidenceRegistered': PermanentResidenceRegisteredV1,
    'vn.lienthong.residence.PermanentResidenceRemoved': PermanentResidenceRemovedV1,
    'vn.lienthong.residence.RegisterPermanentResidence': RegisterPermanentResidenceV1,
    'vn.lienthong.residence.RemovePermanentResidence': RemovePermanentResidenceV1,
    'vn.lienthong.residence.ResidenceEnded': ResidenceEndedV1,
    'vn.lienthong.residence.ResidenceRegistered': ResidenceRegisteredV1,
    'vn.lienthong.residence.ResidenceRequestRejected': ResidenceRequestRejectedV1,
    'vn.lienthong.residence.ResidentParticularsUpdated': ResidentParticularsUpdatedV1,
    'vn.lienthong.residence.UpdateResidentParticulars': UpdateResidentParticularsV2,
    'vn.lienthong.welfare.DeathBenefitsRefused': DeathBenefitsRefusedV1,
    'vn.lienthong.welfare.DecideDeathBenefits': DecideDeathBenefitsV1,
    'vn.lienthong.welfare.FuneralAllowanceDecided': FuneralAllowanceDecidedV1,
    'vn.lienthong.welfare.OverpaymentRecorded': OverpaymentRecordedV1,
    'vn.lienthong.welfare.RecurringPaymentsStopped': RecurringPaymentsStoppedV1,
    'vn.lienthong.welfare.SurvivorBenefitDecided': SurvivorBenefitDecidedV1,
}

VERSIONS: dict[tuple[str, int], type[msgspec.Struct]] = {
    ('vn.lienthong.civil_registry.BirthRegistered', 1): BirthRegisteredV1,
    ('vn.lienthong.civil_registry.BirthRegistered', 2): BirthRegisteredV2,
    ('vn.lienthong.civil_registry.BirthRegistered', 3): BirthRegisteredV3,
    ('vn.lienthong.civil_registry.CivilRegistrationRefused', 1): CivilRegistrationRefusedV1,
    ('vn.lienthong.civil_registry.CivilStatusChanged', 1): CivilStatusChangedV1,
    ('vn.lienthong.civil_registry.CivilStatusChanged', 2): CivilStatusChangedV2,
    ('vn.lienthong.civil_registry.DeathRegistered', 1): DeathRegisteredV1,
    ('vn.lienthong.civil_registry.DeathRegistered', 2): DeathRegisteredV2,
    ('vn.lienthong.civil_registry.RegisterBirth', 1): RegisterBirthV1,
    ('vn.lienthong.civil_registry.RegisterBirth', 2): RegisterBirthV2,
    ('vn.lienthong.digitization.DocumentDigitized', 1): DocumentDigitizedV1,
    ('vn.lienthong.digitization.DocumentReused', 1): DocumentReusedV1,
    ('vn.lienthong.digitization.DocumentRevoked', 1): DocumentRevokedV1,
    ('vn.lienthong.digitization.ResultIssued', 1): ResultIssuedV1,
    ('vn.lienthong.identity.CorrectionDecided', 1): CorrectionDecidedV1,
    ('vn.lienthong.identity.CorrectionSuggested', 1): CorrectionSuggestedV1,
    ('vn.lienthong.identity.DuplicateReviewDecided', 1): DuplicateReviewDecidedV1,
    ('vn.lienthong.identity.DuplicateSuspected', 1): DuplicateSuspectedV1,
    ('vn.lienthong.identity.DuplicateSuspected', 2): DuplicateSuspectedV2,
    ('vn.lienthong.identity.IdentityMismatch', 1): IdentityMismatchV1,
    ('vn.lienthong.identity.IdentityMismatch', 2): IdentityMismatchV2,
    ('vn.lienthong.identity.IdentityVerified', 1): IdentityVerifiedV1,
    ('vn.lienthong.identity.IdentityVerified', 2): IdentityVerifiedV2,
    ('vn.lienthong.insurance.EndHealthInsurance', 1): EndHealthInsuranceV1,
    ('vn.lienthong.insurance.HealthInsuranceCardIssued', 1): HealthInsuranceCardIssuedV1,
    ('vn.lienthong.insurance.HealthInsuranceCardIssued', 2): HealthInsuranceCardIssuedV2,
    ('vn.lienthong.insurance.HealthInsuranceCardSynced', 1): HealthInsuranceCardSyncedV1,
    ('vn.lienthong.insurance.HealthInsuranceEnded', 1): HealthInsuranceEndedV1,
    ('vn.lienthong.insurance.HealthInsuranceLookedUp', 1): HealthInsuranceLookedUpV1,
    ('vn.lienthong.insurance.HealthInsuranceRequestRejected', 1): HealthInsuranceRequestRejectedV1,
    ('vn.lienthong.insurance.InsuredParticularsUpdated', 1): InsuredParticularsUpdatedV1,
    ('vn.lienthong.insurance.IssueChildHealthInsuranceCard', 1): IssueChildHealthInsuranceCardV1,
    ('vn.lienthong.insurance.IssueChildHealthInsuranceCard', 2): IssueChildHealthInsuranceCardV2,
    ('vn.lienthong.insurance.UpdateInsuredParticulars', 1): UpdateInsuredParticularsV1,
    ('vn.lienthong.insurance.UpdateInsuredParticulars', 2): UpdateInsuredParticularsV2,
    ('vn.lienthong.intake.DossierAcknowledgementOverdue', 1): DossierAcknowledgementOverdueV1,
    ('vn.lienthong.intake.DossierCompleted', 1): DossierCompletedV1,
    ('vn.lienthong.intake.DossierCompleted', 2): DossierCompletedV2,
    ('vn.lienthong.intake.DossierOverdue', 1): DossierOverdueV1,
    ('vn.lienthong.intake.DossierStatusChanged', 1): DossierStatusChangedV1,
    ('vn.lienthong.intake.DossierSubmitted', 1): DossierSubmittedV1,
    ('vn.lienthong.intake.DossierSubmitted', 2): DossierSubmittedV2,
    ('vn.lienthong.keys.PersonalDataErased', 1): PersonalDataErasedV1,
    ('vn.lienthong.national_portal.PortalSyncAcknowledged', 1): PortalSyncAcknowledgedV1,
    ('vn.lienthong.orchestrator.LinkedBundleCompensated', 1): LinkedBundleCompensatedV1,
    ('vn.lienthong.orchestrator.LinkedBundleCompleted', 1): LinkedBundleCompletedV1,
    ('vn.lienthong.orchestrator.LinkedBundleDeadlineBreached', 1): LinkedBundleDeadlineBreachedV1,
    ('vn.lienthong.orchestrator.LinkedBundleStarted', 1): LinkedBundleStartedV1,
    ('vn.lienthong.orchestrator.LinkedBundleStepCompleted', 1): LinkedBundleStepCompletedV1,
    ('vn.lienthong.orchestrator.LinkedBundleStepFailed', 1): LinkedBundleStepFailedV1,
    ('vn.lienthong.platform.SmokeTestRecorded', 1): SmokeTestRecordedV1,
    ('vn.lienthong.population.CitizenVerificationAnswered', 1): CitizenVerificationAnsweredV1,
    ('vn.lienthong.population.CitizenVerificationAnswered', 2): CitizenVerificationAnsweredV2,
    ('vn.lienthong.population.CitizenVerificationAnswered', 3): CitizenVerificationAnsweredV3,
    ('vn.lienthong.population.CitizenVerificationBatchAnswered', 1): CitizenVerificationBatchAnsweredV1,
    ('vn.lienthong.population.CitizenVerificationBatchAnswered', 2): CitizenVerificationBatchAnsweredV2,
    ('vn.lienthong.population.CitizenVerificationBatchAnswered', 3): CitizenVerificationBatchAnsweredV3,
    ('vn.lienthong.population.CitizenVerificationBatchRequested', 1): CitizenVerificationBatchRequestedV1,
    ('vn.lienthong.population.CitizenVerificationBatchRequested', 2): CitizenVerificationBatchRequestedV2,
    ('vn.lienthong.population.CitizenVerificationRequested', 1): CitizenVerificationRequestedV1,
    ('vn.lienthong.population.CitizenVerificationRequested', 2): CitizenVerificationRequestedV2,
    ('vn.lienthong.population.IssuePersonalIdNumber', 1): IssuePersonalIdNumberV1,
    ('vn.lienthong.population.IssuePersonalIdNumber', 2): IssuePersonalIdNumberV2,
    ('vn.lienthong.population.PersonalIdNumberIssued', 1): PersonalIdNumberIssuedV1,
    ('vn.lienthong.population.PersonalIdNumberIssued', 2): PersonalIdNumberIssuedV2,
    ('vn.lienthong.population.PersonalIdNumberRefused', 1): PersonalIdNumberRefusedV1,
    ('vn.lienthong.residence.PermanentResidenceRegistered', 1): PermanentResidenceRegisteredV1,
    ('vn.lienthong.residence.PermanentResidenceRemoved', 1): PermanentResidenceRemovedV1,
    ('vn.lienthong.residence.RegisterPermanentResidence', 1): RegisterPermanentResidenceV1,
    ('vn.lienthong.residence.RemovePermanentResidence', 1): RemovePermanentResidenceV1,
    ('vn.lienthong.residence.ResidenceEnded', 1): ResidenceEndedV1,
    ('vn.lienthong.residence.ResidenceRegistered', 1): ResidenceRegisteredV1,
    ('vn.lienthong.residence.ResidenceRequestRejected', 1): ResidenceRequestRejectedV1,
    ('vn.lienthong.residence.ResidentParticularsUpdated', 1): ResidentParticularsUpdatedV1,
    ('vn.lienthong.residence.UpdateResidentParticulars', 1): UpdateResidentParticularsV1,
    ('vn.lienthong.residence.UpdateResidentParticulars', 2): UpdateResidentParticularsV2,
    ('vn.lienthong.welfare.DeathBenefitsRefused', 1): DeathBenefitsRefusedV1,
    ('vn.lienthong.welfare.DecideDeathBenefits', 1): DecideDeathBenefitsV1,
    ('vn.lienthong.welfare.FuneralAllowanceDecided', 1): FuneralAllowanceDecidedV1,
    ('vn.lienthong.welfare.OverpaymentRecorded', 1): OverpaymentRecordedV1,
    ('vn.lienthong.welfare.RecurringPaymentsStopped', 1): RecurringPaymentsStoppedV1,
    ('vn.lienthong.welfare.SurvivorBenefitDecided', 1): SurvivorBenefitDecidedV1,
}
