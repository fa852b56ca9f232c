"""Printed documents made with ReportLab: they take plain values and return PDF bytes."""
