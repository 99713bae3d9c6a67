"""Process runtime shared by every service: settings, logging, embedded NATS, start-up."""
