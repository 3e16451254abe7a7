-- One row per episode that started during a reporting year, with the child's age at the start
-- (whole years, worked out on the ISO text as for snapshot_placement).
SELECT s.period_id, s.episode_id, s.child_id, s.la_code, s.start_date, s.sex, s.age,
       (SELECT ab.age_band_code FROM age_band ab WHERE s.age BETWEEN ab.min_age AND ab.max_age),
       s.legal_reason
FROM (
  SELECT pe.period_id, e.episode_id, e.child_id, e.la_code, e.start_date, c.sex, e.legal_reason,
         CAST(substr(e.start_date, 1, 4) AS INTEGER) - CAST(substr(c.date_of_birth, 1, 4) AS INTEGER)
           - (substr(e.start_date, 6, 5) < substr(c.date_of_birth, 6, 5)) AS age
  FROM period pe
  JOIN episode e ON e.start_date BETWEEN pe.start_date AND pe.end_date
  JOIN child c ON c.child_id = e.child_id
  WHERE pe.period_type = 'reporting_year'
  LIMIT -1) s
-- Stored in the order indicators group by, so the index below reads the table in sequence.
ORDER BY 1, 4, 8
