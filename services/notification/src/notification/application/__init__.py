"""Notification command handlers and policies reacting to other services' events."""
