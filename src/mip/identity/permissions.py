"""Roles and the one permission table every route is checked against."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ENGINEER = "engineer"
    PRODUCTION = "production"
    QUALITY = "quality"
    SUPPLY_CHAIN = "supply_chain"
    MAINTENANCE = "maintenance"
    VIEWER = "viewer"
    DEVICE = "device"  # an API key; never assigned to a person


class Permission(StrEnum):
    TENANT_READ = "tenant:read"
    USERS_READ = "users:read"
    USERS_WRITE = "users:write"
    API_KEYS_READ = "api_keys:read"
    API_KEYS_WRITE = "api_keys:write"
    ASSETS_READ = "assets:read"
    ASSETS_WRITE = "assets:write"
    READINGS_READ = "readings:read"
    READINGS_WRITE = "readings:write"
    ALERTS_READ = "alerts:read"
    ALERTS_ACT = "alerts:act"
    RULES_READ = "rules:read"
    RULES_WRITE = "rules:write"
    NOTIFICATIONS_SELF = "notifications:self"  # one's own subscriptions and quiet hours
    NOTIFICATIONS_ADMIN = "notifications:admin"  # webhook endpoints, dead letters, others' subscriptions
    OEE_READ = "oee:read"
    OEE_WRITE = "oee:write"  # operator input: machine state, downtime reasons, counts
    OEE_ADMIN = "oee:admin"  # shifts, reason codes, ideal rates
    MAINTENANCE_READ = "maintenance:read"
    MAINTENANCE_WRITE = "maintenance:write"  # work orders, recommendations
    MODELS_WRITE = "models:write"  # train and promote predictive models
    PLANNING_READ = "planning:read"
    PLANNING_WRITE = "planning:write"  # items, BOMs, routings, calendars, orders, MRP runs
    SCHEDULE_WRITE = "schedule:write"  # solve, publish and reschedule production schedules
    QUALITY_READ = "quality:read"
    QUALITY_WRITE = "quality:write"  # SPC charts, inspections, NCR/CAPA, lots and genealogy
    ANALYTICS_QUERY = "analytics:query"  # read-only SQL over the tenant's own lake data
    LAKE_ADMIN = "lake:admin"  # retention, ETL runs, keys
    AUDIT_READ = "audit:read"  # the tamper-evident audit log of every mutation


_PEOPLE = frozenset(r for r in Role if r is not Role.DEVICE)
_OPERATE = frozenset({Role.ADMIN, Role.ENGINEER, Role.PRODUCTION, Role.QUALITY, Role.MAINTENANCE})

PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.TENANT_READ: _PEOPLE,
    Permission.USERS_READ: frozenset({Role.ADMIN}),
    Permission.USERS_WRITE: frozenset({Role.ADMIN}),
    Permission.API_KEYS_READ: frozenset({Role.ADMIN, Role.ENGINEER}),
    Permission.API_KEYS_WRITE: frozenset({Role.ADMIN}),
    Permission.ASSETS_READ: _PEOPLE,
    Permission.ASSETS_WRITE: frozenset({Role.ADMIN, Role.ENGINEER}),
    Permission.READINGS_READ: _PEOPLE,
    Permission.READINGS_WRITE: frozenset({Role.DEVICE, Role.ADMIN}),
    Permission.ALERTS_READ: _PEOPLE,
    Permission.ALERTS_ACT: _OPERATE,
    Permission.RULES_READ: _PEOPLE,
    Permission.RULES_WRITE: frozenset({Role.ADMIN, Role.ENGINEER}),
    Permission.NOTIFICATIONS_SELF: _PEOPLE,
    Permission.NOTIFICATIONS_ADMIN: frozenset({Role.ADMIN}),
    Permission.OEE_READ: _PEOPLE,
    Permission.OEE_WRITE: frozenset({Role.ADMIN, Role.ENGINEER, Role.PRODUCTION, Role.MAINTENANCE}),
    Permission.OEE_ADMIN: frozenset({Role.ADMIN, Role.ENGINEER}),
    Permission.MAINTENANCE_READ: _PEOPLE,
    Permission.MAINTENANCE_WRITE: frozenset({Role.ADMIN, Role.ENGINEER, Role.MAINTENANCE}),
    Permission.MODELS_WRITE: frozenset({Role.ADMIN, Role.ENGINEER}),
    Permission.PLANNING_READ: _PEOPLE,
    Permission.PLANNING_WRITE: frozenset({Role.ADMIN, Role.ENGINEER, Role.PRODUCTION, Role.SUPPLY_CHAIN}),
    Permission.SCHEDULE_WRITE: frozenset({Role.ADMIN, Role.PRODUCTION}),
    Permission.QUALITY_READ: _PEOPLE,
    Permission.QUALITY_WRITE: frozenset({Role.ADMIN, Role.ENGINEER, Role.QUALITY}),
    Permission.ANALYTICS_QUERY: frozenset(
        {Role.ADMIN, Role.ENGINEER, Role.PRODUCTION, Role.QUALITY, Role.SUPPLY_CHAIN, Role.MAINTENANCE}
    ),
    Permission.LAKE_ADMIN: frozenset({Role.ADMIN}),
    Permission.AUDIT_READ: frozenset({Role.ADMIN, Role.QUALITY}),
}


def allowed(role: Role, permission: Permission) -> bool:
    return role in PERMISSIONS[permission]
