"""The bureau console: staff sign in and do their day's work in the browser."""
