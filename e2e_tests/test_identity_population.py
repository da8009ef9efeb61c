"""Identity checks people against the reference population registry, over Kafka, through
real processes: encodings and old CMND numbers are the same person, a deceased applicant is
flagged, a registry that is down delays checks without false NOT_FOUND, and an officer's
duplicate decision merges the records."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from confluent_kafka import Consumer

from e2e_tests.flows import eventually, submit
from identity.entrypoints import bulk
from lienthong.auth import Role
from lienthong.service import load_codec
from lienthong.vn.legacy_encodings import encode_legacy_text
from lienthong_tools.devstack import Stack, kafka_bootstrap


def applicant(name: str, number: str | None, born: str, gender: str) -> dict[str, Any]:
    return {
        "procedure_code": "RESIDENCE_TEMPORARY",
        "channel": "counter",
        "unit_code": "51",
        "persons": [
            {
                "role": "applicant",
                "full_name": name,
                "id_number": number,
                "birth_date": born,
                "gender": gender,
            }
        ],
    }


class Verifications:
    """Reads identity's results for given dossiers from the real topic."""

    def __init__(self, stack: Stack) -> None:
        self._codec = load_codec()
        self._consumer = Consumer(
            {
                "bootstrap.servers": kafka_bootstrap(),
                "group.id": f"e2e-identity-{uuid.uuid4()}",
                "auto.offset.reset": "earliest",
            }
        )
        self._consumer.subscribe([stack.topic("identity.verification.events")])
        self.seen: dict[str, list[dict[str, Any]]] = {}

    def _drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            msg = self._consumer.poll(0.2)
            if msg is None or msg.error():
                continue
            decoded = self._codec.decode(msg.value() or b"")
            record = dict(decoded.record)
            record["__type__"] = decoded.full_name.rsplit(".", 1)[-1]
            self.seen.setdefault(str(record["dossier_id"]), []).append(record)

    async def of(self, dossier_id: str, want: int = 1, timeout: float = 15.0) -> list[Any]:
        async def probe() -> list[Any] | None:
            await asyncio.to_thread(self._drain, 0.5)
            found = self.seen.get(dossier_id, [])
            return found if len(found) >= want else None

        return await eventually(probe, timeout=timeout, interval=0.05)

    async def none_for(self, dossier_id: str, seconds: float) -> bool:
        await asyncio.to_thread(self._drain, seconds)
        return dossier_id not in self.seen

    def close(self) -> None:
        self._consumer.close()


async def test_population_data_decide_verified_and_mismatched_applicants(
    stack: Stack, officer_token: str
) -> None:
    results = Verifications(stack)
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            intake = stack.url("intake")
            tcvn3 = await submit(client, intake, officer_token, applicant(
                encode_legacy_text("Nguyễn Văn Hùng", "tcvn3"), "051090123456",
                "1990-03-14", "male"))  # fmt: skip
            deceased = await submit(client, intake, officer_token, applicant(
                "Đặng Văn Lộc", "051050300871", "1950-02-11", "male"))  # fmt: skip
            unknown = await submit(client, intake, officer_token, applicant(
                "Phan Văn Tư", "051090000001", "1990-01-01", "male"))  # fmt: skip
        [ok] = await results.of(tcvn3["id"])
        assert ok["__type__"] == "IdentityVerified"
        assert {m["field"]: m["level"] for m in ok["field_matches"]}["full_name"] == "NORMALIZED"
        [dead] = await results.of(deceased["id"])
        assert (dead["__type__"], dead["category"]) == ("IdentityMismatch", "DECEASED")
        [missing] = await results.of(unknown["id"])
        assert missing["category"] == "NOT_FOUND"
    finally:
        results.close()


