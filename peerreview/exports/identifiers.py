"""Flag text that looks like it identifies a child, a family member or a member of staff.

Findings and reports must be free of identifiable data (domain §9). This runs before a document is
produced; a person then decides. It errs towards flagging, but common capitalised domain phrases
("Early Help Hub", "Children's Services", "Front Door") are allowed so the list stays short enough to read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .data import ReportData

ADVICE_CASE = "Remove it, or use a pseudonymous case reference (for example ‘Child A’) instead."
ADVICE_PERSON = "Use a staff group or role (for example ‘a team manager’) or a pseudonymous case reference instead."


@dataclass(frozen=True)
class Flag:
    kind: str
    match: str
    start: int
    end: int
    message: str


# Words that often start capitalised phrases in children's services writing. A pair of capitalised
# words is only flagged as a possible name when neither word is in here.
_DOMAIN_WORDS_TEXT = """
    a an and the this that these those our their we it they there in on at of for to by with from i
    early help hub children children's childrens child young people person people's family families
    front door services service council councils county borough city district metropolitan unitary
    head director directors assistant deputy executive chief lead leader leaders leadership member members
    team teams board boards partnership partnerships partner partners safeguarding local authority authorities
    ofsted lga dfe nhs icb ilacs send sen mash cin cp lac cla ehcp ehc jtai dsl dcs lscp
    care leaver leavers virtual school schools college court courts health police youth justice
    social work worker workers practice practitioner practitioners quality assurance performance
    improvement improvement plan plans strategy strategic corporate parenting panel multi agency
    initial review reviews conference conferences protection looked after independent reviewing
    officer officers principal manager managers management peer peers challenge diagnostic government
    association department education special educational needs disabilities disability
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    england english wales scotland london north south east west northern southern eastern western
    midlands yorkshire humber central greater
    key line lines enquiry enquiries strengths strength areas area recommendations recommendation
    next steps signs safety restorative mosaic liquidlogic eclipse working together data
    act regulations guidance framework standards standard inspection inspections judgement
    joint targeted area outcomes outcome fund funding family hubs start best for every
    mental wellbeing camhs emotional public primary secondary academy academies trust trusts
    adolescent adolescents exploitation contextual missing domestic abuse neglect disabled
    placement placements fostering foster adoption adoptive residential homes home kinship
    edge permanence pathway plan planning assessment assessments threshold thresholds
    contact centre centres integrated commissioning commissioner commissioners sufficiency
    cabinet scrutiny committee portfolio holder lead-member elected councillor councillors
    workforce academy recruitment retention agency supervision audit audits case cases
    voice participation advocacy advocate ambassadors forum council's government's
    self evaluation assessment annual conversation position statement action
    progress sector led improvement programme programmes partnership's county's
