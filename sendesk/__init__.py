"""SENDesk: the SENCo's encrypted record of SEN support. Nothing in this package imports Qt."""

__version__ = "0.1.0"
APP_NAME = "SENDesk"
FILE_SUFFIX = ".sendesk"  # a record file


def version_line() -> str:
    """What `sendesk --version` prints."""
    return f"{APP_NAME} {__version__}"
