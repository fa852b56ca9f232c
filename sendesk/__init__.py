"""SENDesk: the SENCo's encrypted record of SEN support. Nothing in this package imports Qt."""

__version__ = "0.1.0"
APP_NAME = "SENDesk"
FILE_SUFFIX = ".sendesk"  # a record file


def version_line() -> str:
    """What `sendesk --version` prints."""
    return f"{APP_NAME} {__version__}"


def help_overview() -> str | None:
    """What `sendesk --help` prints, without building the command line, where the text the
    command line built (sendesk.help_text) is valid: the same width and the same Python, as
    argparse lays help out by both. None elsewhere: the command line builds it then."""
    import shutil
    import sys

    from sendesk import help_text

    if sys.version_info[:2] != help_text.PYTHON:
        return None
    if shutil.get_terminal_size().columns != help_text.COLUMNS:  # argparse's own measure
        return None
    return help_text.TEXT