async def test_registry_down_delays_checks_and_loses_none_without_false_not_found(
    stack: Stack, officer_token: str
) -> None:
    results = Verifications(stack)
    # Stopped (it leaves its consumer group), so the restarted registry gets its partitions
    # at once; a crash (SIGKILL) is covered for every consumer by test_delivery_guarantees.
    await asyncio.to_thread(stack.processes["population_registry"].stop)
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            dossier = await submit(client, stack.url("intake"), officer_token, applicant(
                "Trần Thị Thủy", "051192654321", "1992-07-02", "female"))  # fmt: skip
            assert await results.none_for(dossier["id"], 2.0)
            r = await client.get(
                f"{stack.url('identity')}/api/v1/reconciliation",
                headers={"Authorization": f"Bearer {officer_token}"},
            )
            assert r.json()["waiting_for_population_registry"] >= 1
    finally:
        await stack.restart("population_registry")
    try:
        [result] = await results.of(dossier["id"], timeout=20)
        assert result["__type__"] == "IdentityVerified"
    finally:
        results.close()


async def test_officer_confirms_a_suspected_duplicate_and_the_registry_merges_it(
    stack: Stack, officer_token: str
) -> None:
    results = Verifications(stack)
    # Population data is the Police's: a Police officer decides, nobody else.
    auth = {"Authorization": f"Bearer {stack.token(Role.OFFICER, agency='POLICE', unit='51')}"}
    health = {"Authorization": f"Bearer {stack.token(Role.OFFICER, agency='HEALTH', unit='01')}"}
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            dossier = await submit(client, stack.url("intake"), officer_token, applicant(
                "Bùi Thị Ngọc Ánh", "051172009314", "1972-04-18", "female"))  # fmt: skip
            [flag] = await results.of(dossier["id"])
            assert flag["category"] == "SUSPECTED_DUPLICATE"

            cases = (await client.get(f"{stack.url('identity')}/api/v1/review-cases",
                                      headers=auth)).json()  # fmt: skip
            [case] = [c for c in cases if c["verification_id"] == str(flag["verification_id"])]
            bad = await client.post(
                f"{stack.url('identity')}/api/v1/review-cases/{case['case_id']}/decision",
                json={"decision": "maybe"},
                headers=auth,
            )
            assert bad.status_code == 422
            assert bad.headers["content-type"] == "application/problem+json"
            assert bad.json()["errors"][0]["pointer"] == "/decision"
            for outsider in (health, {"Authorization": f"Bearer {officer_token}"}):
                refused = await client.post(
                    f"{stack.url('identity')}/api/v1/review-cases/{case['case_id']}/decision",
                    json={"decision": "same_person"},
                    headers=outsider,
                )
                assert refused.status_code == 403, refused.text
            decided = await client.post(
                f"{stack.url('identity')}/api/v1/review-cases/{case['case_id']}/decision",
                json={"decision": "same_person"},
                headers=auth,
            )
            assert decided.status_code == 200, decided.text
            assert decided.json()["status"] == "SAME_PERSON"
            assert decided.json()["decided_by"]

            async def merged() -> dict[str, Any] | None:
                r = await client.get(
                    f"{stack.url('population_registry')}/api/v1/citizens/051172118840",
                    headers=auth,
                )
                return r.json() if r.json().get("status") == "MERGED" else None

            citizen = await eventually(merged, timeout=15)
            assert citizen["merged_into"] == "051172009314"
            again = await client.post(
                f"{stack.url('identity')}/api/v1/review-cases/{case['case_id']}/decision",
                json={"decision": "different_persons"},
                headers=auth,
            )
            assert again.status_code == 409
    finally:
        results.close()


async def test_clinic_lookup_by_cccd_answers_whatever_the_name_s_encoding(
    stack: Stack,
) -> None:
    clinic = stack.token(Role.OFFICER, agency="HEALTH", unit="51")
    url = f"{stack.url('population_registry')}/api/v1/health-insurance/lookups"
    auth = {"Authorization": f"Bearer {clinic}"}
    async with httpx.AsyncClient(timeout=10) as client:

        async def lookup(number: str, name: str) -> httpx.Response:
            return await client.post(url, json={"id_number": number, "full_name": name},
                                     headers=auth)  # fmt: skip

        for name in (encode_legacy_text("Nguyễn Văn Hùng", "vni"), "NGUYEN VAN HUNG"):
            r = await lookup("051090123456", name)
            assert r.status_code == 200, r.text
            assert (r.json()["identity"], r.json()["insured"]) == ("MATCH", True)
        expired = (await lookup("051192654321", "Trần Thị Thủy")).json()
        assert (expired["identity"], expired["insured"]) == ("MATCH", False)
        other = (await lookup("051090123456", "Nguyễn Văn Hưng")).json()
        assert (other["identity"], other["insured"]) == ("NAME_MISMATCH", False)
        bad = await lookup("12345", "Nguyễn Văn Hùng")
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["pointer"] == "/id_number"


