-- One row per child looked after on each reporting year's snapshot date (31 July), with the
-- placement open that day. Age is whole years on the snapshot date.
SELECT pe.period_id, pe.snapshot_date, e.child_id, e.episode_id, e.la_code, c.sex,
       (CAST(strftime('%Y', pe.snapshot_date) AS INTEGER) - CAST(strftime('%Y', c.date_of_birth) AS INTEGER) - (strftime('%m-%d', pe.snapshot_date) < strftime('%m-%d', c.date_of_birth))),
       (SELECT ab.age_band_code FROM age_band ab WHERE (CAST(strftime('%Y', pe.snapshot_date) AS INTEGER) - CAST(strftime('%Y', c.date_of_birth) AS INTEGER) - (strftime('%m-%d', pe.snapshot_date) < strftime('%m-%d', c.date_of_birth))) BETWEEN ab.min_age AND ab.max_age),
       pl.placement_id, pl.placement_type, pt.placement_group, pt.setting, pt.location,
       pl.siblings_looked_after, pl.living_with_siblings, pl.separation_reason
FROM period pe
JOIN episode e ON e.start_date <= pe.snapshot_date AND (e.end_date IS NULL OR e.end_date > pe.snapshot_date)
JOIN child c ON c.child_id = e.child_id
LEFT JOIN placement pl ON pl.episode_id = e.episode_id AND pl.start_date <= pe.snapshot_date
     AND (pl.end_date IS NULL OR pl.end_date > pe.snapshot_date)
LEFT JOIN placement_type pt ON pt.placement_type_code = pl.placement_type
WHERE pe.period_type = 'reporting_year'
