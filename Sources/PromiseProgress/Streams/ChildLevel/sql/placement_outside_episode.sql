-- Placements that start before their episode, or end after it (or stay open) when it has ended.
SELECT p.rowid AS rid, CASE WHEN p.start_date < e.start_date THEN 'start_date' ELSE 'end_date' END AS column_name,
       CASE WHEN p.start_date < e.start_date THEN p.start_date ELSE COALESCE(p.end_date, '') END AS value,
       'placement ' || p.start_date || ' to ' || COALESCE(p.end_date, 'open') || ' falls outside its episode ' || e.episode_id
         || ' (' || e.start_date || ' to ' || COALESCE(e.end_date, 'open') || ')' AS reason
FROM placement p JOIN episode e ON e.episode_id = p.episode_id
WHERE p.start_date < e.start_date OR (e.end_date IS NOT NULL AND (p.end_date IS NULL OR p.end_date > e.end_date))