"""
DOMAIN_WORDS = frozenset(_DOMAIN_WORDS_TEXT.split())

TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Cllr|Councillor)"
NAME_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
ROLE_BEFORE_NAME = (
    r"(?:child|children|young person|young people|baby|infant|sibling|brother|sister|mother|father|mum|dad|"
    r"parent|carer|foster carer|grandparent|social worker|team manager|worker|practitioner|manager|pupil|"
    r"student|called|named|known as)"
)

MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*"
DATE = rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\s+\d{{4}})"

PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), "an email address"),
    (
        "date_of_birth",
        re.compile(rf"\b(?:DOB|D\.O\.B\.?|date of birth|born on|born)\b\s*[:\-]?\s*(?:{DATE})?", re.I),
        "a date of birth",
    ),
    (
        "national_insurance",
        re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"),
        "a National Insurance number",
    ),
    ("upn", re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b"), "a unique pupil number (UPN)"),
    (
        "case_reference",
        re.compile(
            r"\b(?:(?:case|record|file|ref(?:erence)?|client|person|child|ID|LCS|EHM|CP|LAC|CIN)"
            r"\s*(?:no\.?|number|ref|id)?\s*[:#.\-]?\s*\d{4,}|[A-Z]{2,5}-\d{4,})\b",
            re.I,
        ),
        "a case or record number",
    ),
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"), "a postcode"),
    (
        "phone",
        re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"),
        "a phone number",
    ),
]
NHS = re.compile(r"\b(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})\b")
TITLE_NAME = re.compile(rf"\b{TITLES}\.?\s+{NAME_WORD}(?:\s+{NAME_WORD})?")
ROLE_NAME = re.compile(rf"\b(?i:{ROLE_BEFORE_NAME})\s+({NAME_WORD}(?:\s+{NAME_WORD})?)\b")
PAIR = re.compile(rf"\b({NAME_WORD})\s+({NAME_WORD})\b")
SENTENCE_END = tuple('.!?:;\n•*–-("“‘')


def nhs_number_is_valid(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _message(what: str, advice: str = ADVICE_CASE) -> str:
    return f"This looks like {what}. {advice}"


def _allowed(word: str, extra: frozenset[str]) -> bool:
    w = word.lower().replace("’", "'")
    return w in DOMAIN_WORDS or w in extra or w.rstrip("s") in DOMAIN_WORDS or w.removesuffix("'s") in DOMAIN_WORDS


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before.endswith(SENTENCE_END)


def find_identifiers(text: str, *, allow: Iterable[str] = ()) -> list[Flag]:
    """Return possible identifiers in ``text``, in order. ``allow`` adds local words, e.g. place names."""
    extra = frozenset(w.lower().replace("’", "'") for phrase in allow for w in phrase.split())
    flags: list[Flag] = []
    for match in NHS.finditer(text):
        if nhs_number_is_valid("".join(match.groups())):
            flags.append(Flag("nhs_number", match.group(), match.start(), match.end(), _message("an NHS number")))
    for kind, pattern, what in PATTERNS:
        for match in pattern.finditer(text):
            flags.append(Flag(kind, match.group().strip(), match.start(), match.end(), _message(what)))
    flags += _names(text, extra)
    return _dedupe(flags)


def _names(text: str, extra: frozenset[str]) -> list[Flag]:
    flags = []
    msg = _message("a person's name", ADVICE_PERSON)
    for match in TITLE_NAME.finditer(text):
        flags.append(Flag("name", match.group(), match.start(), match.end(), msg))
    for match in ROLE_NAME.finditer(text):
        words = match.group(1).split()
        if words[0][0].isupper() and not _allowed(words[0], extra):
            flags.append(Flag("name", match.group(1), match.start(1), match.end(1), msg))
    pos = 0
    while (match := PAIR.search(text, pos)) is not None:
        first, second = match.group(1), match.group(2)
        if _allowed(first, extra) or _allowed(second, extra) or _at_sentence_start(text, match.start()):
            pos = match.start(2)  # let the second word start the next pair
            continue
        flags.append(Flag("name", match.group(), match.start(), match.end(), msg))
        pos = match.end()
    return flags


def _dedupe(flags: list[Flag]) -> list[Flag]:
    # A specific pattern beats a looser one over the same characters (an NHS number is not also a phone number).
    rank = {"nhs_number": 0, "email": 1, "national_insurance": 2, "upn": 3, "date_of_birth": 4, "case_reference": 5}
    kept: list[Flag] = []
    for flag in sorted(flags, key=lambda f: (rank.get(f.kind, 9), f.start, -(f.end - f.start))):
        if any(flag.start < k.end and k.start < flag.end for k in kept):
            continue
        kept.append(flag)
    return sorted(kept, key=lambda f: (f.start, f.end))


def scan_report(data: ReportData) -> list[tuple[str, Flag]]:
    """Scan every free-text field. The peer team's own names are expected and are not scanned."""
    allow = [data.council_name, data.review_type_name, *(loe.title for loe in data.lines_of_enquiry)]
    fields: list[tuple[str, str]] = [
        ("Review title", data.review_title),
        ("Dates", data.dates_text),
        ("Scope", data.scope_text),
        ("Purpose question", data.purpose_question),
        ("Methodology", data.methodology_text),
    ]
    fields += [(f"Context paragraph {i}", p) for i, p in enumerate(data.context_paragraphs, 1)]
    for loe in data.lines_of_enquiry:
        fields += [
            (f"Line of enquiry {loe.code} title", loe.title),
            (f"Line of enquiry {loe.code} question", loe.question),
        ]
    for i, f in enumerate(data.findings, 1):
        where = f"Finding {i} ({f.line_of_enquiry_code or 'general'})"
        fields += [(f"{where} title", f.title), (f"{where} detail", f.detail)]
    fields += [(f"Next step {i}", s) for i, s in enumerate(data.next_steps, 1)]
    for section in data.sections:
        fields.append((f"Section ‘{section.heading}’ heading", section.heading))
        fields += [(f"Section ‘{section.heading}’ paragraph {i}", p) for i, p in enumerate(section.paragraphs, 1)]
    seen = {text for _, text in fields}
    for rs in data.report_sections:  # the report's own wording, where it is not one of the fields above
        fields += [
            (f"Section ‘{rs.heading}’ paragraph {i}", p) for i, p in enumerate(rs.paragraphs, 1) if p not in seen
        ]
    return [(location, flag) for location, text in fields if text for flag in find_identifiers(text, allow=allow)]
