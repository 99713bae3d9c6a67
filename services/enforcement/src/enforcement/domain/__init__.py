"""Pure Enforcement domain: state, commands, events, decide() and evolve(); no I/O imports."""
