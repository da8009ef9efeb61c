"""Reconcile an agency dataset (a CSV such as a vaccination register) against the population
data through identity's API, with a progress bar; resumable after an interruption.

    python -m identity.entrypoints.bulk register.csv --url http://127.0.0.1:8003 \\
        --token "$TOKEN" [--dataset "vaccination register"]

The CSV needs the columns ``id_number``, ``full_name``, ``birth_date`` (YYYY-MM-DD or
DD/MM/YYYY) and ``gender`` (male/female, nam/nữ; may be empty). The job id is kept in
``<file>.job``; running the command again continues from the first row the service has not
received (rows are idempotent by number) and then waits for every check to conclude. Lines
that cannot be read are reported by line number (never by content) and skipped.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

CHUNK = 500
GENDERS = {"male": "male", "nam": "male", "m": "male", "female": "female", "nữ": "female",
           "nu": "female", "f": "female"}  # fmt: skip


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError("birth_date is not YYYY-MM-DD or DD/MM/YYYY")


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(row number, row as the API takes it) or (row number, why it cannot be read)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, raw in enumerate(csv.DictReader(handle)):
            try:
                gender_text = (raw.get("gender") or "").strip().lower()
                if gender_text and gender_text not in GENDERS:
                    raise ValueError("gender is not male/female")
                name = " ".join((raw.get("full_name") or "").split())
                if not name:
                    raise ValueError("full_name is empty")
                born = parse_date(raw.get("birth_date") or "")
                yield (
                    number,
                    {
                        "id_number": (raw.get("id_number") or "").strip() or None,
                        "full_name": name,
                        "birth_date": born.isoformat() if born else None,
                        "gender": GENDERS.get(gender_text),
                    },
                )
            except ValueError as exc:
                yield number, str(exc)


def run(path: Path, url: str, token: str, dataset: str, poll: float = 0.5) -> dict[str, Any]:
    state = path.with_name(path.name + ".job")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url.rstrip("/") + "/api/v1", headers=headers, timeout=60) as api:
        if state.exists():
            job_id = state.read_text().strip()
            progress = api.get(f"/bulk-checks/{job_id}").raise_for_status().json()
        else:
            progress = api.post("/bulk-checks", json={"dataset": dataset}).raise_for_status().json()
            job_id = progress["job_id"]
            state.write_text(job_id + "\n")
        rows = list(read_rows(path))
        unreadable = [(n, why) for n, why in rows if isinstance(why, str)]
        # Unreadable lines keep their number (so numbering is stable across runs) but are sent
        # as nothing: the service's row numbers follow the file's.
        readable = [(n, row) for n, row in rows if not isinstance(row, str)]
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), transient=False,
        ) as bar:  # fmt: skip
            upload = bar.add_task("uploaded", total=len(readable))
            pending = [(n, row) for n, row in readable if n >= progress["next_row"]]
            bar.update(upload, completed=len(readable) - len(pending))
            for start in range(0, len(pending), CHUNK):
                chunk = pending[start : start + CHUNK]
                for first, run_rows in _contiguous(chunk):
                    progress = (
                        api.post(
                            f"/bulk-checks/{job_id}/rows",
                            json={"first_row": first, "rows": run_rows},
                        )
                        .raise_for_status()
                        .json()
                    )
                bar.update(upload, advance=len(chunk))
            checked = bar.add_task("checked", total=progress["received"])
            while True:
                progress = api.get(f"/bulk-checks/{job_id}").raise_for_status().json()
                bar.update(checked, completed=progress["concluded"], total=progress["received"])
                if progress["concluded"] >= progress["received"]:
                    break
                time.sleep(poll)
    for number, why in unreadable:
        print(f"row {number}: skipped: {why}", file=sys.stderr)
    result: dict[str, Any] = dict(progress)
    result["unreadable"] = len(unreadable)
    return result


def _contiguous(
    chunk: list[tuple[int, dict[str, Any]]],
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Runs of consecutive row numbers (unreadable lines split them)."""
    run_rows: list[dict[str, Any]] = []
    first = previous = -2
    for number, row in chunk:
        if number != previous + 1 and run_rows:
            yield first, run_rows
            run_rows = []
        if not run_rows:
            first = number
        run_rows.append(row)
        previous = number
    if run_rows:
        yield first, run_rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("csv", type=Path)
    parser.add_argument("--url", required=True, help="identity's base URL")
    parser.add_argument("--token", required=True, help="an officer's bearer token")
    parser.add_argument("--dataset", default="agency dataset")
    args = parser.parse_args(argv)
    result = run(args.csv, args.url, args.token, args.dataset)
    print(
        f"verified {result['verified']}, wrong {result['wrong']}, missing {result['missing']}, "
        f"unreadable {result['unreadable']} (job {result['job_id']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
