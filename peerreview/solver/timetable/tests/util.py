"""Small problems for the timetable tests."""

from __future__ import annotations

from peerreview.solver.timetable import Day, Fixed, Lunch, Participant, Peer, Problem, Session

MON, TUE = "2026-03-02", "2026-03-03"


def small_problem(**overrides) -> Problem:
    """Two days, three peers, a fixed team meeting and seven sessions."""
    peers = (
        Peer("sam", "Sam Patel", "Council A", "Lead peer", frozenset({"SEND"})),
        Peer("ana", "Ana Cole", "Council B", "Operational manager", frozenset({"early help"})),
        Peer("raj", "Raj Shah", "Police", "Case auditor", frozenset({"safeguarding"})),
    )
    participants = (
        Participant("dcs", "Director of Children’s Services", organisation="Host", is_senior_leader=True),
        Participant("heh", "Head of Early Help", organisation="Host", is_senior_leader=True),
        Participant("fd", "Front door team", "group", "Host"),
        Participant("pol", "Police partners", "group", "Police"),
        Participant("yp", "Children in care council", "group", is_young_people=True),
        Participant("cw", "Case worker", organisation="Host"),
    )
    sessions = (
        Session("team1", "Team meeting", "team_meeting", 60, fixed=Fixed(MON, "16:30")),
        Session("dcs1", "Interview with the DCS", "interview", 60, participant_ids=("dcs",), lines_of_enquiry={"lead"}),
        Session(
            "heh1",
            "Interview with Head of Early Help",
            "interview",
            45,
            participant_ids=("heh",),
            lines_of_enquiry={"front door"},
        ),
        Session(
            "fd1",
            "Front door focus group",
            "focus_group",
            90,
            2,
            participant_ids=("fd",),
            lines_of_enquiry={"front door"},
        ),
        Session("pol1", "Police partners focus group", "focus_group", 60, 2, participant_ids=("pol",)),
        Session("yp1", "Young people’s group", "focus_group", 60, 2, participant_ids=("yp",)),
        Session(
            "cd1",
            "Case discussion 1",
            "case_discussion",
            60,
            participant_ids=("cw",),
            required_specialisms={"SEND"},
            lines_of_enquiry={"front door"},
        ),
    )
    kwargs = dict(days=(Day(MON), Day(TUE)), peers=peers, participants=participants, sessions=sessions)
    kwargs.update(overrides)
    return Problem(**kwargs)


FIXED_LUNCH = Lunch("12:30", "13:00", 30)


def oneday_problem(lunch: Lunch = FIXED_LUNCH) -> Problem:
    """Seven peers run 12 paired focus groups and 18 single case reviews in one day."""
    peers = tuple(Peer(f"p{i}", f"Peer {i}", f"Council {i}") for i in range(7))
    participants = tuple(Participant(f"g{i}", f"Group {i}", "group") for i in range(12))
    participants += tuple(Participant(f"c{i}", f"Case holder {i}") for i in range(18))
    sessions = (Session("team", "Team meeting", "team_meeting", 60, fixed=Fixed(MON, "16:30")),)
    sessions += tuple(
        Session(f"fg{i}", f"Focus group {i}", "focus_group", 60, 2, participant_ids=(f"g{i}",)) for i in range(12)
    )
    sessions += tuple(
        Session(f"cr{i}", f"Case review {i}", "case_discussion", 60, 1, participant_ids=(f"c{i}",)) for i in range(18)
    )
    return Problem((Day(MON),), peers, participants, (), sessions, lunch=lunch)
