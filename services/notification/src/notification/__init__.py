"""CCC Supervision: the notification service."""
