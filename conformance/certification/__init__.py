"""Certification as pytest items: `convconf certify` runs this package's rows (conformance/certify/rows.py)."""
