"""Inspection command handling and the reactions to the registry's events."""
