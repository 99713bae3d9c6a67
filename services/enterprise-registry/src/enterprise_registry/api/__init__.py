"""Enterprise-registry edges: HTTP routes and bus subscribers that call the application layer."""
