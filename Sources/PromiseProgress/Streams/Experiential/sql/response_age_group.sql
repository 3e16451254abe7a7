-- A respondent's age group must be the one the survey version is written for.
SELECT r.rowid AS rid, 'age_group' AS column_name, r.age_group AS value,
       'age group ' || r.age_group || ' does not fit survey ' || r.survey_id || ', which is for ' || s.age_group AS reason
FROM survey_response r JOIN survey s ON s.survey_id = r.survey_id
WHERE r.age_group <> s.age_group
