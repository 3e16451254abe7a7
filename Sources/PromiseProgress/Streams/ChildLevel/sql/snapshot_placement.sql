-- One row per child looked after on each reporting year's snapshot date (31 July), with the
-- placement open that day. Age is whole years on the snapshot date, worked out on the ISO text
-- (year difference, less one when the birthday falls later in the year).
SELECT s.period_id, s.snapshot_date, s.child_id, s.episode_id, s.la_code, s.sex, s.age,
       (SELECT ab.age_band_code FROM age_band ab WHERE s.age BETWEEN ab.min_age AND ab.max_age),
       pl.placement_id, pl.placement_type, pt.placement_group, pt.setting, pt.location,
       pl.siblings_looked_after, pl.living_with_siblings, pl.separation_reason
FROM (
  SELECT pe.period_id, pe.snapshot_date, e.child_id, e.episode_id, e.la_code, c.sex,
         CAST(substr(pe.snapshot_date, 1, 4) AS INTEGER) - CAST(substr(c.date_of_birth, 1, 4) AS INTEGER)
           - (substr(pe.snapshot_date, 6, 5) < substr(c.date_of_birth, 6, 5)) AS age
  FROM period pe
  JOIN episode e ON e.start_date <= pe.snapshot_date AND (e.end_date IS NULL OR e.end_date > pe.snapshot_date)
  JOIN child c ON c.child_id = e.child_id
  WHERE pe.period_type = 'reporting_year'
  -- Materialised once: each row's age is worked out once, not once per use.
  LIMIT -1) s
LEFT JOIN placement pl ON pl.episode_id = s.episode_id AND pl.start_date <= s.snapshot_date
     AND (pl.end_date IS NULL OR pl.end_date > s.snapshot_date)
LEFT JOIN placement_type pt ON pt.placement_type_code = pl.placement_type
-- Stored in the order indicators group by, so the index below reads the table in sequence.
ORDER BY 1, 5, 8
