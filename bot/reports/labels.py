"""The words staff read for the codes the data holds: one table per kind of code (msgids).

Staff pages, exports and the weekly summary all name a status, a channel or an age band from
here, so "Vastattu" is written once.
"""

from __future__ import annotations

from collections.abc import Mapping

from dialogs.flows.places import NEEDS
from dialogs.flows.polls import AGE_BANDS
from handlers.channels import CHANNELS
from locales import N_
from storage.domain_tables import ContactStatus, IdeaStatus
from storage.staff_tables import Role

CHANNEL_LABELS: Mapping[str, str] = {spec.channel: spec.label for spec in CHANNELS}
IDEA_STATUS_LABELS: Mapping[str, str] = {
    IdeaStatus.NEW: N_("New"),
    IdeaStatus.IN_REVIEW: N_("In review"),
    IdeaStatus.FORWARDED: N_("Forwarded"),
    IdeaStatus.ANSWERED: N_("Answered"),
    IdeaStatus.IMPLEMENTED: N_("Implemented"),
    IdeaStatus.DECLINED: N_("Declined"),
    IdeaStatus.HIDDEN: N_("Hidden (spam or abuse)"),
}
CONTACT_STATUS_LABELS: Mapping[str, str] = {
    ContactStatus.OPEN: N_("Open"),
    ContactStatus.CONTACTED: N_("Contacted"),
    ContactStatus.CLOSED: N_("Closed"),
}
CONTACT_METHOD_LABELS: Mapping[str, str] = {
    "chat": N_("In this chat"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
}
AGE_BAND_LABELS: Mapping[str, str] = dict(AGE_BANDS)
NEED_LABELS: Mapping[str, str] = {code: label for code, label, _short in NEEDS}
PLACE_KIND_LABELS: Mapping[str, str] = {
    "meeting_place": N_("Meeting place"),
    "service": N_("Service"),
}
YES, NO = N_("Yes"), N_("No")
ROLE_NAMES: Mapping[str, str] = {
    Role.ADMIN: N_("Admin"),
    Role.MODERATOR: N_("Moderator"),
    Role.OUTREACH: N_("Outreach worker"),
    Role.VIEWER: N_("Viewer"),
}
