import { addDays, daysSummary, formatDuration, fromLocalInput, localDate, toLocalInput } from "./zoned";

test("local dates and datetime-local values follow the plant zone, not the browser's", () => {
  const t = "2026-03-01T23:30:00Z";
  expect(localDate(t, "Europe/Berlin")).toBe("2026-03-02");
  expect(localDate(t, "America/New_York")).toBe("2026-03-01");
  expect(toLocalInput(t, "Asia/Tokyo")).toBe("2026-03-02T08:30");
});

test("a local time in the zone becomes the right instant, across DST changes", () => {
  expect(fromLocalInput("2026-03-01T06:00", "Europe/Berlin")?.toISOString()).toBe("2026-03-01T05:00:00.000Z");
  expect(fromLocalInput("2026-07-01T06:00", "Europe/Berlin")?.toISOString()).toBe("2026-07-01T04:00:00.000Z");
  expect(fromLocalInput("2026-03-02", "Asia/Tokyo")?.toISOString()).toBe("2026-03-01T15:00:00.000Z");
  // the spring-forward gap (02:30 does not exist in Berlin on 29 March 2026) still gives an instant
  expect(fromLocalInput("2026-03-29T02:30", "Europe/Berlin")).not.toBeNull();
  expect(fromLocalInput("yesterday", "UTC")).toBeNull();
});

test("calendar arithmetic, durations and weekday summaries", () => {
  expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  expect(formatDuration(45)).toBe("45 s");
  expect(formatDuration(720)).toBe("12 min");
  expect(formatDuration(2 * 3600 + 300)).toBe("2 h 05 min");
  expect(formatDuration(3 * 86400 + 3600)).toBe("3 d 1 h");
  expect(daysSummary([1, 2, 3, 4, 5])).toBe("Mon–Fri");
  expect(daysSummary([7, 1, 2, 3, 4, 5, 6])).toBe("every day");
  expect(daysSummary([1, 3])).toBe("Mon, Wed");
});
