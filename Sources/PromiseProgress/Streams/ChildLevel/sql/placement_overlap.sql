-- Placements of one episode that overlap an earlier-starting placement (one may start the day the
-- previous ends): the later is rejected.
SELECT b.rowid AS rid, 'start_date' AS column_name, b.start_date AS value,
       'overlaps placement ' || a.placement_id || ' of the same episode (line ' || MIN(a.source_line) || ', '
         || a.start_date || ' to ' || COALESCE(a.end_date, 'open') || ')' AS reason
FROM placement b JOIN placement a ON a.episode_id = b.episode_id AND a.rowid <> b.rowid
     AND (a.start_date < b.start_date OR (a.start_date = b.start_date AND a.source_line < b.source_line))
     AND b.start_date < COALESCE(a.end_date, '9999-12-31')
GROUP BY b.rowid
