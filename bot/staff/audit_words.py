"""The audit trail in words: "Avasi idean ID 12", not ``view_idea idea:12``."""

from __future__ import annotations

from collections.abc import Mapping

from bot.reports.labels import CONTACT_STATUS_LABELS, IDEA_STATUS_LABELS
from locales import N_, Translator
from storage.staff import AuditLine
from storage.staff_tables import AuditAction

ACTION_LABELS: Mapping[AuditAction, str] = {
    AuditAction.SIGN_IN: N_("Signed in"),
    AuditAction.SIGN_OUT: N_("Signed out"),
    AuditAction.ADD_ACCOUNT: N_("Added a staff account"),
    AuditAction.CHANGE_ACCOUNT: N_("Changed a staff account"),
    AuditAction.SET_DISPLAY_NAME: N_("Changed the name residents see"),
    AuditAction.VIEW_IDEAS: N_("Looked at the ideas"),
    AuditAction.VIEW_IDEA: N_("Opened an idea"),
    AuditAction.ANSWER_IDEA: N_("Answered an idea"),
    AuditAction.IDEA_STATUS: N_("Changed an idea's status"),
    AuditAction.VIEW_CONTACTS: N_("Looked at the contact requests"),
    AuditAction.CONTACT_STATUS: N_("Changed a contact request's status"),
    AuditAction.VIEW_CONVERSATIONS: N_("Looked at the conversations"),
    AuditAction.VIEW_CONVERSATION: N_("Opened a conversation"),
    AuditAction.HUMAN_TAKE: N_("Took a conversation"),
    AuditAction.HUMAN_MESSAGE: N_("Wrote in a conversation"),
    AuditAction.HUMAN_CLOSE: N_("Closed a conversation"),
    AuditAction.SERVICE_HOURS: N_("Changed the service hours"),
    AuditAction.ADD_SAVED_REPLY: N_("Added a saved reply"),
    AuditAction.DELETE_SAVED_REPLY: N_("Deleted a saved reply"),
    AuditAction.CREATE_POLL: N_("Created a poll"),
    AuditAction.EDIT_POLL: N_("Edited a poll"),
    AuditAction.SCHEDULE_POLL: N_("Changed a poll's dates"),
    AuditAction.CLOSE_POLL: N_("Closed a poll"),
    AuditAction.EDIT_PLACE: N_("Edited a place"),
    AuditAction.IMPORT_PLACES: N_("Imported places"),
    AuditAction.EXPORT: N_("Downloaded an export"),
    AuditAction.DOWNLOAD_SUMMARY: N_("Downloaded a weekly summary"),
    AuditAction.ANNOUNCE: N_("Sent an announcement"),
    AuditAction.CREATE_EVENT: N_("Created an event"),
    AuditAction.EDIT_EVENT: N_("Edited an event"),
    AuditAction.CANCEL_EVENT: N_("Cancelled an event"),
    AuditAction.EVENT_ATTENDANCE: N_("Marked who came to an event"),
    AuditAction.VIEW_SIGNUPS: N_("Looked at the names and phones of an event's sign-ups"),
    AuditAction.STOP_ANNOUNCEMENT: N_("Stopped an announcement"),
}
TARGET_LABELS: Mapping[str, str] = {
    "idea": N_("idea {id}"),
    "contact": N_("contact request {id}"),
    "conversation": N_("conversation {id}"),
    "poll": N_("poll {id}"),
    "place": N_("place {id}"),
    "account": N_("account {id}"),
    "reply": N_("saved reply {id}"),
    "announcement": N_("announcement {id}"),
}
DETAIL_LABELS: Mapping[AuditAction, Mapping[str, str]] = {
    AuditAction.IDEA_STATUS: IDEA_STATUS_LABELS,
    AuditAction.CONTACT_STATUS: CONTACT_STATUS_LABELS,
}


def described(line: AuditLine, translator: Translator) -> str:
    """What the line records, in the staff member's language; an unknown code as stored."""
    code, _, detail = line.action.partition(":")
    try:
        action = AuditAction(code)
    except ValueError:
        return " ".join(part for part in (line.action, line.target) if part)
    words = translator.gettext(ACTION_LABELS[action])
    details = DETAIL_LABELS.get(action, {})
    if detail:
        words += ": " + translator.gettext(details[detail]) if detail in details else f": {detail}"
    if line.target:
        kind, _, number = line.target.partition(":")
        if kind in TARGET_LABELS and number:
            words += ", " + translator.text(TARGET_LABELS[kind], {"id": number})
        else:
            words += f", {line.target}"  # a file name
    return words
