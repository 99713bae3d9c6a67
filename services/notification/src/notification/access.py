"""Who may call each of the notification service's routes: its rows of the access rules.

An operation is ``"notification:<route function name>"``; the roles are the sets of
``ccc_shared.runtime.access`` (auditors are added to every query there). A route missing here
is refused to everyone; the record (``main.service``) hands these rows to the kernel.
"""

from __future__ import annotations

from ccc_shared.runtime.access import HEADS, READERS, STAFF, AccessTable

ACCESS: AccessTable = {
    # notification: directory, notices, inbox, reminders
    "notification:put_recipient": HEADS,
    "notification:remove_recipient": HEADS,
    "notification:list_recipients": READERS,
    "notification:get_recipient": READERS,
    "notification:list_notifications": READERS,
    "notification:get_notification": READERS,
    "notification:resend_notification": HEADS | {"case_officer"},
    "notification:acknowledge_notification": STAFF,
    "notification:list_inbox": READERS,
    "notification:mark_inbox_notice_read": STAFF,
    "notification:list_reminders": READERS,
}
