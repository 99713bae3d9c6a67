"""Placeholder."""


def main() -> int:
    """Run the tool."""
    return 0
