"""The team server back end: the same models and revisions on a PostgreSQL server.

A school's SEN team shares one PostgreSQL database; every rule of access is enforced by the
database itself (grants and row-level security), not by the app. The record file stays the default.
"""
