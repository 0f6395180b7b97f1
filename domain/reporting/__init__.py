"""Reporting: rounds (6- and 12-month), the LAO's progress report and the provincial summary.

Pure: the reports are assembled from the read models' dicts, and rendered by infra.documents.
"""
