-- Episodes of one child that overlap an earlier-starting episode (one may start the day the
-- previous ends): the later is rejected.
SELECT b.rowid AS rid, 'start_date' AS column_name, b.start_date AS value,
       'overlaps episode ' || a.episode_id || ' of the same child (line ' || MIN(a.source_line) || ', '
         || a.start_date || ' to ' || COALESCE(a.end_date, 'open') || ')' AS reason
FROM episode b JOIN episode a ON a.child_id = b.child_id AND a.rowid <> b.rowid
     AND (a.start_date < b.start_date OR (a.start_date = b.start_date AND a.source_line < b.source_line))
     AND b.start_date < COALESCE(a.end_date, '9999-12-31')
GROUP BY b.rowid
