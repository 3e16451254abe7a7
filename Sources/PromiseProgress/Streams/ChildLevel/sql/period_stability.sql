-- One row per child looked after at any time during a reporting year, with the number of
-- placements (in any episode) that overlapped it.
SELECT period_id, child_id, la_code, placements FROM (
  -- One group per period and child: the council area of the latest episode (SQLite takes
  -- bare columns from the row that gives MAX), and the placements of all its episodes.
  SELECT pe.period_id, e.child_id, e.la_code, MAX(e.start_date || '|' || e.episode_id) AS latest,
         SUM((SELECT COUNT(*) FROM placement pl WHERE pl.episode_id = e.episode_id AND pl.start_date <= pe.end_date
              AND (pl.end_date IS NULL OR pl.end_date > pe.start_date))) AS placements
  FROM period pe
  JOIN episode e ON e.start_date <= pe.end_date AND (e.end_date IS NULL OR e.end_date > pe.start_date)
  WHERE pe.period_type = 'reporting_year'
  GROUP BY pe.period_id, e.child_id)
-- Stored in the order indicators group by, so the index below reads the table in sequence.
ORDER BY 1, 3