async def test_bulk_check_of_an_agency_dataset_counts_and_resumes(
    stack: Stack, officer_token: str, tmp_path: Path
) -> None:
    register = tmp_path / "vaccination.csv"
    register.write_text(
        "id_number,full_name,birth_date,gender\n"
        "051090123456,NGUYEN VAN HUNG,14/03/1990,nam\n"
        "051192654321,Trần Thị Thu,1992-07-02,nữ\n"
        "051090000001,Phan Văn Tư,1990-01-01,nam\n"
        ",Không Có Số,1980-01-01,\n"
        "051088204417,Lê Văn Đức,not a date,nam\n",
        encoding="utf-8",
    )
    first = await asyncio.to_thread(
        bulk.run, register, stack.url("identity"), officer_token, "vaccination register", 0.1
    )
    assert (first["verified"], first["wrong"], first["missing"]) == (1, 1, 2)
    assert first["unreadable"] == 1
    # Run again (as after an interruption): same job, nothing checked twice.
    again = await asyncio.to_thread(
        bulk.run, register, stack.url("identity"), officer_token, "vaccination register", 0.1
    )
    assert again["job_id"] == first["job_id"] and again["received"] == 4


async def test_legacy_names_old_numbers_and_no_numbers_reach_identity_and_its_queues(
    stack: Stack, officer_token: str
) -> None:
    results = Verifications(stack)
    auth = {"Authorization": f"Bearer {officer_token}"}
    citizen = {"Authorization": f"Bearer {stack.token(Role.CITIZEN)}"}
    identity = stack.url("identity")
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            intake = stack.url("intake")
            # TCVN3 "ạ" reads "¹", which isdigit() takes for a digit; and an old CMND.
            cmnd = await submit(client, intake, officer_token, applicant(
                "Huúnh Ngäc S¬n", "211888123", "1985-01-30", "male"))  # fmt: skip
            numberless = await submit(client, intake, officer_token, applicant(
                "Ph¹m ThÞ Hoµ", None, "1991-11-09", "female"))  # fmt: skip
            typo = await submit(client, intake, officer_token, applicant(
                "Võ Thị Mỹ Lnh", None, "1987-08-15", "female"))  # fmt: skip
            [by_cmnd] = await results.of(cmnd["id"])
            assert by_cmnd["__type__"] == "IdentityVerified"
            [found] = await results.of(numberless["id"])
            assert found["__type__"] == "IdentityVerified"
            assert {m["field"]: m["level"] for m in found["field_matches"]}["id_number"] == (
                "DEMOGRAPHIC"
            )
            [wrong] = await results.of(typo["id"])
            assert wrong["category"] == "NAME_MISMATCH"

            forbidden = await client.get(f"{identity}/api/v1/correction-cases", headers=citizen)
            assert forbidden.status_code == 403
            assert forbidden.headers["content-type"] == "application/problem+json"
            queue = (await client.get(f"{identity}/api/v1/correction-cases", headers=auth)).json()
            [case] = [c for c in queue if c["verification_id"] == str(wrong["verification_id"])]
            assert [(c["field"], c["suggested"]) for c in case["corrections"]] == [
                ("full_name", "Võ Thị Mỹ Linh")
            ]
            decided = await client.post(
                f"{identity}/api/v1/correction-cases/{case['case_id']}/decision",
                json={"decision": "accepted"},
                headers=auth,
            )
            assert decided.status_code == 200, decided.text
            assert decided.json()["status"] == "ACCEPTED"
            report = (await client.get(f"{identity}/api/v1/reconciliation", headers=auth)).json()
            assert set(report["birth_id_number_errors"]) == {
                "civil_registry_population_mismatch", "suspected_duplicate",
                "child_needs_verification",
            }  # fmt: skip
    finally:
        results.close()
