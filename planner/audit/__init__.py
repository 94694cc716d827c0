"""Readiness audits of the shop's own exports: listing copy, prices, stock, promotions.

Each audit reads one table (`reading`, through the shared CSV and workbook readers), finds its
columns by header (`columns`), applies its rules (`copy`, `prices`, `stock`, `promotions`) and
returns an `AuditResult` (`records`) that `planner.present.audit` puts into words.
"""
