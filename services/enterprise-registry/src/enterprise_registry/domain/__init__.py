"""Pure enterprise-registry domain: state, commands, events, decide(), evolve(); no I/O."""
