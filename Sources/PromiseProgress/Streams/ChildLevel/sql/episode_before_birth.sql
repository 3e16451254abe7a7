-- Episodes that start before the child was born.
SELECT e.rowid AS rid, 'start_date' AS column_name, e.start_date AS value,
       'start_date ' || e.start_date || ' is before the child''s date_of_birth ' || c.date_of_birth
         || ' (' || c.source_file || ' line ' || c.source_line || ')' AS reason
FROM episode e JOIN child c ON c.child_id = e.child_id
WHERE e.start_date < c.date_of_birth
