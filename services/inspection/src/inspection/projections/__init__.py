"""Inspection read models, folded from events by the subscription runner."""
