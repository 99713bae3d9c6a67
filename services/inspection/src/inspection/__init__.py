"""CCC Supervision: the inspection service."""
