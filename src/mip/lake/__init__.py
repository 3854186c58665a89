"""Data lake: ETL of readings, alarms, OEE and quality records into encrypted Parquet."""
