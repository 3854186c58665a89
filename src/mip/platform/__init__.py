"""The small shared core: settings, database, bus, tenant context, errors, logging."""
