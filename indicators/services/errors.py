"""The error every service raises when it refuses a write; its message is for the user."""


class ServiceError(Exception):
    """A write was refused; the message is for the user."""
