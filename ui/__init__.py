"""The PySide6 app. Only this package imports Qt; it calls sendesk.services and holds no SQL."""
