"""CCC Supervision: the enforcement service."""
