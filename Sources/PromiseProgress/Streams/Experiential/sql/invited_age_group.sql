-- The age group invited must be the one the survey version is written for.
SELECT i.rowid AS rid, 'age_group' AS column_name, i.age_group AS value,
       'age group ' || i.age_group || ' does not fit survey ' || i.survey_id || ', which is for ' || s.age_group AS reason
FROM survey_invited i JOIN survey s ON s.survey_id = i.survey_id
WHERE i.age_group <> s.age_group
