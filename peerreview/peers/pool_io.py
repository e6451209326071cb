"""Import and export the peer pool as CSV or XLSX.

Import checks every row first and reports each problem with its line number and the fix. Nothing is saved
unless every row is good. Rows are matched to existing profiles by email address and update them.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from peerreview.core import audit
from peerreview.councils.models import Organisation
from peerreview.policy.library import library

from .models import DEFAULT_CAPS, ROLE_LABELS, Conflict, PeerProfile

COLUMNS = [
    "email",
    "full_name",
    "organisation",
    "job_title",
    "role",
    "specialisms",
    "region",
    "trained_on",
    "unavailable_weeks",
    "reviews_this_year",
    "yearly_cap",
    "reviews_total",
    "conflict_organisations",
    "conflict_people",
    "former_employers",
]
REQUIRED = ["email", "full_name", "organisation", "role"]
LIST_SEPARATOR = ";"
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass
class RowProblem:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;,]", value or "") if v.strip()]


def read_table(name: str, data: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (line number, row) pairs from a CSV or XLSX file."""
    if name.lower().endswith(".xlsx"):
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.active
        rows = list(ws.iter_rows(values_only=True))
        wb.close()
        if not rows:
            return [], []
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        out = []
        for n, row in enumerate(rows[1:], start=2):
            values = ["" if v is None else v for v in row]
            if all(v == "" for v in values):
                continue
            cells = {}
            for h, v in zip(header, values, strict=False):
                if isinstance(v, datetime.datetime):
                    v = v.date().isoformat()
                elif isinstance(v, datetime.date):
                    v = v.isoformat()
                elif isinstance(v, float) and v.is_integer():
                    v = str(int(v))
                cells[h] = str(v).strip()
            out.append((n, cells))
        return header, out
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        return [], []
    header = [h.strip() for h in rows[0]]
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        out.append((n, {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}))
    return header, out


def _int(value: str, default: int, line: int, column: str, problems: list) -> int:
    if value == "":
        return default
    if not value.isdigit():
        problems.append(RowProblem(line, column, f"{value!r} is not a whole number; write a number such as 0 or 1"))
        return default
    return int(value)


def _check_row(line: int, row: dict, orgs: dict, themes: set, problems: list) -> dict | None:
    before = len(problems)
    email = row.get("email", "").lower()
    try:
        validate_email(email)
    except ValidationError:
        problems.append(
            RowProblem(
                line, "email", f"{email or 'blank'!r} is not an email address; write it like name@council.gov.uk"
            )
        )
    name = row.get("full_name", "")
    if not name:
        problems.append(RowProblem(line, "full_name", "the name is blank; enter the person's full name"))
    org = orgs.get(row.get("organisation", "").lower())
    if org is None:
        problems.append(
            RowProblem(
                line,
                "organisation",
                f"{row.get('organisation', '')!r} is not a known organisation code; use a code from the councils list, such as kent",
            )
        )
    role = row.get("role", "")
    if role not in ROLE_LABELS:
        problems.append(RowProblem(line, "role", f"{role!r} is not a role; use one of {', '.join(ROLE_LABELS)}"))
    specialisms = _split(row.get("specialisms", ""))
    unknown = [s for s in specialisms if s not in themes]
    if unknown:
        problems.append(
            RowProblem(
                line,
                "specialisms",
                f"{', '.join(unknown)} not in the lines of enquiry library; use theme codes such as {', '.join(sorted(themes)[:4])}",
            )
        )
    trained = None
    if row.get("trained_on"):
        try:
            trained = datetime.date.fromisoformat(row["trained_on"])
        except ValueError:
            problems.append(
                RowProblem(line, "trained_on", f"{row['trained_on']!r} is not a date; write it like 2026-03-09")
            )
    weeks = _split(row.get("unavailable_weeks", ""))
    for w in weeks:
        m = _WEEK.match(w)
        try:
            ok = bool(m) and bool(datetime.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1))
        except ValueError:
            ok = False
        if not ok:
            problems.append(RowProblem(line, "unavailable_weeks", f"{w!r} is not an ISO week; write it like 2027-W10"))
    conflict_orgs = _split(row.get("conflict_organisations", ""))
    bad = [c for c in conflict_orgs if c.lower() not in orgs]
    if bad:
        problems.append(
            RowProblem(
                line, "conflict_organisations", f"{', '.join(bad)} not known organisation codes; use codes such as kent"
            )
        )
    former = []
    for item in _split(row.get("former_employers", "")):
        code, _, year = item.partition(":")
        if code.lower() not in orgs or not (year.isdigit() and len(year) == 4):
            problems.append(
                RowProblem(line, "former_employers", f"{item!r} is not organisation:year; write it like kent:2022")
            )
        else:
            former.append([code.lower(), int(year)])
    this_year = _int(row.get("reviews_this_year", ""), 0, line, "reviews_this_year", problems)
    cap = _int(row.get("yearly_cap", ""), DEFAULT_CAPS.get(role, 1), line, "yearly_cap", problems)
    total = _int(row.get("reviews_total", ""), 0, line, "reviews_total", problems)
    if len(problems) > before:
        return None
    return {
        "email": email,
        "full_name": name,
        "organisation": org,
        "job_title": row.get("job_title", ""),
        "role": role,
        "specialisms": specialisms,
        "region": row.get("region", "") or org.region,
        "trained_on": trained,
        "unavailable_weeks": sorted(set(weeks)),
        "reviews_this_year": this_year,
        "yearly_cap": cap,
        "reviews_total": total,
        "former_employers": former,
        "conflict_organisations": [orgs[c.lower()] for c in conflict_orgs],
        "conflict_people": [e.lower() for e in _split(row.get("conflict_people", ""))],
        "_line": line,
    }


