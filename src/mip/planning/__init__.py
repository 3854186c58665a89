"""Planning: items, multi-level BOMs, routings, work centres, calendars, orders and MRP."""
