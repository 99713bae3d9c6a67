"""The demo: a made-up jurisdiction loaded through the services' HTTP APIs, and the lifecycle."""
