-- One row per episode that started during a reporting year, with the child's age at the start.
SELECT pe.period_id, e.episode_id, e.child_id, e.la_code, e.start_date, c.sex,
       (CAST(strftime('%Y', e.start_date) AS INTEGER) - CAST(strftime('%Y', c.date_of_birth) AS INTEGER) - (strftime('%m-%d', e.start_date) < strftime('%m-%d', c.date_of_birth))),
       (SELECT ab.age_band_code FROM age_band ab WHERE (CAST(strftime('%Y', e.start_date) AS INTEGER) - CAST(strftime('%Y', c.date_of_birth) AS INTEGER) - (strftime('%m-%d', e.start_date) < strftime('%m-%d', c.date_of_birth))) BETWEEN ab.min_age AND ab.max_age),
       e.legal_reason
FROM period pe
JOIN episode e ON e.start_date BETWEEN pe.start_date AND pe.end_date
JOIN child c ON c.child_id = e.child_id
WHERE pe.period_type = 'reporting_year'
