"""The permissions table: every URL name in the product and who may use it.

Access is deny-by-default: PermissionTableMiddleware answers 404 for any URL whose name is not in this
table, and tests/test_permissions.py fails when a URL pattern has no entry. Review-scoped rules name the
roles a member needs; anyone else (another review's team, an outsider) gets 404, so nothing leaks that a
review exists.
"""

from dataclasses import dataclass

from .roles import EVERYONE, EVIDENCE, HOST, TEAM, Role


@dataclass(frozen=True)
class Rule:
    kind: str  # public | signed_in | lga_staff | platform_admin | review
    roles: frozenset = frozenset()
    # Team members must have accepted the review's confidentiality agreement first.
    confidential: bool = False

    def allows(self, role: str | None) -> bool:
        return self.kind != "review" or role in self.roles


PUBLIC = Rule("public")
SIGNED_IN = Rule("signed_in")
LGA_STAFF = Rule("lga_staff")
PLATFORM_ADMIN = Rule("platform_admin")


def review(*roles, confidential: bool = False) -> Rule:
    flat: set[str] = set()
    for r in roles:
        flat |= set(r) if isinstance(r, frozenset | set) else {r}
    return Rule("review", frozenset(flat), confidential)


PCM = Role.PCM
LEAD = Role.LEAD
SPONSOR = Role.SPONSOR
ORGANISER = Role.ORGANISER

