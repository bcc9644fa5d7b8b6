"""What each staff role may see and do; the one table the routes and templates consult.

Moderators handle ideas but never see contact requests; outreach workers handle contact
requests, talk with residents in their chats, and see ideas without their contact details; viewers see aggregates only; admins
run the service and manage accounts (contact requests stay with outreach).
"""

from __future__ import annotations

from enum import StrEnum

from storage.staff_tables import Role


class Permission(StrEnum):
    SEE_SUMMARY = "see_summary"
    SEE_IDEAS = "see_ideas"
    SEE_IDEA_CONTACTS = "see_idea_contacts"
    MODERATE_IDEAS = "moderate_ideas"
    MANAGE_POLLS = "manage_polls"
    ANNOUNCE = "announce"  # announcements to subscribers
    SEE_PLACES = "see_places"
    MANAGE_PLACES = "manage_places"
    SEE_EVENTS = "see_events"  # events and their sign-up counts
    MANAGE_EVENTS = "manage_events"  # create, edit, cancel; mark who came
    # The names and phones residents shared with an organiser: as contact requests, the
    # outreach role's only.
    SEE_SIGNUP_CONTACTS = "see_signup_contacts"
    HANDLE_CONTACTS = "handle_contacts"
    TALK_WITH_RESIDENTS = "talk_with_residents"  # the conversations inbox, hours, saved replies
    EXPORT_IDEAS = "export_ideas"
    EXPORT_CONTACTS = "export_contacts"
    EXPORT_AGGREGATES = "export_aggregates"
    MANAGE_ACCOUNTS = "manage_accounts"


_EVERYONE = {Permission.SEE_SUMMARY, Permission.EXPORT_AGGREGATES}
_CHANGES_CONTENT = {
    Permission.SEE_IDEAS,
    Permission.SEE_IDEA_CONTACTS,
    Permission.MODERATE_IDEAS,
    Permission.MANAGE_POLLS,
    Permission.ANNOUNCE,
    Permission.SEE_PLACES,
    Permission.MANAGE_PLACES,
    Permission.SEE_EVENTS,
    Permission.MANAGE_EVENTS,
    Permission.EXPORT_IDEAS,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(_EVERYONE | _CHANGES_CONTENT | {Permission.MANAGE_ACCOUNTS}),
    Role.MODERATOR: frozenset(_EVERYONE | _CHANGES_CONTENT),
    Role.OUTREACH: frozenset(
        _EVERYONE
        | {
            Permission.SEE_IDEAS,
            Permission.SEE_PLACES,
            Permission.MANAGE_PLACES,
            Permission.HANDLE_CONTACTS,
            Permission.SEE_EVENTS,
            Permission.SEE_SIGNUP_CONTACTS,
            Permission.TALK_WITH_RESIDENTS,
            Permission.EXPORT_CONTACTS,
        }
    ),
    Role.VIEWER: frozenset(_EVERYONE),
}


def allowed(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