def check(name: str, data: bytes) -> tuple[ImportReport, list[dict]]:
    report = ImportReport()
    try:
        header, rows = read_table(name, data)
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError) as exc:
        report.problems.append(RowProblem(1, "", f"the file cannot be read ({exc}); save it as CSV (UTF-8) or XLSX"))
        return report, []
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        report.problems.append(
            RowProblem(1, "", f"the file cannot be read ({type(exc).__name__}); save it as CSV (UTF-8) or XLSX")
        )
        return report, []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        for c in missing:
            report.problems.append(RowProblem(1, c, f"the column {c!r} is missing; add it to the header row"))
        return report, []
    unknown = [h for h in header if h and h not in COLUMNS]
    for h in unknown:
        report.problems.append(
            RowProblem(1, h, f"the column {h!r} is not known; rename or remove it (columns: {', '.join(COLUMNS)})")
        )
    if not rows:
        report.problems.append(RowProblem(2, "", "the file has no rows; add one row per peer under the header"))
    orgs = {o.code: o for o in Organisation.objects.all()}
    themes = set(library()["by_code"])
    good, seen = [], {}
    for line, row in rows:
        report.rows += 1
        email = row.get("email", "").lower()
        if email and email in seen:
            report.problems.append(
                RowProblem(line, "email", f"{email} is also on line {seen[email]}; each person must appear once")
            )
        if email and email not in seen:
            seen[email] = line
        checked = _check_row(line, row, orgs, themes, report.problems)
        if checked:
            good.append(checked)
    known = set(seen) | set(PeerProfile.objects.values_list("email", flat=True))
    for item in good:
        for other in item["conflict_people"]:
            if other not in known:
                report.problems.append(
                    RowProblem(
                        item["_line"],
                        "conflict_people",
                        f"{other} is not in this file or the pool; add them or remove the conflict",
                    )
                )
            elif other == item["email"]:
                report.problems.append(
                    RowProblem(
                        item["_line"],
                        "conflict_people",
                        "a person cannot be in conflict with themselves; remove their own email",
                    )
                )
    return report, good


@transaction.atomic
def import_pool(name: str, data: bytes, *, by) -> ImportReport:
    report, rows = check(name, data)
    if not report.ok:
        return report
    profiles = {}
    for item in rows:
        fields = {
            k: v for k, v in item.items() if not k.startswith("_") and not k.startswith("conflict_") and k != "email"
        }
        profile, created = PeerProfile.objects.update_or_create(email=item["email"], defaults=fields)
        report.created += created
        report.updated += not created
        profiles[item["email"]] = profile
    for item in rows:
        profile = profiles[item["email"]]
        profile.conflicts.all().delete()
        for org in item["conflict_organisations"]:
            Conflict.objects.create(profile=profile, kind=Conflict.Kind.ORGANISATION, organisation=org)
        for email in item["conflict_people"]:
            other = profiles.get(email) or PeerProfile.objects.get(email=email)
            Conflict.objects.create(profile=profile, kind=Conflict.Kind.PERSON, person=other)
    audit.record("peers.pool_imported", by=by, summary=f"{name}: {report.created} added, {report.updated} updated")
    return report


def profile_row(p: PeerProfile) -> list[str]:
    orgs = [c.organisation.code for c in p.conflicts.all() if c.organisation_id]
    people = [c.person.email for c in p.conflicts.all() if c.person_id]
    return [
        p.email,
        p.full_name,
        p.organisation.code,
        p.job_title,
        p.role,
        LIST_SEPARATOR.join(p.specialisms),
        p.region,
        p.trained_on.isoformat() if p.trained_on else "",
        LIST_SEPARATOR.join(p.unavailable_weeks),
        str(p.reviews_this_year),
        str(p.yearly_cap),
        str(p.reviews_total),
        LIST_SEPARATOR.join(orgs),
        LIST_SEPARATOR.join(people),
        LIST_SEPARATOR.join(f"{org}:{year}" for org, year in p.former_employers),
    ]


def _profiles():
    return PeerProfile.objects.select_related("organisation").prefetch_related(
        "conflicts__organisation", "conflicts__person"
    )


def export_csv() -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(COLUMNS)
    for p in _profiles():
        w.writerow(profile_row(p))
    return out.getvalue().encode("utf-8")


def export_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Peer pool"
    ws.append(COLUMNS)
    for p in _profiles():
        ws.append(profile_row(p))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
