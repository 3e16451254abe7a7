-- One respondent in one wave is one person: every answer row gives the same council area, age group,
-- sex and placement type as the respondent's first accepted row (file order); rows that differ are rejected.
SELECT r.rowid AS rid,
       CASE WHEN r.la_code <> f.la_code THEN 'la_code' WHEN r.age_group <> f.age_group THEN 'age_group'
            WHEN r.sex <> f.sex THEN 'sex' ELSE 'placement_type' END AS column_name,
       CASE WHEN r.la_code <> f.la_code THEN r.la_code WHEN r.age_group <> f.age_group THEN r.age_group
            WHEN r.sex <> f.sex THEN r.sex ELSE r.placement_type END AS value,
       'respondent ' || r.respondent_id || ' of ' || r.survey_id || ' ' || r.wave || ' is described differently on line '
         || f.source_line || ' (' || f.la_code || ', ' || f.age_group || ', ' || f.sex || ', ' || f.placement_type || '); the first row is kept' AS reason
FROM survey_response r
JOIN (SELECT survey_id, wave, respondent_id, MIN(rowid) AS first FROM survey_response GROUP BY survey_id, wave, respondent_id) d
  ON d.survey_id = r.survey_id AND d.wave = r.wave AND d.respondent_id = r.respondent_id
JOIN survey_response f ON f.rowid = d.first
WHERE r.rowid <> d.first
  AND (r.la_code <> f.la_code OR r.age_group <> f.age_group OR r.sex <> f.sex OR r.placement_type <> f.placement_type)
