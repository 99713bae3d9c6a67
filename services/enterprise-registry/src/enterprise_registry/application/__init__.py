"""Enterprise-registry command handlers and policies reacting to other services' events."""
