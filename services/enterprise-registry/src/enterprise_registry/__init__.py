"""CCC Supervision: the enterprise-registry service."""
