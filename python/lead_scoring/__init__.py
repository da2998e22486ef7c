"""Python helpers for the lead-scoring dbt project (sample data generator, reports)."""
