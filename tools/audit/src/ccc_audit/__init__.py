"""The auditors' tool: read the public record (the streams) and the stores, never write events."""