PERMISSIONS: dict[str, Rule] = {
    # Accounts
    "accounts:sign_in": PUBLIC,
    "accounts:sign_out": SIGNED_IN,
    "accounts:keep_alive": SIGNED_IN,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,
    "accounts:password_reset_complete": PUBLIC,
    "accounts:accept_invitation": PUBLIC,
    "accounts:users": PLATFORM_ADMIN,
    # Site pages
    "core:accessibility": PUBLIC,
    "core:privacy": PUBLIC,
    # Reference data
    "councils:list": LGA_STAFF,
    "policy:review_types": LGA_STAFF,
    "policy:review_type": LGA_STAFF,
    # Reviews
    "reviews:home": SIGNED_IN,
    "reviews:create": LGA_STAFF,
    "reviews:detail": review(EVERYONE),
    "reviews:dates": review(PCM),
    "reviews:advance": review(PCM),
    "reviews:people": review(EVERYONE),
    "reviews:invite": review(PCM),
    "reviews:revoke": review(PCM),
    "reviews:scope": review(EVERYONE),
    "reviews:scoping_meeting": review(PCM, LEAD),
    "reviews:scope_lines": review(PCM, LEAD),
    "reviews:scope_custom_line": review(PCM, LEAD),
    "reviews:agree_scope": review(SPONSOR),
    "reviews:confidentiality": review(EVERYONE),
    "reviews:history": review(PCM, LEAD, SPONSOR),
    "reviews:purge": review(PCM),
    # Documents
    "documents:list": review(EVERYONE, confidential=True),
    "documents:upload": review(PCM, ORGANISER, confidential=True),
    "documents:download": review(EVERYONE, confidential=True),
    # Timetable: the organiser and PCM set up the week; the PCM solves it; everyone sees it.
    "timetable:week": review(EVERYONE),
    "timetable:setup": review(PCM, ORGANISER),
    "timetable:add_template": review(PCM, ORGANISER),
    "timetable:participant_add": review(PCM, ORGANISER),
    "timetable:participant_edit": review(PCM, ORGANISER),
    "timetable:participant_delete": review(PCM, ORGANISER),
    "timetable:participant_ics": review(PCM, ORGANISER),
    "timetable:room_add": review(PCM, ORGANISER),
    "timetable:room_delete": review(PCM, ORGANISER),
    "timetable:session_add": review(PCM, ORGANISER),
    "timetable:session": review(EVERYONE),
    "timetable:session_edit": review(PCM, ORGANISER),
    "timetable:session_drop": review(PCM, ORGANISER),
    "timetable:session_undo": review(PCM),
    "timetable:session_preview": review(PCM),
    "timetable:unavailability": review(PCM, ORGANISER),
    "timetable:import": review(PCM, ORGANISER),
    "timetable:unavailability_delete": review(PCM, ORGANISER),
    "timetable:peers": review(PCM),
    "timetable:peer_edit": review(PCM),
    "timetable:solve": review(PCM),
    "timetable:weights": review(PCM),
    "timetable:run": review(PCM),
    "timetable:run_progress": review(PCM),
    "timetable:run_stop": review(PCM),
    "timetable:xlsx": review(EVERYONE),
    "timetable:problem_json": review(PCM, ORGANISER),
    "timetable:person": review(EVERYONE),
    "timetable:person_ics": review(EVERYONE),
    "timetable:send_invitations": review(PCM),
    # Peer pool and team formation (the pool is LGA-wide; a review's team is the PCM's, approval the sponsor's)
    "peers:pool": LGA_STAFF,
    "peers:import": LGA_STAFF,
    "peers:export": LGA_STAFF,
    "peers:profile": LGA_STAFF,
    "peers:season": LGA_STAFF,
    "peers:season_apply": LGA_STAFF,
    "peers:season_problem": LGA_STAFF,
    "peers:triads": LGA_STAFF,
    "peers:team": review(PCM),
    "peers:solve": review(PCM),
    "peers:pin": review(PCM),
    "peers:change_member": review(PCM),
    "peers:send": review(PCM),
    "peers:invite": review(PCM),
    "peers:problem_json": review(PCM),
    "peers:approval": review(SPONSOR),
    "peers:respond": PUBLIC,
    # Evidence, findings and the report (peerreview/evidence)
    "evidence:board": review(EVIDENCE, confidential=True),
    "evidence:sessions": review(EVIDENCE, confidential=True),
    "evidence:session": review(EVIDENCE, confidential=True),
    "evidence:notes": review(EVIDENCE, confidential=True),
    "evidence:note_new": review(EVIDENCE, confidential=True),
    "evidence:note_edit": review(EVIDENCE, confidential=True),
    "evidence:note_delete": review(EVIDENCE, confidential=True),
    "evidence:finding_new": review(EVIDENCE, confidential=True),
    "evidence:finding": review(EVIDENCE, confidential=True),
    "evidence:finding_edit": review(EVIDENCE, confidential=True),
    "evidence:finding_link": review(EVIDENCE, confidential=True),
    "evidence:finding_unlink": review(EVIDENCE, confidential=True),
    "evidence:finding_agree": review(PCM, LEAD, confidential=True),
    "evidence:finding_challenge": review(EVIDENCE, confidential=True),
    "evidence:challenge_resolve": review(PCM, LEAD, confidential=True),
    "evidence:matrix": review(EVIDENCE, confidential=True),
    "evidence:meeting": review(EVIDENCE, confidential=True),
    "evidence:charts": review(EVIDENCE, confidential=True),
    "evidence:chart": review(EVIDENCE, confidential=True),
    # The host sees only the shared keeping-in-touch summary, the report and the generated documents.
    "evidence:kit": review(EVIDENCE, HOST, confidential=True),
    "evidence:report": review(EVIDENCE, HOST, confidential=True),
    "evidence:report_edit": review(PCM, LEAD, confidential=True),
    "evidence:report_comment": review(EVIDENCE, HOST, confidential=True),
    "evidence:report_sign_off": review(LEAD, confidential=True),
    "evidence:generate": review(PCM, LEAD, confidential=True),
    "evidence:output_download": review(EVIDENCE, HOST, confidential=True),
    # Evidence note drafts: autosave while typing (peerreview/evidence). Only people who write notes.
    "evidence:draft_save": review(EVIDENCE, confidential=True),
    "evidence:draft_discard": review(EVIDENCE, confidential=True),
}

__all__ = ["EVERYONE", "EVIDENCE", "HOST", "PERMISSIONS", "TEAM", "Rule", "review"]
