// Example queries for the editor. Buckets use time_bucket (any width: 15 minutes, 8 hours, a day in the
// plant's zone) rather than date_trunc, which only knows calendar units and always cuts in UTC here.

export interface Example {
  id: string;
  title: string;
  description: string;
  sql: string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function examples(timeZone: string): Example[] {
  const tz = quote(timeZone);
  return [
    {
      id: "hourly",
      title: "Hourly averages per sensor",
      description: "Minute rollups bucketed by hour with time_bucket, joined to sensor names.",
      sql: `-- Hourly average of every sensor. Prefer time_bucket to date_trunc:
-- it takes any width (interval '15 minutes', '8 hours') and a time zone.
select time_bucket(interval '1 hour', r.bucket) as hour,
       s.path as sensor,
       sum(r.sum) / sum(r.count) as avg_value,
       min(r.min) as min_value,
       max(r.max) as max_value
from readings_1m r
join sensors s on s.id = r.sensor_id
group by all
order by hour, sensor`,
    },
    {
      id: "alarms-per-day",
      title: "Alarms per day",
      description: "Alarms raised per plant-time day and severity.",
      sql: `-- Alarms raised per day (days in the plant's time zone) and severity
select time_bucket(interval '1 day', ts, ${tz}) as day,
       severity,
       count(*) as alarms
from alarms
group by all
order by day, severity`,
    },
    {
      id: "sensor-raw",
      title: "Raw readings of one sensor",
      description: "Uses a $sensor_path parameter: fill it in below the editor.",
      sql: `-- Raw readings of one sensor; $sensor_path is a parameter (e.g. Berlin/Line A/Press 1/temperature)
select r.ts, r.value
from readings r
join sensors s on s.id = r.sensor_id
where s.path = $sensor_path
order by r.ts`,
    },
    {
      id: "availability",
      title: "Availability per machine and day",
      description: "Run time over planned production time from the hourly OEE rollups.",
      sql: `-- Availability (run time / planned production time) per machine and plant-time day
select time_bucket(interval '1 day', o.bucket_start, ${tz}) as day,
       a.name as machine,
       sum(o.run_ns)::double / nullif(sum(o.shift_ns - o.planned_stop_ns), 0) as availability
from oee_hourly o
join assets a on a.id = o.machine_id
group by all
order by day, machine`,
    },
  ];
}
